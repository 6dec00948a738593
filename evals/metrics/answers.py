"""Answer metrics: required facts, refusal on unanswerable questions, false refusals, forbidden claims.

A false-premise question may be answered by a refusal that quotes the correcting passage: that counts
as a usable answer when the correction's facts are present and the false claim is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evals.dataset import Case
from evals.matching import forbidden_present, missing_facts
from rag.core.records import Answer


def usable(case: Case, answer: Answer) -> bool:
    """Whether the answer's content should be judged (a refusal is, only on a false-premise case)."""
    return not answer.refused or case.type == "false-premise"


@dataclass
class AnswerCheck:
    scores: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    missing: list[tuple[str, ...]] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)


def check_answer(case: Case, answer: Answer) -> AnswerCheck:
    out = AnswerCheck()
    if not case.answerable:
        out.scores["refusal_accuracy"] = float(answer.refused)
        if not answer.refused:
            out.failures.append("not refused")
        return out
    wrongly_refused = not usable(case, answer)
    out.scores["false_refusal"] = float(wrongly_refused)
    if wrongly_refused:
        out.failures.append("refused")
    out.missing = missing_facts(case.facts, answer.answer) if not wrongly_refused else list(case.facts)
    out.scores["facts"] = float(not out.missing)
    if out.missing:
        out.failures.append("facts")
    if case.forbid:
        out.forbidden = forbidden_present(case.forbid, answer.answer)
        out.scores["forbidden"] = float(bool(out.forbidden))
        if out.forbidden:
            out.failures.append("forbidden")
    return out
