"""Run a dataset through the engine and score it (the deterministic, offline metrics).

Issue 2's quality bar is measured here: cited-passage evidence hit, required facts, unanswerable
refused, answerable wrongly refused, and retrieval hit@5, each split by language and case type.
A false-premise question may be answered by a refusal that quotes the correcting passage: that
counts as correct when the correction's facts are present and the false claim is not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from evals.dataset import Case
from evals.matching import facts_present, forbidden_present, passage_has_evidence
from rag.records import Answer


@dataclass
class CaseResult:
    case: Case
    answer: Answer
    retrieved_hit5: bool

    @property
    def accepted_refusal(self) -> bool:
        return self.case.type == "false-premise"

    @property
    def evidence_hit(self) -> bool:
        usable = not self.answer.refused or self.accepted_refusal
        return usable and any(passage_has_evidence(self.case.evidence, c.text) for c in self.answer.citations)

    @property
    def facts_ok(self) -> bool:
        usable = not self.answer.refused or self.accepted_refusal
        return (
            usable
            and facts_present(self.case.facts, self.answer.answer)
            and not forbidden_present(self.case.forbid, self.answer.answer)
        )

    @property
    def wrongly_refused(self) -> bool:
        return self.case.answerable and self.answer.refused and not self.accepted_refusal

    def failures(self) -> list[str]:
        out: list[str] = []
        if self.case.answerable:
            if self.wrongly_refused:
                out.append("refused")
            if not self.evidence_hit:
                out.append("evidence")
            if not self.facts_ok:
                out.append("facts")
        elif not self.answer.refused:
            out.append("not refused")
        return out


@dataclass
class Scores:
    n: int = 0
    answerable: int = 0
    unanswerable: int = 0
    hit5: int = 0
    evidence: int = 0
    facts: int = 0
    wrongly_refused: int = 0
    refused_unanswerable: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, r: CaseResult) -> None:
        self.n += 1
        if r.case.answerable:
            self.answerable += 1
            self.hit5 += r.retrieved_hit5
            self.evidence += r.evidence_hit
            self.facts += r.facts_ok
            self.wrongly_refused += r.wrongly_refused
        else:
            self.unanswerable += 1
            self.refused_unanswerable += r.answer.refused

    def rates(self) -> dict[str, float | int]:
        a, u = max(self.answerable, 1), max(self.unanswerable, 1)
        return {
            "n": self.n,
            "answerable": self.answerable,
            "unanswerable": self.unanswerable,
            "retrieval_hit@5": self.hit5 / a,
            "evidence_hit": self.evidence / a,
            "facts": self.facts / a,
            "wrongly_refused": self.wrongly_refused / a,
            "unanswerable_refused": self.refused_unanswerable / u if self.unanswerable else float("nan"),
        }


def run_cases(engine: Any, cases: list[Case]) -> list[CaseResult]:
    results: list[CaseResult] = []
    for case in cases:
        answer = engine.ask(case.question)
        retrieval = engine.retriever.retrieve(case.question, 5)
        hit = any(passage_has_evidence(case.evidence, p.chunk.text) for p in retrieval.passages)
        results.append(CaseResult(case, answer, hit))
    return results


def summarise(results: list[CaseResult]) -> dict[str, dict[str, float | int]]:
    groups: dict[str, Scores] = defaultdict(Scores)
    for r in results:
        for key in ("all", f"lang:{r.case.lang}", f"type:{r.case.type}"):
            groups[key].add(r)
    return {k: v.rates() for k, v in sorted(groups.items())}
