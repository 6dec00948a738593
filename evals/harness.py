"""Run a dataset through the engine and score every case (the deterministic, offline metrics).

One pass per case: the engine answers (its own retrieval, timings and citations), and the retriever
ranks `retrieval.DEPTH` passages for the ranking metrics. Groups ("all", "lang:en", "type:ko->en", ...)
average each metric over the cases it applies to and carry that count, so a 0.50 over 2 cases never
reads like a 0.50 over 40.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evals.dataset import Case
from evals.metrics import DETERMINISTIC
from evals.metrics.answers import check_answer
from evals.metrics.citations import check_citations
from evals.metrics.retrieval import CUTOFFS, DEPTH, relevant_ids, retrieval_scores
from rag.core.records import Answer, Chunk
from rag.retrieval.hybrid import HybridRetriever

DRAFT_CHARS = 400  # of an unshown model reply kept in the report


@dataclass
class Ranked:
    """One retrieved passage as the report shows it."""

    doc: str
    chunk_id: str
    relevant: bool
    preview: str


@dataclass
class CaseResult:
    case: Case
    answer: Answer
    scores: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    ranked: list[Ranked] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "question": self.case.question,
            "lang": self.case.lang,
            "type": self.case.type,
            "answerable": self.case.answerable,
            "passed": self.passed,
            "failures": self.failures,
            "scores": {k: round(v, 4) for k, v in sorted(self.scores.items())},
            "details": self.details,
            "answer": self.answer.answer,
            "refused": self.answer.refused,
            "mode": self.answer.mode,
            "outcome": self.answer.outcome,
            "tokens": dict(self.answer.tokens),
            # The model's reply when it was not shown (it cited nothing): why the case fell back.
            "draft": self.answer.draft[:DRAFT_CHARS],
            "citations": [
                {"n": c.n, "doc": c.doc, "start": c.start, "end": c.end, "text": c.text}
                for c in self.answer.citations
            ],
            "retrieved": [r.__dict__ for r in self.ranked],
            "timings_ms": {k: round(v, 2) for k, v in self.answer.timings_ms.items()},
        }


def score_case(
    case: Case,
    answer: Answer,
    selections: dict[int, list[Chunk]] | None,
    index_chunks: list[Chunk],
    metrics: tuple[str, ...] = DETERMINISTIC,
) -> CaseResult:
    """All deterministic scores of one answered case. `selections[k]` is what the retriever returns
    for k slots (None when retrieval is not measured)."""
    result = CaseResult(case, answer)
    ans, cit = check_answer(case, answer), check_citations(case, answer)
    result.scores.update(ans.scores)
    result.scores.update(cit.scores)
    result.failures = [*ans.failures, *cit.failures]
    result.details = {
        "missing_facts": [list(g) for g in ans.missing],
        "forbidden_found": ans.forbidden,
        "bad_markers": cit.bad_markers,
        "uncited_sentences": cit.uncited,
        "unsupported_citations": [{"sentence": s, "n": n} for s, n in cit.unsupported],
    }
    if selections is not None and case.answerable:
        relevant = relevant_ids(case.evidence, index_chunks)
        result.ranked = [
            Ranked(c.doc, c.id, c.id in relevant, " ".join(c.text.split())[:160]) for c in selections[DEPTH]
        ]
        if relevant:
            twin_of = {c.id: c.twin for c in index_chunks if c.twin}
            result.scores.update(retrieval_scores(relevant, selections, twin_of))
            if not result.scores["hit@5"]:
                result.failures.insert(0, "retrieval")
        else:
            # Nothing in the index contains the evidence (a changed corpus, or an evidence string split
            # across chunks): a dataset problem, not a retrieval miss, so it is flagged instead of scored.
            result.details["unjudgeable_retrieval"] = True
    kept = set(metrics)
    result.scores = {k: v for k, v in result.scores.items() if k in kept or k.startswith("judge_")}
    return result


class _MemoEmbedder:
    """The engine's embedder with query vectors remembered: the retriever is asked once per cutoff."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.memo: dict[str, list[float]] = {}

    def get_query_embedding(self, query: str) -> list[float]:
        if query not in self.memo:
            self.memo[query] = self.inner.get_query_embedding(query)
        return self.memo[query]

    def get_text_embedding(self, text: str) -> list[float]:
        return list(self.inner.get_text_embedding(text))

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> Sequence[Sequence[float]]:
        return list(self.inner.get_text_embedding_batch(texts, show_progress=show_progress, **kwargs))


def eval_retriever(engine: Any) -> HybridRetriever:
    """A retriever configured like the engine's, sharing its store and BM25 index."""
    r = engine.retriever
    return HybridRetriever(r.store, r.lexical, _MemoEmbedder(r.embedder), r.candidates)


def run_cases(
    engine: Any,
    cases: list[Case],
    metrics: tuple[str, ...] = DETERMINISTIC,
    on_case: Callable[[CaseResult], None] | None = None,
) -> list[CaseResult]:
    """Answer and score every case with a warm engine (`rag.engine.Engine` or anything shaped like it)."""
    want_retrieval = any(m.startswith(("hit@", "recall@", "mrr@", "ndcg@")) for m in metrics)
    index_chunks = list(engine.lexical.chunks) if want_retrieval else []
    retriever = eval_retriever(engine) if want_retrieval else None
    results: list[CaseResult] = []
    for case in cases:
        answer = engine.ask(case.question)
        selections = None
        if retriever is not None and case.answerable:
            selections = {
                k: [p.chunk for p in retriever.retrieve(case.question, k).passages] for k in CUTOFFS
            }
        result = score_case(case, answer, selections, index_chunks, metrics)
        results.append(result)
        if on_case:
            on_case(result)
    return results


def group_keys(case: Case) -> tuple[str, ...]:
    return ("all", f"lang:{case.lang}", f"type:{case.type}")


def summarise(results: list[CaseResult]) -> dict[str, dict[str, Any]]:
    """group -> {"cases": n, "passed": n, "metrics": {metric: {"mean": x, "n": count}}}."""
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        for key in group_keys(r.case):
            counts[key][0] += 1
            counts[key][1] += r.passed
            for name, v in r.scores.items():
                if not math.isnan(v):
                    values[key][name].append(v)
    order = sorted(counts, key=lambda k: (k != "all", not k.startswith("lang:"), k))
    return {
        key: {
            "cases": counts[key][0],
            "passed": counts[key][1],
            "metrics": {
                name: {"mean": round(float(np.mean(vs)), 4), "n": len(vs)}
                for name, vs in sorted(values[key].items())
            },
        }
        for key in order
    }


def latency(results: list[CaseResult]) -> dict[str, dict[str, float]]:
    """p50/p95 per stage from `Answer.timings_ms` (whatever stages the engine reports)."""
    stages: dict[str, list[float]] = defaultdict(list)
    for r in results:
        for stage, ms in r.answer.timings_ms.items():
            stages[stage].append(ms)
    return {
        stage: {
            "p50": round(float(np.percentile(v, 50)), 2),
            "p95": round(float(np.percentile(v, 95)), 2),
            "n": len(v),
        }
        for stage, v in sorted(stages.items(), key=lambda kv: (kv[0] != "total", kv[0]))
    }
