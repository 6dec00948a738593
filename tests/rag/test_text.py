"""Korean-aware tokens, language detection and question-term classification (rag/text.py)."""

from __future__ import annotations

import pytest

from rag.lang.korean import strip_particle
from rag.lang.questions import asks_metadata, asks_quantity, refers_back, requested_lang, states_quantity
from rag.lang.script import detect_lang, script_share
from rag.lang.terms import QUANTITY, KeyTerm, answer_type, classify_terms, is_category, term_in
from rag.lang.tokens import bigrams, tokens


def terms_by_name(question: str) -> dict[str, KeyTerm]:
    return {k.term: k for k in classify_terms(question)}


# --- tokens -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("inflected", ["서울은", "서울에서", "서울의", "서울과"])
def test_korean_particle_is_stripped_so_inflected_word_matches_its_stem(inflected: str) -> None:
    assert "서울" in tokens(inflected)
    assert set(tokens(inflected)) & set(tokens("서울"))


def test_particle_stripping_needs_two_syllables_left() -> None:
    assert strip_particle("정상회의는") == "정상회의"
    assert strip_particle("한국과") == "한국"
    assert strip_particle("일본") == "일본"  # no particle: unchanged
    assert strip_particle("책이") == "책이"  # would leave one syllable: kept whole


def test_noun_ending_like_a_particle_keeps_its_stem() -> None:
    assert strip_particle("우크라이나") == "우크라이나"


def test_hangul_words_also_yield_character_bigrams() -> None:
    toks = tokens("정상회의는")
    assert {"정상", "상회", "회의", "의는"} <= set(toks)


def test_bigrams_ignore_korean_spacing_differences() -> None:
    assert {"정상", "상회", "회의", "의에", "에서"} <= bigrams("정상회의 에서")
    assert bigrams("정상회의에서") <= bigrams("정상회의 에서")
    assert not bigrams("NATO summit 2024")  # Latin text has no Hangul bigrams


@pytest.mark.parametrize(("written", "token"), [("10,000", "10000"), ("1,500", "1500"), ("2024", "2024")])
def test_numbers_lose_their_thousands_separators(written: str, token: str) -> None:
    assert tokens(f"over {written} containers") == [token, "container"]


def test_english_tokens_are_lowercased_stems_without_stopwords() -> None:
    assert tokens("The missiles of Russia's army") == ["missile", "russia", "army"]


def test_term_in_scores_exact_tokens_inflections_and_korean_bigram_overlap() -> None:
    text = "Pyongyang shipped containers; 서울시는 새 도서관을 열었다"
    toks, grams = set(tokens(text)), bigrams(text)
    assert term_in("container", toks, grams) == 1.0
    assert 0 < term_in("ship", toks, grams) < 1.0  # "ship" ~ "shipped"
    assert term_in("서울", toks, grams) == 1.0  # inside "서울시는" by bigrams
    assert term_in("gaza", toks, grams) == 0.0
    assert term_in("날씨", toks, grams) == 0.0


# --- language detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("내일 서울 날씨는 어때?", "ko"),
        ("Where will the NATO Summit be held?", "en"),
        ("NATO 정상회의가 75주년을 맞아 9일부터 11일 까지 워싱턴 디시에서 개최된다.", "ko"),
        ("The NATO Summit (나토) will be held in Washington.", "en"),
        ("12345", "en"),
        ("", "en"),
    ],
)
def test_detect_lang_judges_by_the_letters_that_dominate(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


# --- question terms -----------------------------------------------------------------------------------


def test_capitalised_names_and_numbers_are_anchors() -> None:
    terms = terms_by_name("What did Cameron say about Gaza in 2024?")
    assert set(terms) == {"cameron", "gaza", "2024"}
    assert all(k.anchor for k in terms.values())


def test_question_frame_words_are_not_terms_and_plain_words_are_not_anchors() -> None:
    terms = terms_by_name("How many containers did North Korea ship?")
    assert "how" not in terms and "many" not in terms and "did" not in terms
    assert terms["north"].anchor and terms["korea"].anchor
    assert not terms["container"].anchor and not terms["ship"].anchor


def test_acronyms_are_anchors_and_thousands_are_normalised() -> None:
    terms = terms_by_name("Did NATO ship 10,000 shells?")
    assert terms["nato"].anchor and terms["10000"].anchor


def test_korean_noun_with_case_particle_is_marked_noun() -> None:
    terms = terms_by_name("NATO 정상회의는 어디에서 열리나?")
    assert terms["nato"].anchor
    assert terms["정상회의"].noun and not terms["정상회의"].predicate
    assert "어디에서" not in terms  # question word


def test_korean_verb_ending_is_stripped_and_marked_predicate() -> None:
    terms = terms_by_name("북한은 언제 발표했나?")
    assert terms["발표"].predicate and not terms["발표"].noun
    assert terms["북한"].noun
    assert "언제" not in terms


def test_korean_possessive_noun_is_kept_as_a_noun_term() -> None:
    terms = terms_by_name("밀러 대변인의 나이는?")
    assert set(terms) == {"밀러", "대변인", "나이"}
    assert terms["나이"].noun and terms["대변인"].noun


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many containers were shipped?", True),
        ("How long has she covered Korea?", True),
        ("몇 명이 참석했나?", True),
        ("비용은 얼마인가?", True),
        ("Where is the summit held?", False),
        ("누가 말했나?", False),
    ],
)
def test_quantity_questions_are_recognised(question: str, expected: bool) -> None:
    assert asks_quantity(question) is expected


def test_quantity_term_matches_only_text_that_states_a_number() -> None:
    assert term_in(QUANTITY, set(tokens("They shipped 10,000 containers.")), set()) == 1.0
    assert term_in(QUANTITY, set(tokens("They shipped many containers.")), set()) == 0.0


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("How is the reporter's name written in Korean?", "ko"),
        ("What is the Korean headline of the teaser?", "ko"),
        ("이 기사의 영문 제목은?", "en"),
        ("What did Korea say?", None),
        ("한국어 기사는 뭐라고 했나?", None),
        ("What do the articles say in Korean War history?", None),  # a name, not a language
    ],
)
def test_a_question_can_ask_for_the_answer_in_a_given_language(question: str, lang: str | None) -> None:
    assert requested_lang(question) == lang


def test_the_word_naming_the_wanted_language_is_not_a_key_term() -> None:
    """It names the answer's language, not its topic: matched as a word, it picked "Korean Peninsula"."""
    terms = [k.term for k in classify_terms("What Korean name does the translation use for the SCO?")]
    assert "korean" not in terms and "sco" in terms
    assert "korean" in [k.term for k in classify_terms("What did Korean officials say?")]


def test_sentences_that_point_back_are_recognised() -> None:
    assert refers_back('And this is an ongoing challenge," Blinken said.')
    assert refers_back("그러면서 그는 우려를 표명했다.")
    assert not refers_back("Andrew Kim said the talks went well.")
    assert not refers_back("The summit opens on Tuesday.")


def test_what_does_names_no_answer_type() -> None:
    assert answer_type("What does the article expect to happen?") is None


def test_a_korean_count_question_needs_the_counter_it_asks_for() -> None:
    question = "몇 명이 사망했나?"
    assert states_quantity(question, "이 사고로 12명이 사망했다.")
    assert states_quantity(question, "사망자는 1만 명을 넘었다.")
    assert not states_quantity(question, "작전은 13일 시작됐다.")  # a date, not a count of people
    assert states_quantity(question, "At least 12 people died.")  # English text: any number


def test_script_share_sees_both_halves_of_a_mixed_paragraph() -> None:
    mixed = "Israel began a major operation. 이스라엘이 이란에 대한 작전을 시작했다."
    assert 0.3 < script_share(mixed, "ko") < 0.9
    assert script_share("Only English here.", "ko") == 0.0


def test_category_words_are_not_required_in_the_answer() -> None:
    assert is_category("나라") and is_category("agency")
    assert not is_category("무역협상")


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("Who wrote the article on the briefing?", "author"),
        ("Which agency is credited as the author of the report?", "author"),
        ("이 기사를 쓴 기자는 누구인가?", "author"),
        ("When was the Korea Herald article published?", "date"),
        ("Which was published first: A or B?", "date"),
        ("In the author's view, what should Seoul do?", None),
        ("What did Blinken say?", None),
    ],
)
def test_questions_about_a_documents_byline_or_date_are_recognised(question: str, field: str | None) -> None:
    assert asks_metadata(question) == field


def test_a_one_syllable_noun_before_euro_is_not_taken_for_a_longer_word() -> None:
    """ "몇 명으로": "으로" is the particle, so no "명으" is left to be required (it refused a question)."""
    assert strip_particle("명으로") == "명" and strip_particle("본격적으로") == "본격적"
    assert [k.term for k in classify_terms("박물관은 연간 방문객을 몇 명으로 예상하나?")] == [
        "박물관",
        "연간",
        "방문객",
        "예상",
    ]
