"""The metric catalogue: every score `rag eval` reports, its family, and which direction is better.

Per-case scores are numbers in [0, 1] (absent when the metric does not apply to the case, e.g. retrieval
on an unanswerable question); groups average them and report how many cases each average covers.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.core.errors import UserError


class UnknownMetricError(UserError):
    pass


@dataclass(frozen=True)
class Metric:
    name: str
    family: str  # retrieval | answers | citations | judge
    higher_is_better: bool
    doc: str


METRICS: tuple[Metric, ...] = (
    Metric("hit@1", "retrieval", True, "a passage holding an evidence string is ranked first"),
    Metric("hit@3", "retrieval", True, "... within the top 3"),
    Metric("hit@5", "retrieval", True, "... within the top 5"),
    Metric("recall@5", "retrieval", True, "share of the index's evidence-bearing passages in the top 5"),
    Metric("recall@10", "retrieval", True, "share of the index's evidence-bearing passages in the top 10"),
    Metric("mrr@10", "retrieval", True, "reciprocal rank of the first evidence-bearing passage (0 past 10)"),
    Metric("ndcg@10", "retrieval", True, "binary-relevance nDCG@10, ideal DCG over min(relevant, 10) ranks"),
    Metric("facts", "answers", True, "answerable: every fact group appears in the answer"),
    Metric("refusal_accuracy", "answers", True, "unanswerable: the system declined"),
    Metric("false_refusal", "answers", False, "answerable: the system declined (false premise excepted)"),
    Metric("forbidden", "answers", False, "cases with `forbid`: the answer repeats a forbidden claim"),
    Metric("markers_valid", "citations", True, "every [n] in the answer maps to a returned citation"),
    Metric("cited_sentences", "citations", True, "share of answer sentences carrying a [n] marker"),
    Metric("evidence_hit", "citations", True, "answerable: a cited passage holds an evidence string"),
    Metric("citation_precision", "citations", True, "share of (sentence, cited passage) pairs that support"),
    Metric(
        "judge_faithfulness", "judge", True, "LLM judge: share of claims supported by their cited passage"
    ),
    Metric("judge_correctness", "judge", True, "LLM judge: answer agrees with the expected facts (0-1)"),
)
BY_NAME = {m.name: m for m in METRICS}
FAMILIES = ("retrieval", "answers", "citations", "judge")
DETERMINISTIC = tuple(m.name for m in METRICS if m.family != "judge")


def select(names: list[str] | None) -> tuple[str, ...]:
    """Metric names from a `--metrics` list of metric or family names; default: every deterministic one."""
    if not names:
        return DETERMINISTIC
    chosen: list[str] = []
    for raw in names:
        for name in (n.strip() for n in raw.split(",")):
            if not name:
                continue
            if name in FAMILIES:
                chosen.extend(m.name for m in METRICS if m.family == name)
            elif name in BY_NAME:
                chosen.append(name)
            else:
                known = ", ".join([*FAMILIES, *BY_NAME])
                raise UnknownMetricError(f"unknown metric {name!r} (known: {known})")
    return tuple(dict.fromkeys(chosen))
