"""`rag eval --dataset squad2|tydiqa-en|tydiqa-ko`: the offline answer stage on public questions.

Each question is asked against the pooled index of every article in the run (evals.public.pool), as
`rag ask` would answer it. Answerable questions of TyDi QA are asked a second time against the pool
without their own article: the standard way to make unanswerable questions where the data has none
(simulated by dropping that article's passages from the ranked list; the other passages keep their
order). Next to the product's answer, the same run measures the best-sentence baseline: the sentence of
the top passages closest to the question by e5 cosine, never refusing.

Usage:
    >>> results = run_public(engine, cases)  # doctest: +SKIP
    >>> summarise(results)["lang:ko"]["facts"]  # doctest: +SKIP
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from evals.public.datasets import PublicCase
from evals.public.scoring import contains_answer

TOP_K = 5
# Passages fetched beyond k when the question's own article is taken out of the pool.
WITHOUT_ARTICLE_EXTRA = 15
POOL, WITHOUT_ARTICLE = "pool", "without-article"


@dataclass
class PublicResult:
    id: str
    dataset: str
    lang: str
    variant: str  # POOL, or WITHOUT_ARTICLE (the question made unanswerable)
    answerable: bool  # in this variant
    refused: bool
    answer: str
    baseline: str
    facts: bool | None = None  # answerable only
    baseline_facts: bool | None = None
    hit1: bool | None = None
    hit5: bool | None = None
    planted: bool | None = None  # SQuAD unanswerable answered with the annotators' distractor span
    confidence: float | None = None  # the answer stage's score, when it reports one

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def same_document(chunk_path: str, document: str) -> bool:
    """Chunk paths are relative to the ingest root's parent ("docs/<file>")."""
    return chunk_path == document or chunk_path.endswith("/" + document)


class _WithoutDocument:
    """The engine's retriever with one document taken out of every ranked list."""

    def __init__(self, inner: Any, document: str) -> None:
        self.inner = inner
        self.document = document

    def retrieve(self, question: str, k: int) -> Any:
        r = self.inner.retrieve(question, k + WITHOUT_ARTICLE_EXTRA)
        kept = [p for p in r.passages if not same_document(p.chunk.path, self.document)][:k]
        return replace(r, passages=kept)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def best_sentence(engine: Any, retrieval: Any) -> str:
    """The baseline's answer: the top passages' sentence closest to the question by e5 cosine."""
    q = np.asarray(retrieval.query_embedding, dtype=np.float32)
    best, best_sim = "", -2.0
    sentences = engine.lexical.sentences
    for p in retrieval.passages:
        spans = p.chunk.sentence_spans()
        vectors = sentences.for_chunk(p.chunk.id) if sentences is not None else None
        if vectors is None or len(vectors) != len(spans) or not q.size:
            continue
        sims = np.asarray(vectors, dtype=np.float32) @ q
        i = int(np.argmax(sims))
        if float(sims[i]) > best_sim:
            best, best_sim = p.chunk.span_text(*spans[i]).strip(), float(sims[i])
    return best


def _ask(engine: Any, case: PublicCase, variant: str) -> PublicResult:
    if variant == WITHOUT_ARTICLE:
        inner = engine.retriever
        engine.retriever = _WithoutDocument(inner, case.document)
        try:
            retrieval = engine.retriever.retrieve(case.question, TOP_K)
            answer = engine.ask(case.question, TOP_K)
        finally:
            engine.retriever = inner
    else:
        retrieval = engine.retriever.retrieve(case.question, TOP_K)
        answer = engine.ask(case.question, TOP_K)
    text = "" if answer.refused else answer.answer
    baseline = best_sentence(engine, retrieval)
    answerable = case.answerable and variant == POOL
    result = PublicResult(
        case.id,
        case.dataset,
        case.lang,
        variant,
        answerable,
        answer.refused,
        answer.answer,
        baseline,
        confidence=getattr(answer, "confidence", None),
    )
    if answerable:
        texts = [p.chunk.text for p in retrieval.passages]
        result.facts = contains_answer(text, case.answers)
        result.baseline_facts = contains_answer(baseline, case.answers)
        result.hit1 = bool(texts) and contains_answer(texts[0], case.answers)
        result.hit5 = any(contains_answer(t, case.answers) for t in texts[:TOP_K])
    elif case.plausible and variant == POOL:
        result.planted = not answer.refused and contains_answer(text, case.plausible)
    return result


def run_public(
    engine: Any,
    cases: Sequence[PublicCase],
    without_article: bool = True,
    on_case: Callable[[PublicResult], None] | None = None,
) -> list[PublicResult]:
    """Ask every case against the pool; TyDi's answerable cases also against the pool without their article."""
    out: list[PublicResult] = []
    for case in cases:
        variants = [POOL]
        if without_article and case.answerable and case.dataset.startswith("tydiqa"):
            variants.append(WITHOUT_ARTICLE)
        for v in variants:
            r = _ask(engine, case, v)
            out.append(r)
            if on_case:
                on_case(r)
    return out


def _mean(values: Sequence[bool | float | None]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def _group(rs: Sequence[PublicResult]) -> dict[str, Any]:
    answerable = [r for r in rs if r.answerable]
    squad_unans = [r for r in rs if not r.answerable and r.variant == POOL]
    no_article = [r for r in rs if r.variant == WITHOUT_ARTICLE]
    answered = [r for r in answerable if not r.refused]
    return {
        "answerable": len(answerable),
        "hit@1": _mean([r.hit1 for r in answerable]),
        "hit@5": _mean([r.hit5 for r in answerable]),
        "facts": _mean([r.facts for r in answerable]),
        "baseline_facts": _mean([r.baseline_facts for r in answerable]),
        "answerable_refused": _mean([r.refused for r in answerable]),
        "mean_answer_chars": _mean([len(r.answer) for r in answered]),
        "unanswerable": len(squad_unans),
        "unanswerable_refused": _mean([r.refused for r in squad_unans]),
        "planted_answered": _mean([r.planted for r in squad_unans]),
        "without_article": len(no_article),
        "without_article_refused": _mean([r.refused for r in no_article]),
    }


def summarise(results: Sequence[PublicResult]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[PublicResult]] = {"all": list(results)}
    for r in results:
        groups.setdefault(f"lang:{r.lang}", []).append(r)
        groups.setdefault(f"dataset:{r.dataset}", []).append(r)
    return {name: _group(rs) for name, rs in groups.items()}


ROWS = (
    ("answerable", "answerable questions"),
    ("hit@1", "retrieval: gold in top passage"),
    ("hit@5", "retrieval: gold in top 5"),
    ("facts", "facts (refusal = miss)"),
    ("baseline_facts", "best-sentence baseline facts"),
    ("answerable_refused", "answerable refused"),
    ("mean_answer_chars", "mean answer length (chars)"),
    ("unanswerable", "SQuAD unanswerable questions"),
    ("unanswerable_refused", "SQuAD unanswerable refused"),
    ("planted_answered", "answered with the planted distractor"),
    ("without_article", "pool-without-its-article questions"),
    ("without_article_refused", "pool-without-its-article refused"),
)


def markdown_table(summary: dict[str, dict[str, Any]]) -> str:
    groups = [g for g in summary if g != "all"]
    lines = ["| | " + " | ".join(groups) + " |", "|---" * (len(groups) + 1) + "|"]
    for key, label in ROWS:
        cells = []
        for g in groups:
            v = summary[g].get(key)
            cells.append("—" if v is None or (isinstance(v, int) and v == 0 and key != "answerable") else f"{v:g}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def progress_line(r: PublicResult) -> None:
    mark = "refused" if r.refused else ("ok" if r.facts or r.facts is None else "miss")
    print(f"{mark:8} {r.dataset} {r.variant} {r.id}", file=sys.stderr)
