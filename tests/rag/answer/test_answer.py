"""Cited extractive answers and refusals (Engine.ask over the shipped corpus).

The contract: every sentence of an answer is a verbatim quote followed by its `[n]`; every `[n]` maps to
a citation whose text is exactly the source file's text[start:end]; highlights are the quoted spans.
Questions the documents cannot answer are refused, in the question's language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from index.ingest import ingest
from rag.answer.refusal import refusal_text
from rag.core.config import Settings
from rag.core.records import Answer
from rag.engine import Engine, QuestionError
from rag.lang.script import detect_lang
from rag.store.chroma import StoreError
from rag.store.manifest import Manifest, manifest_file

HANGUL = re.compile(r"[\uac00-\ud7a3]")
MARKED = re.compile(r"(.+?) \[(\d+)\](?: |$)", re.DOTALL)

ANSWERABLE = [
    ("How many containers of munitions has North Korea shipped to Russia?", "en", "10,000 containers"),
    ("Where will the NATO Summit be held?", "en", "Washington"),
    ("What did Blinken say about North Korea, Iran and China?", "en", "Blinken"),
    ("NATO 정상회의는 어디에서 열리나?", "ko", "워싱턴"),
    ("미국 국무부는 북한과 러시아의 관계에 대해 어떤 우려를 표명했나?", "ko", "우려를 표명"),
    ("블링컨 국무장관은 아시아 태평양 국가들에 대해 뭐라고 말했나?", "ko", "위험할 것"),
]
UNANSWERABLE_EN = ["How do I make kimchi jjigae at home?", "What did Cameron say about Gaza?"]
UNANSWERABLE_KO = ["밀러 대변인의 나이는?"]
ALL_QUESTIONS = [q for q, _, _ in ANSWERABLE] + UNANSWERABLE_EN + UNANSWERABLE_KO + ["내일 서울 날씨는 어때?"]


@pytest.fixture(scope="module")
def answers(corpus_engine: Engine) -> dict[str, Answer]:
    return {q: corpus_engine.ask(q) for q in ALL_QUESTIONS}


def quoted_parts(answer: Answer) -> list[tuple[str, int]]:
    """Split an answer into (sentence, n) pairs; the pairs must make up the whole answer."""
    parts = [(m.group(1), int(m.group(2))) for m in MARKED.finditer(answer.answer)]
    assert " ".join(f"{s} [{n}]" for s, n in parts) == answer.answer, "text outside a cited sentence"
    return parts


def refusal_wording(answer: Answer, source_text: Callable[[str], str]) -> str:
    """A refusal's own words: the answer minus the closest-passage quote it may append."""
    text = answer.answer
    for c in answer.citations:
        for s, e in c.highlights:
            text = text.replace(f"{source_text(c.doc)[s:e].strip()} [{c.n}]", "")
    return text.strip()


# --- the citation contract, for every question ----------------------------------------------------------


@pytest.mark.parametrize("question", ALL_QUESTIONS)
def test_every_marker_maps_to_a_citation_and_every_citation_is_used(
    answers: dict[str, Answer], question: str
) -> None:
    answer = answers[question]
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {c.n for c in answer.citations}
    assert sorted(c.n for c in answer.citations) == list(range(1, len(answer.citations) + 1))


@pytest.mark.parametrize("question", ALL_QUESTIONS)
def test_citation_text_is_the_exact_span_of_the_source_file(
    answers: dict[str, Answer], question: str, source_text: Callable[[str], str]
) -> None:
    for c in answers[question].citations:
        assert source_text(c.doc)[c.start : c.end] == c.text
        assert c.title and c.doc.endswith(".txt")


@pytest.mark.parametrize("question", ALL_QUESTIONS)
def test_highlights_lie_inside_the_citation_and_are_verbatim(
    answers: dict[str, Answer], question: str, source_text: Callable[[str], str]
) -> None:
    for c in answers[question].citations:
        assert c.highlights
        for s, e in c.highlights:
            assert c.start <= s < e <= c.end
            assert c.text[s - c.start : e - c.start] == source_text(c.doc)[s:e]


@pytest.mark.parametrize(("question", "lang", "expected"), ANSWERABLE)
def test_answer_sentences_are_quotes_each_ending_with_its_marker(
    answers: dict[str, Answer], question: str, lang: str, expected: str, source_text: Callable[[str], str]
) -> None:
    answer = answers[question]
    assert not answer.refused and answer.mode == "extractive"
    by_n = {c.n: c for c in answer.citations}
    for sentence, n in quoted_parts(answer):
        c = by_n[n]
        assert sentence in [source_text(c.doc)[s:e].strip() for s, e in c.highlights]


@pytest.mark.parametrize(("question", "lang", "expected"), ANSWERABLE)
def test_answer_contains_the_fact_asked_for_in_the_questions_language(
    answers: dict[str, Answer], question: str, lang: str, expected: str
) -> None:
    answer = answers[question]
    assert expected in answer.answer
    assert answer.lang == lang == detect_lang(answer.answer)
    assert not answer.note  # a same-language answer needs no cross-lingual disclaimer


def test_korean_question_is_answered_from_the_korean_translation_not_the_english_original(
    answers: dict[str, Answer],
) -> None:
    answer = answers["NATO 정상회의는 어디에서 열리나?"]
    assert answer.citations[0].text.startswith("NATO 정상회의가 75주년을")
    assert all(detect_lang(c.text) == "ko" for c in answer.citations)  # no English original quoted
    english = answers["Where will the NATO Summit be held?"]
    assert all(c.text.startswith("The NATO Summit will be held") for c in english.citations)


@pytest.mark.parametrize("question", UNANSWERABLE_EN)
def test_unanswerable_english_question_is_refused_in_english(
    answers: dict[str, Answer], question: str, source_text: Callable[[str], str]
) -> None:
    answer = answers[question]
    assert answer.refused
    wording = refusal_wording(answer, source_text)
    assert wording and not HANGUL.search(wording) and detect_lang(wording) == "en"


def test_refusal_names_what_the_documents_do_not_mention(answers: dict[str, Answer]) -> None:
    assert "Gaza" in answers["What did Cameron say about Gaza?"].answer
    assert "kimchi" in answers["How do I make kimchi jjigae at home?"].answer


@pytest.mark.parametrize("question", UNANSWERABLE_KO)
def test_unanswerable_korean_question_is_refused_in_korean(
    answers: dict[str, Answer], question: str, source_text: Callable[[str], str]
) -> None:
    answer = answers[question]
    assert answer.refused
    wording = refusal_wording(answer, source_text)
    assert HANGUL.search(wording) and detect_lang(wording) == "ko"


def test_korean_question_about_something_absent_is_addressed_in_korean(
    answers: dict[str, Answer], source_text: Callable[[str], str]
) -> None:
    # The corpus says nothing about tomorrow's weather. The offline policy may refuse, or fall back to a
    # cross-lingual quote (borderline e5 similarity); either way it must speak Korean to the user and
    # never pass off an unrelated quote as a plain answer.
    answer = answers["내일 서울 날씨는 어때?"]
    if answer.refused:
        assert HANGUL.search(refusal_wording(answer, source_text))
    else:
        assert HANGUL.search(answer.note), "an answer from another-language text must say so, in Korean"


def test_korean_refusal_names_an_absent_word_without_its_particle() -> None:
    text = refusal_text("밀러 대변인의 나이는?", "ko", ("밀러", "대변인", "나이"), ("나이",), related=False)
    assert "찾아본 말: 밀러, 대변인, 나이." in text
    assert "어느 문서에도 나이가 나오지 않습니다." in text and "나이는" not in text


def test_korean_refusal_names_neither_a_verb_nor_a_verb_ending() -> None:
    """ "열리는" passes for "열리" + a particle; the dictionary knows it as the verb "열리다"."""
    text = refusal_text("정상회의가 도쿄에서 열리는 이유는?", "ko", ("도쿄", "열리"), ("도쿄", "열리"), related=True)
    assert "어느 문서에도 도쿄가 나오지 않습니다." in text and "열리에" not in text
    assert text.endswith("관련 대목(답이 아님):")
    text = refusal_text("다리를 설계한 건축가는?", "ko", ("설계한", "건축가"), ("설계한", "건축가"), related=True)
    assert "설계한" not in text and "설계, 건축가" in text


def test_a_refusal_says_what_was_searched_and_claims_nothing_it_did_not_check() -> None:
    text = refusal_text("Where did the US team play?", "en", ("us", "team", "play"), (), related=True)
    assert text.startswith("No passage in the documents answers this question.")
    assert "Searched for: US, team, play." in text and "No document contains" not in text
    assert text.endswith("Related passages, not an answer:")


def test_absent_means_absent_from_the_whole_index_in_any_form_the_matcher_accepts(tmp_path: Path) -> None:
    from rag.answer.refusal import absent_from_corpus
    from rag.retrieval import lexical, lexical_write
    from rag.retrieval.sentence_vectors import build as build_sentences
    from tests.rag.retrieval.chunks import chunk

    chunks = [chunk("a", "The united state used it."), chunk("b", "발령 서울")]
    built, _ = build_sentences(chunks, lambda texts: [[1.0, 0.0] for _ in texts])
    lexical_write.rebuild(tmp_path / "lexical", chunks, built, {})
    vocabulary = lexical.load(tmp_path / "lexical").vocabulary
    assert absent_from_corpus("us", vocabulary)  # the index never writes the abbreviation as a word
    assert not absent_from_corpus("use", vocabulary)  # "used" would match it
    assert not absent_from_corpus("발령받", vocabulary)  # its bigram 발령 is there
    assert absent_from_corpus("도쿄", vocabulary)


@pytest.mark.parametrize("question", ["What is this?", "???"])
def test_question_without_content_words_is_not_answered_with_an_arbitrary_passage(
    corpus_engine: Engine, question: str
) -> None:
    assert corpus_engine.ask(question).refused


# --- timings and bad questions --------------------------------------------------------------------------


def test_answer_reports_retrieve_answer_and_total_timings(answers: dict[str, Answer]) -> None:
    t = answers["Where will the NATO Summit be held?"].timings_ms
    assert {"retrieve", "answer", "total"} <= set(t)
    assert all(v >= 0 for v in t.values()) and t["total"] >= t["retrieve"]


@pytest.mark.parametrize(("question", "message"), [("   \n ", "empty"), ("why? " * 1000, "too long")])
def test_unusable_question_raises_a_question_error(
    corpus_engine: Engine, question: str, message: str
) -> None:
    with pytest.raises(QuestionError, match=message):
        corpus_engine.ask(question)


def test_answer_serialises_to_json(answers: dict[str, Answer]) -> None:
    data = json.loads(json.dumps(answers["NATO 정상회의는 어디에서 열리나?"].to_json(), ensure_ascii=False))
    assert data["question"] == "NATO 정상회의는 어디에서 열리나?" and data["citations"][0]["n"] == 1


# --- the engine refuses an index built by another embedder ----------------------------------------------


def test_engine_refuses_an_index_built_with_another_embedder(
    tiny_docs: Path, tiny_settings: Settings
) -> None:
    ingest([tiny_docs], tiny_settings, progress=False)
    Engine(tiny_settings)  # fine as built
    path = manifest_file(tiny_settings.data_dir)
    manifest = Manifest.load(path)
    manifest.embedder = "openai:text-embedding-3-small@api.openai.com"
    manifest.save(path)
    with pytest.raises(StoreError, match="rag ingest") as err:
        Engine(tiny_settings)
    assert "openai:text-embedding-3-small" in str(err.value)


def test_a_quoted_sentence_that_points_back_comes_with_the_sentence_before_it(corpus_engine: Engine) -> None:
    ans = corpus_engine.ask("What did Blinken describe as an ongoing challenge?")
    assert not ans.refused and "ongoing challenge" in ans.answer
    assert "transfer of weapons" in ans.answer  # what "this" refers to


def test_asking_for_the_korean_wording_quotes_the_korean_translation(corpus_engine: Engine) -> None:
    ans = corpus_engine.ask("What is the Korean name used for the Shanghai Cooperation Organization?")
    assert not ans.refused
    assert "상하이협력기구" in ans.answer


def test_a_question_is_not_answered_by_a_sentence_that_is_itself_a_question(corpus_engine: Engine) -> None:
    ans = corpus_engine.ask("미국과 중국의 고위급 무역협상은 어디에서 열렸나?")
    assert not ans.refused
    assert not ans.answer.split(" [")[0].rstrip("]").endswith("?")


def test_a_refusal_names_the_missing_name_rather_than_a_paraphrased_verb() -> None:
    text = refusal_text(
        "What did Blinken and Cameron discuss at their meeting in Tokyo?",
        "en",
        ("blinken", "cameron", "discuss", "meeting", "tokyo"),
        ("discuss", "tokyo"),
        related=True,
    )
    assert "No document contains “Tokyo”." in text and "contains “discuss" not in text


# Korean questions naming people of the English-only article, which it does not answer (found by an
# independent review of the dictionary path: each was once answered with a sentence naming the person).
UNANSWERABLE_ABOUT_ENGLISH_TEXT: list[object] = [
    "캐머런은 일본에 대해 무엇을 말했나?",
    "캐머런은 중국을 방문했나?",
    "캐머런은 언제 사임했나?",
    pytest.param(
        "블링컨은 캐머런을 비판했나?",
        marks=pytest.mark.xfail(
            strict=True,
            reason="the learned judge answers it from the Korean translation paragraphs (p 0.40 >= 0.39): "
            "a known miss of the judge (docs/design.md, 'Deciding whether the documents answer')",
        ),
    ),
    "블링컨은 대만을 방문했나?",
    "블링컨의 비밀은 무엇인가?",
    "블링컨은 이란에 대해 어떤 제재를 발표했나?",
]


@pytest.mark.parametrize("question", UNANSWERABLE_ABOUT_ENGLISH_TEXT)
def test_korean_question_about_people_of_the_english_article_is_refused_when_it_says_nothing_of_it(
    corpus_engine: Engine, question: str
) -> None:
    answer = corpus_engine.ask(question)
    assert answer.refused, answer.answer
    assert answer.lang == "ko"


def test_korean_question_answered_only_by_the_english_article_is_answered_from_it(
    corpus_engine: Engine,
) -> None:
    answer = corpus_engine.ask("블링컨은 어느 나라들이 러시아의 방위산업 기반을 지원하고 있다고 우려했나?")
    assert not answer.refused
    assert "Iran" in answer.answer and "China" in answer.answer
    assert all(c.doc.startswith("000_") for c in answer.citations)


def test_decomposed_hangul_is_read_as_korean(corpus_engine: Engine) -> None:
    import unicodedata

    question = "NATO 정상회의는 어디에서 열리나?"
    answer = corpus_engine.ask(unicodedata.normalize("NFD", question))
    assert answer.lang == "ko" and not answer.refused
    assert answer.question == question


def test_an_answer_asked_for_in_korean_never_swaps_in_an_unrelated_korean_sentence(
    corpus_engine: Engine,
) -> None:
    """No Korean sentence answers as well as the English byline does: the answer keeps the byline
    (it once quoted a sidebar teaser that happened to be in Korean)."""
    ans = corpus_engine.ask("How is reporter Janne Pak's name written in Korean in the article?")
    assert "러트닉" not in ans.answer and "Janne Pak" in ans.answer
