"""Follow-up questions made standalone before retrieval ("what about Japan?", "그가 또 뭐라고 했나요?").

Retrieval sees one question at a time, so a follow-up must carry what it refers to. With an LLM the
model rewrites it from the conversation; offline, a question that looks like a follow-up (a pronoun, a
"what about ...", or almost no content words of its own) gets the previous turn's key terms appended.
The rewritten question is returned to the caller and shown to the user, never applied silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.core import outcomes
from rag.core.errors import UserError
from rag.core.records import Turn
from rag.lang import wordlists
from rag.lang.korean import strip_particle
from rag.lang.script import is_hangul
from rag.lang.terms import classify_terms
from rag.lang.tokens import WORD, normalize

MAX_CARRIED = 5
REWRITE_TOKENS = 120
REWRITE_HISTORY_TOKENS = 1500

_EN_REFERS = wordlists.word_set("en_reference_words")
_EN_OPENERS = re.compile(r"^\s*(?:what|how)\s+about\b|^\s*and\b|^\s*also\b|^\s*what\s+else\b", re.IGNORECASE)
_KO_REFERS = wordlists.word_set("ko_reference_words")
_KO_OPENERS = re.compile(r"(?:은|는)\s*(?:어때|어떤가|어떻습니까|요)\s*\??\s*$")


@dataclass(frozen=True)
class Rewrite:
    question: str  # what retrieval and the answerer see
    by: str  # "none" | "llm" | "terms"
    llm_error: str = ""  # the LLM failed while rewriting: the caller need not call it again this turn
    llm_outcome: str = ""  # that failure as an answer outcome (rag.core.outcomes), e.g. a timeout


def _ko_refers(word: str) -> bool:
    return (
        word in _KO_REFERS
        or (len(word) >= 2 and word[:-1] in _KO_REFERS)
        or strip_particle(word) in _KO_REFERS
    )


def looks_like_follow_up(question: str) -> bool:
    if _EN_OPENERS.search(question) or _KO_OPENERS.search(question):
        return True
    words = WORD.findall(question)
    for w in words:
        if is_hangul(w):
            if _ko_refers(w):
                return True
        elif w.lower() in _EN_REFERS:
            return True
    return len(classify_terms(question)) <= 1


def carry_terms(question: str, previous: str) -> str:
    """Append the previous question's content words (as the user wrote them) that this one lacks."""
    have = {k.term for k in classify_terms(question)}
    prev_terms = [k for k in classify_terms(previous) if k.term not in have and not k.predicate]
    prev_terms.sort(key=lambda k: not k.anchor)  # names and numbers first: they anchor retrieval
    words = WORD.findall(previous)
    carried: list[str] = []
    for k in prev_terms:
        for w in words:
            form = strip_particle(w) if is_hangul(w) else w
            if normalize(form).startswith(k.term) or normalize(w).startswith(k.term):
                if form not in carried:
                    carried.append(form)
                break
        if len(carried) >= MAX_CARRIED:
            break
    return f"{question} ({' '.join(carried)})" if carried else question


def clean_llm_question(text: str, limit: int) -> str | None:
    """A question the LLM wrote (a rewrite, a translation): its first line, without a "Question:"
    label or quotes; None when empty or over `limit` characters."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        return None
    line = re.sub(r"^(?:standalone question|question|질문)\s*[:：]\s*", "", lines[0], flags=re.IGNORECASE)
    line = line.strip().strip("\"“”'`").strip()
    return line if 0 < len(line) <= limit else None


def rewrite(question: str, history: Sequence[Turn], llm: object | None = None, limit: int = 2000) -> Rewrite:
    """`llm` is a `rag.llm.client.ChatClient` (typed loosely so the offline path never imports openai)."""
    if not history:
        return Rewrite(question, "none")
    llm_error = llm_outcome = ""
    if llm is not None:
        from rag.llm.client import ChatClient
        from rag.llm.prompt import rewrite_messages

        assert isinstance(llm, ChatClient)
        try:
            reply = llm.complete(
                rewrite_messages(question, history, REWRITE_HISTORY_TOKENS), max_tokens=REWRITE_TOKENS
            )
            cleaned = clean_llm_question(reply, limit)
            if cleaned:
                return Rewrite(cleaned, "llm" if cleaned != question else "none")
        except UserError as exc:
            llm_error = str(exc)  # retrieval still gets the offline rewrite below
            llm_outcome = str(getattr(exc, "outcome", outcomes.ERROR))
    if not looks_like_follow_up(question):
        return Rewrite(question, "none", llm_error, llm_outcome)
    last = history[-1]
    standalone = carry_terms(question, last.answer.rewritten or last.question)
    return Rewrite(standalone, "terms" if standalone != question else "none", llm_error, llm_outcome)
