"""Question terms (rag.lang.terms): anchors, nouns, predicates, what is not a term, term matching."""

from __future__ import annotations

from rag.lang.terms import QUANTITY, KeyTerm, answer_type, classify_terms, is_category, term_in
from rag.lang.tokens import bigrams, tokens


def terms_by_name(question: str) -> dict[str, KeyTerm]:
    return {k.term: k for k in classify_terms(question)}


def test_term_in_scores_exact_tokens_inflections_and_korean_bigram_overlap() -> None:
    text = "Pyongyang shipped containers; 서울시는 새 도서관을 열었다"
    toks, grams = set(tokens(text)), bigrams(text)
    assert term_in("container", toks, grams) == 1.0
    assert 0 < term_in("ship", toks, grams) < 1.0  # "ship" ~ "shipped"
    assert term_in("서울", toks, grams) == 1.0  # inside "서울시는" by bigrams
    assert term_in("gaza", toks, grams) == 0.0
    assert term_in("날씨", toks, grams) == 0.0


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


def test_quantity_term_matches_only_text_that_states_a_number() -> None:
    assert term_in(QUANTITY, set(tokens("They shipped 10,000 containers.")), set()) == 1.0
    assert term_in(QUANTITY, set(tokens("They shipped many containers.")), set()) == 0.0


def test_the_word_naming_the_wanted_language_is_not_a_key_term() -> None:
    """It names the answer's language, not its topic: matched as a word, it picked "Korean Peninsula"."""
    terms = [k.term for k in classify_terms("What Korean name does the translation use for the SCO?")]
    assert "korean" not in terms and "sco" in terms
    assert "korean" in [k.term for k in classify_terms("What did Korean officials say?")]


def test_what_does_names_no_answer_type() -> None:
    assert answer_type("What does the article expect to happen?") is None


def test_category_words_are_not_required_in_the_answer() -> None:
    assert is_category("나라") and is_category("agency")
    assert not is_category("무역협상")


def test_term_weights_multiply_idf_by_the_kind_of_term() -> None:
    from rag.lang.terms import QUANTITY, KeyTerm, term_weights

    terms = [KeyTerm("seoul", anchor=True), KeyTerm("개최", predicate=True), KeyTerm("library")]
    idf = {"seoul": 2.0, "개최": 1.0, "library": 3.0}.__getitem__
    assert term_weights(terms, idf) == {"seoul": 2.0, "개최": 1.0, "library": 3.0}
    weighted = term_weights(terms, idf, anchor=1.5, predicate=0.3, quantity=4.0)
    assert weighted == {"seoul": 3.0, "개최": 0.3, "library": 3.0, QUANTITY: 4.0}
