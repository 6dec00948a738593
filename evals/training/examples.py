"""Training rows for the answer judge: each public question retrieved against its pooled index, every
candidate sentence of the top passages as a feature row (rag.answer.features), labelled from the gold
answer.

Two settings per question: "pool" (the top passages as a user would get them; SQuAD's unanswerable
questions are asked here) and, for answerable questions, "without-article" (the top passages once the
question's own article is dropped: a question the pool cannot answer). A sentence is positive when it
lies in the question's own article and contains a gold answer (evals.public.scoring); a question is
answerable when one of its candidates is positive.

Usage:
    >>> rows = build_rows(engine, cases)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from evals.public.datasets import PublicCase
from evals.public.run import POOL, TOP_K, WITHOUT_ARTICLE, WITHOUT_ARTICLE_EXTRA, same_document
from evals.public.scoring import contains_answer
from rag.answer.features import sentence_features
from rag.answer.judged import passages_in
from rag.answer.policy import load_policy


@dataclass
class Row:
    id: str
    lang: str
    dataset: str
    title: str
    setting: str  # POOL or WITHOUT_ARTICLE
    answers: tuple[str, ...]
    X: np.ndarray
    y: np.ndarray  # 1: the sentence holds the gold answer in the question's own article
    texts: list[str]
    positions: list[tuple[int, int]] = field(default_factory=list)  # (passage index, sentence index)
    lacks_name: bool = False  # rag.answer.evidence: a name or number asked about is in no passage
    lacks_asked_for: bool = False  # nor the noun a "which X" question asks for

    @property
    def kind(self) -> str:
        if self.setting == WITHOUT_ARTICLE:
            return "without-article"
        return "answerable" if self.answers else "unanswerable"

    @property
    def answerable(self) -> bool:
        return bool(self.y.any())


def build_rows(engine: Any, cases: Sequence[PublicCase]) -> list[Row]:
    policy = load_policy()
    lexical = engine.lexical
    rows: list[Row] = []
    for case in cases:
        retrieval = engine.retriever.retrieve(case.question, TOP_K + WITHOUT_ARTICLE_EXTRA)
        q = np.asarray(retrieval.query_embedding, dtype=np.float32)
        settings = {POOL: retrieval.passages[:TOP_K]}
        if case.answerable:
            settings[WITHOUT_ARTICLE] = [
                p for p in retrieval.passages if not same_document(p.chunk.path, case.document)
            ][:TOP_K]
        for setting, passages in settings.items():
            ins = passages_in(passages, lexical)
            rules = engine.extractive.evidence(replace(retrieval, passages=passages))
            cands, X = sentence_features(case.question, q, ins, lexical.capped_idf, lexical.unseen, policy)
            y = np.zeros(len(cands), dtype=np.int8)
            if setting == POOL and case.answerable:
                for i, c in enumerate(cands):
                    own = same_document(passages[c.p].chunk.path, case.document)
                    y[i] = own and contains_answer(c.text, case.answers)
            rows.append(
                Row(
                    case.id,
                    case.lang,
                    case.dataset,
                    case.title,
                    setting,
                    case.answers if setting == POOL else (),
                    X,
                    y,
                    [c.text for c in cands],
                    [(c.p, c.s) for c in cands],
                    rules.lacks_name,
                    rules.lacks_asked_for,
                )
            )
    return rows
