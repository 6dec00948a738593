"""Answer sentences as quotable candidates, and how they become cited answer text.

Shared by the extractive answerer's selection steps; kept apart so each file stays about one job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rag.answer.policy import AnswerPolicy, load_policy
from rag.core.records import Chunk, Citation, Passage
from rag.lang.questions import refers_back
from rag.lang.terms import term_in_set
from rag.lang.tokens import bigrams, token_set, tokens

# ISO dates ("2024-05-17"): the only form whose day can be looked for in a dateline.
_ISO_DATE_CHARS = len("YYYY-MM-DD")


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    rank: int
    start: int  # absolute offsets in the document
    end: int
    text: str
    score: float


Quote = tuple[str, int, int]  # one quoted sentence: (chunk id, start, end), absolute offsets


def quote_of(c: Candidate) -> Quote:
    return (c.passage.chunk.id, c.start, c.end)


def quotes_in(citations: Iterable[Citation]) -> frozenset[Quote]:
    """The sentences an answer quoted, from its citations' highlights."""
    return frozenset((c.chunk_id, s, e) for c in citations for s, e in c.highlights)


def is_question(sentence: str) -> bool:
    return sentence.rstrip("\"'”’])").endswith("?")


def states_field(sentence: str, chunk: Chunk, field: str) -> bool:
    """Does a header sentence state the document's author / publication date?"""
    toks = token_set(sentence)
    if field == "author":
        wanted = tokens(chunk.author)
        return bool(wanted) and all(t in toks for t in wanted)
    if field == "date" and len(chunk.date) == _ISO_DATE_CHARS:
        year, _, day = chunk.date.split("-")
        return year in toks and str(int(day)) in toks | {t.lstrip("0") for t in toks}
    return False


def one_per_document(
    picked: list[Candidate], cands: list[Candidate], policy: AnswerPolicy | None = None
) -> list[Candidate]:
    """For "across both articles" questions: add the best sentence of each other retrieved document
    that scores at least `second_source_min` of the best (up to one more than `max_sentences`)."""
    if not picked:
        return picked
    policy = policy if policy is not None else load_policy()
    best = picked[0].score
    docs = {c.passage.chunk.path for c in picked}
    quoted = {c.passage.chunk.id for c in picked} | {c.passage.chunk.twin for c in picked}
    out = list(picked)
    for c in cands:
        path = c.passage.chunk.path
        if path in docs or c.score < policy.second_source_min * best or c.passage.chunk.id in quoted:
            continue
        out.append(c)
        docs.add(path)
        if len(out) > policy.max_sentences:
            break
    return out


def with_context(picked: list[Candidate]) -> list[Candidate]:
    """Quote the sentence before one that opens by pointing back ("And this is an ongoing
    challenge"): without it the answer has a pronoun where its fact should be."""
    out: list[Candidate] = []
    have = {(c.passage.chunk.id, c.start) for c in picked}
    for c in picked:
        spans = c.passage.chunk.sentence_spans()
        i = spans.index((c.start, c.end)) if (c.start, c.end) in spans else 0
        if i > 0 and refers_back(c.text) and (c.passage.chunk.id, spans[i - 1][0]) not in have:
            s, e = spans[i - 1]
            text = c.passage.chunk.span_text(s, e).strip()
            out.append(Candidate(c.passage, c.rank, s, e, text, c.score))
            have.add((c.passage.chunk.id, s))
        out.append(c)
    return out


def terms_in(text: str, terms: list[str]) -> set[str]:
    toks, grams = token_set(text), bigrams(text)
    return {t for t in terms if term_in_set(t, toks, grams) > 0}


def compose(picked: list[Candidate]) -> tuple[str, tuple[Citation, ...]]:
    """Join sentences with `[n]` markers; n numbers cited passages by first use, so every marker maps."""
    numbers: dict[str, int] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    parts: list[str] = []
    for c in picked:
        cid = c.passage.chunk.id
        n = numbers.setdefault(cid, len(numbers) + 1)
        spans.setdefault(cid, []).append((c.start, c.end))
        parts.append(f"{c.text} [{n}]")
    by_id = {c.passage.chunk.id: c.passage for c in picked}
    citations = tuple(
        Citation(
            n=n,
            doc=by_id[cid].chunk.doc,
            title=by_id[cid].chunk.title,
            date=by_id[cid].chunk.date,
            text=by_id[cid].chunk.text,
            start=by_id[cid].chunk.start,
            end=by_id[cid].chunk.end,
            score=by_id[cid].score,
            publisher=by_id[cid].chunk.publisher,
            chunk_id=cid,
            highlights=tuple(sorted(spans[cid])),
        )
        for cid, n in numbers.items()
    )
    return " ".join(parts), citations
