"""Retrieval metrics judged by evidence strings, so they survive re-chunking and a new embedder.

A passage is relevant when it contains one of the case's evidence strings; the relevant set is found
afresh in whatever index is being evaluated, so no chunk ids are stored in datasets or baselines.

What is ranked is what the retriever hands the answerer. `hit@k` and `recall@k` ask the retriever for k
slots: its selection guarantees every language pool a place, so the top-5 selection is not a prefix of
the top-10 order and each k is asked separately. `mrr@10` and `ndcg@10` rank the slots of the top-10
selection in fused order; a paragraph and its translation share a slot (as they do in the retriever).

hit, recall and MRR come from llama-index. nDCG is computed here: llama-index 0.14's `NDCG` sums the
ideal DCG over every relevant id, so when more passages are relevant than the cut-off its score can
never reach 1; the standard ideal DCG stops at min(relevant, k).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from llama_index.core.evaluation.retrieval.metrics import MRR, HitRate, Recall

from evals.matching import passage_has_evidence
from rag.core.records import Chunk

CUTOFFS = (1, 3, 5, 10)
DEPTH = 10
NAMES = ("hit@1", "hit@3", "hit@5", "recall@5", "recall@10", "mrr@10", "ndcg@10")


def relevant_ids(evidence: tuple[str, ...], chunks: Iterable[Chunk]) -> list[str]:
    return [c.id for c in chunks if passage_has_evidence(evidence, c.text)]


def slots(ranked: list[Chunk]) -> list[list[str]]:
    """Passages in order, a translation twin folded into its partner's slot."""
    out: list[list[str]] = []
    where: dict[str, int] = {}
    for c in ranked:
        if c.twin and c.twin in where:
            out[where[c.twin]].append(c.id)
            where[c.id] = where[c.twin]
        else:
            where[c.id] = len(out)
            out.append([c.id])
    return out


def relevant_slot_count(relevant: list[str], twin_of: dict[str, str]) -> int:
    """How many slots the relevant passages could fill at best (a relevant pair of twins fills one)."""
    seen: set[str] = set()
    count = 0
    for cid in relevant:
        if cid not in seen:
            count += 1
            seen.update({cid, twin_of.get(cid, "")})
    return count


def ndcg(slot_relevance: list[bool], n_relevant: int, k: int) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, rel in enumerate(slot_relevance[:k]) if rel)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(n_relevant, k)))
    return dcg / ideal if ideal else 0.0


def retrieval_scores(
    relevant: list[str], selections: dict[int, list[Chunk]], twin_of: dict[str, str]
) -> dict[str, float]:
    """Scores of one case; `relevant` must be non-empty (a case nothing in the index supports is
    reported as unjudgeable instead of as a miss). `selections[k]` is the retriever's answer for k."""
    scores: dict[str, float] = {}
    rel = set(relevant)
    for k in (1, 3, 5):
        ids = [c.id for c in selections[k]]
        scores[f"hit@{k}"] = HitRate().compute(expected_ids=relevant, retrieved_ids=ids).score if ids else 0.0
    for k in (5, 10):
        ids = [c.id for c in selections[k]]
        scores[f"recall@{k}"] = (
            Recall().compute(expected_ids=relevant, retrieved_ids=ids).score if ids else 0.0
        )
    ranked = slots(selections[DEPTH])[:DEPTH]
    # One id per slot for llama-index's MRR: a relevant member when there is one.
    firsts = [next((cid for cid in s if cid in rel), s[0]) for s in ranked]
    scores["mrr@10"] = MRR().compute(expected_ids=relevant, retrieved_ids=firsts).score if firsts else 0.0
    scores["ndcg@10"] = ndcg([cid in rel for cid in firsts], relevant_slot_count(relevant, twin_of), DEPTH)
    return scores
