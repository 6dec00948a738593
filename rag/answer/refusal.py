"""Refusal wording, in the question's language. Kept apart so the LLM path reuses it."""

from __future__ import annotations

import re

from rag.answer.policy import AnswerPolicy, load_policy
from rag.lang import lexicon
from rag.lang.script import is_hangul
from rag.lang.terms import classify_terms
from rag.lang.tokens import normalize


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


def refusal_text(
    question: str,
    lang: str,
    missing: tuple[str, ...],
    found_something: bool,
    policy: AnswerPolicy | None = None,
) -> str:
    """The refusal's first sentence, naming up to `refusal_max_terms` of the `missing` terms."""
    limit = (policy if policy is not None else load_policy()).refusal_max_terms
    forms = _surface_forms(question, _most_telling(question, missing), limit)
    if lang == "ko":
        head = "문서에는 이 질문에 대한 답이 없습니다"
        if forms:
            head += f" ({', '.join(forms)}에 대한 언급이 없습니다)"
        head += "."
        return head + (" 가장 가까운 내용:" if found_something else "")
    head = "The documents don't say"
    head += f" anything about {', '.join(forms)}." if forms else " what this question asks."
    return head + (" The closest passage found:" if found_something else "")
