"""Refusal wording, in the question's language. Kept apart so the LLM path reuses it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer.policy import AnswerPolicy, load_policy
from rag.lang import lexicon
from rag.lang.korean import has_final_consonant
from rag.lang.script import is_hangul
from rag.lang.terms import classify_terms, term_in
from rag.lang.tokens import normalize
from rag.retrieval.lexical import Vocabulary


def _surface_forms(question: str, missing: tuple[str, ...], limit: int) -> list[str]:
    """Show missing terms as the user wrote them ("Gaza", not the folded stem "gaza"), `limit` at most."""
    words = re.findall(r"[\w'’-]+", question)
    out: list[str] = []
    for term in missing:
        for w in words:
            if normalize(w).startswith(term) and w not in out:
                # Korean: name the word without its particle or ending ("나이는" -> "나이",
                # "설계한" -> "설계"): the term, in the dictionary's form when it has one.
                out.append(_dictionary_form(term) if is_hangul(w) else w)
                break
    return out[:limit]


def _most_telling(question: str, missing: tuple[str, ...]) -> tuple[str, ...]:
    """Name the missing names first ("Tokyo"), then other non-verb terms; a paraphrased verb
    ("discuss", "열리나") says little about why the documents do not answer."""
    kinds = {k.term: k for k in classify_terms(question)}
    anchors = tuple(t for t in missing if t in kinds and kinds[t].anchor)
    if anchors:
        return anchors
    plain = tuple(t for t in missing if (t not in kinds or not kinds[t].predicate) and not _is_verb(t))
    return plain or missing


def _dictionary_form(term: str) -> str:
    lex = lexicon.load()
    return (lex.headword(term) if lex is not None else None) or term


def _is_verb(term: str) -> bool:
    """A Korean verb whose ending passed for a particle: "열리는" arrives as "열리", and the dictionary
    has "열리다" but no "열리" (measured: refusals read "도쿄, 열리에 대한 언급이 없습니다")."""
    lex = lexicon.load() if is_hangul(term) else None
    return lex is not None and f"{term}다" in lex.senses and term not in lex.senses


def absent_from_corpus(term: str, vocabulary: Vocabulary) -> bool:
    """True only when no indexed text holds the term in any form the matcher accepts (rag.lang.terms
    `term_in` against the index's whole vocabulary: a token, a short inflection "use" ~ "used", Hangul
    bigrams) and, for a Hangul term, not even one of its bigrams. Only such a term may a refusal call
    missing from the documents. The inflection check reads only the terms `vocabulary.near` the
    term, not every term of the index."""
    if term_in(term, vocabulary.near(term), vocabulary) > 0:
        return False
    if is_hangul(term):
        return not any(term[i : i + 2] in vocabulary for i in range(len(term) - 1))
    return True


def refusal_text(
    question: str,
    lang: str,
    searched: Sequence[str],
    absent: Sequence[str],
    related: bool,
    policy: AnswerPolicy | None = None,
) -> str:
    """The refusal's own words, in the question's language. It says what is true of the search: no
    retrieved passage answers; the words searched for (`searched`, key terms); which of them no
    document contains at all (`absent`, checked against the whole index by `absent_from_corpus`,
    never merely "not in the passages shown"); and, when `related`, that the passages that follow
    are related but not an answer."""
    limit = (policy if policy is not None else load_policy()).refusal_max_terms
    looked = _surface_forms(question, tuple(searched), limit + 2)
    missing = _surface_forms(question, _most_telling(question, tuple(absent)), limit)
    if lang == "ko":
        text = "문서에서 이 질문에 답하는 대목을 찾지 못했습니다."
        if looked:
            text += f" 찾아본 말: {', '.join(looked)}."
        if missing:
            text += f" 어느 문서에도 {', '.join(missing)}{_ko_topic(missing[-1])} 나오지 않습니다."
        return text + (" 관련 대목(답이 아님):" if related else "")
    text = "No passage in the documents answers this question."
    if looked:
        text += f" Searched for: {', '.join(looked)}."
    if missing:
        text += f" No document contains {_en_list(missing)}."
    return text + (" Related passages, not an answer:" if related else "")


def _en_list(words: Sequence[str]) -> str:
    quoted = [f"“{w}”" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _ko_topic(word: str) -> str:
    """The subject particle for the last syllable: "서울이", "도쿄가"; "(이)가" after Latin letters."""
    if not is_hangul(word[-1:]):
        return "(이)가"
    return "이" if has_final_consonant(word[-1]) else "가"
