"""Retrieval's numbers in one typed object: fusion, language pools, twins, the cross-lingual second search.

The values live in `data/policy.json` beside this module (with a note on where they came from), not in
code, so a retuned or learned set ships as data. `read_policy` is also how rag.answer.policy loads its
own file (rag.retrieval may not import rag.answer; the answer stage may import this).
"""

from __future__ import annotations

import json
import math
import typing
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

P = TypeVar("P", bound="DataclassInstance")

POLICY_FILE = "data/policy.json"


class PolicyError(ValueError):
    """A policy file or value that cannot be used; the message names the field(s)."""


@dataclass(frozen=True)
class RetrievalPolicy:
    """Every threshold and weight of rag.retrieval. Load with `load_retrieval_policy()`; vary one
    with `dataclasses.replace(policy, rrf_k=30)` (values are checked again)."""

    # Fusion and the language pools (rag.retrieval.hybrid)
    # Reciprocal rank fusion adds 1/(rrf_k + rank): the usual 60 (Cormack et al. 2009), not tuned (d0d3436)
    rrf_k: int
    # Best hits of each language pool that always make the top k (1 in 9e8a47c, 2 by hand in 2bd8092)
    pool_guarantee: int
    # Dense hits fetched per candidate slot before the split into language pools (abd83a0, bench/scale)
    overfetch: int
    # Documents a "both articles" question draws on (626d4cc, hand-set)
    max_documents: int
    # A translation twin ranks at this share of its partner's fused score, just behind it (d0d3436)
    twin_score_factor: float

    # The cross-lingual second search (rag.retrieval.crosslingual)
    # First-retrieval passages that always stay when the LLM-translated search merges in (8fa5ee2)
    keep_original: int
    # Completion-token cap for the LLM's one-line translation of the question (8fa5ee2, hand-set)
    translate_tokens: int
    # Passages the offline dictionary search may add beyond k (626d4cc, hand-fitted on ko->en cases)
    offline_extra: int
    # The dictionary search reads k times this many BM25 hits (626d4cc, hand-set)
    offline_search_depth: int
    # Dictionary renderings searched per key term, first senses first (626d4cc ko->en, 27eea61 en->ko)
    dictionary_renderings: int

    # Where these numbers came from: the data file's note
    provenance: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        check_values(self)
        for name in ("rrf_k", "overfetch", "offline_search_depth"):
            if getattr(self, name) < 1:
                raise PolicyError(f"RetrievalPolicy: {name} must be at least 1 (got {getattr(self, name)})")


def check_values(policy: DataclassInstance) -> None:
    """Every field has its declared type (int, float or str; an int is accepted for a float) and every
    number is finite and not negative. Raises `PolicyError` naming the offending fields."""
    hints = typing.get_type_hints(type(policy))
    bad: list[str] = []
    for f in fields(policy):
        value = getattr(policy, f.name)
        kind = hints[f.name]
        if kind is str:
            ok = isinstance(value, str)
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            ok = (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
                and value >= 0
            )
        if not ok:
            bad.append(f"{f.name}={value!r} (expected a non-negative {getattr(kind, '__name__', kind)})")
    if bad:
        raise PolicyError(f"{type(policy).__name__}: bad value(s): {', '.join(bad)}")


def from_values(cls: type[P], values: dict[str, Any], where: str = "") -> P:
    """A policy from a field -> value mapping: every field must be given, and nothing else."""
    names = {f.name for f in fields(cls)}
    optional = {"provenance"}
    unknown = sorted(set(values) - names)
    missing = sorted(names - optional - set(values))
    if unknown or missing:
        parts = ([f"unknown field(s) {', '.join(unknown)}"] if unknown else []) + (
            [f"missing field(s) {', '.join(missing)}"] if missing else []
        )
        raise PolicyError(f"{cls.__name__}{f' in {where}' if where else ''}: {'; '.join(parts)}")
    hints = typing.get_type_hints(cls)
    # JSON writes 2.0 as a float and may write 2 for one too: floats are floats, so values compare exactly.
    coerced = {
        k: float(v) if hints[k] is float and isinstance(v, int) and not isinstance(v, bool) else v
        for k, v in values.items()
    }
    return cls(**coerced)


def read_policy(cls: type[P], package: str, name: str = POLICY_FILE) -> P:
    """The policy `cls` from the JSON file `name` shipped in `package`:
    {"provenance": "...", "values": {field: value, ...}}."""
    resource = resources.files(package).joinpath(name)
    where = f"{package}/{name}"
    try:
        raw = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PolicyError(f"cannot read the policy file {where}: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("values"), dict):
        raise PolicyError(f"the policy file {where} needs a 'values' object")
    values = dict(raw["values"])
    values.setdefault("provenance", str(raw.get("provenance", "")))
    return from_values(cls, values, where)


@cache
def load_retrieval_policy() -> RetrievalPolicy:
    """The shipped retrieval policy (read once per process)."""
    return read_policy(RetrievalPolicy, __package__ or "rag.retrieval")
