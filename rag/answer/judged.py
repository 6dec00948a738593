"""The learned judge applied to one retrieval: its verdict, and its chosen sentences as quotable
candidates, so the extractive answerer composes and cites them like any other.

Usage:
    >>> decision = judge_retrieval(judge, retrieval, lexical)  # doctest: +SKIP
    >>> picked = chosen_candidates(decision, retrieval)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from rag.answer.candidates import Candidate, Quote, quote_of
from rag.answer.evidence import Evidence
from rag.answer.features import PassageIn
from rag.answer.judge import Decision, LearnedJudge
from rag.core.records import Passage
from rag.retrieval.hybrid import Retrieval
from rag.retrieval.lexical import LexicalIndex


def passages_in(passages: Sequence[Passage], lexical: LexicalIndex) -> list[PassageIn]:
    """Retrieved passages (best first) with their stored sentence vectors, as the features read them;
    the same for answering and for training (evals.training.examples)."""
    out = []
    for rank, p in enumerate(passages, 1):
        c = p.chunk
        vectors, titled = lexical.sentences.both_for_chunk(c.id) if lexical.sentences is not None else (None, None)
        out.append(
            PassageIn(rank, p.score, p.dense, c.text, c.start, c.sentence_spans(), vectors, c.title, titled)
        )
    return out


def judge_retrieval(
    judge: LearnedJudge, retrieval: Retrieval, lexical: LexicalIndex, evidence: Evidence | None = None
) -> Decision:
    """The judge's verdict; `evidence`: the rules' view of the same passages, whose missing names and
    asked-for noun are judge features."""
    q_vec = np.asarray(retrieval.query_embedding, dtype=np.float32)
    passages = passages_in(retrieval.passages, lexical)
    name, asked = (evidence.lacks_name, evidence.lacks_asked_for) if evidence is not None else (False, False)
    return judge.decide(retrieval.question, q_vec, passages, lexical.capped_idf, lexical.unseen, name, asked)


def as_candidate(decision: Decision, retrieval: Retrieval, i: int) -> Candidate:
    c = decision.candidates[i]
    passage: Passage = retrieval.passages[c.p]
    return Candidate(passage, c.p, c.start, c.end, c.text, float(decision.scores[i]))


def chosen_candidates(decision: Decision, retrieval: Retrieval) -> list[Candidate]:
    return [as_candidate(decision, retrieval, i) for i in decision.chosen]


def unshown_candidates(
    judge: LearnedJudge | None, decision: Decision, retrieval: Retrieval, shown: Collection[Quote]
) -> list[Candidate]:
    """The judge's chosen sentences; when any of them is in `shown` (what the previous answer of a
    chat quoted) and others remain, the same rule's choice among the others: a follow-up that
    retrieval answers with the passage just quoted ("What about North Korea?") gets its next best
    sentences, since the reader has those already."""
    picked = chosen_candidates(decision, retrieval)
    if judge is None or not shown or not any(quote_of(c) in shown for c in picked):
        return picked
    n = len(decision.candidates)
    seen = {i for i in range(n) if quote_of(as_candidate(decision, retrieval, i)) in shown}
    fresh = judge.choose_excluding(decision, retrieval.question, seen)
    return [as_candidate(decision, retrieval, i) for i in fresh] or picked


def ranked_candidates(decision: Decision, retrieval: Retrieval) -> list[Candidate]:
    """Every candidate, best first by the ranker."""
    return [as_candidate(decision, retrieval, i) for i in decision.ranked()]


def related_candidates(decision: Decision, retrieval: Retrieval, limit: int) -> list[Candidate]:
    """The best-ranked sentence of each of the `limit` best passages: what a refusal shows as related."""
    out: list[Candidate] = []
    seen: set[int] = set()
    for cand in ranked_candidates(decision, retrieval):
        if cand.rank in seen:
            continue
        seen.add(cand.rank)
        out.append(cand)
        if len(out) >= limit:
            break
    return out
