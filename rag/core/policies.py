"""Typed policy files: a frozen dataclass of numbers read from a JSON file shipped in a package, every
field required, typed and checked (the answer stage's and retrieval's policies both load this way).

Usage: `read_policy(RetrievalPolicy, "rag.retrieval")` reads `rag/retrieval/data/policy.json`,
`{"provenance": "...", "values": {field: value, ...}}`; a bad file raises `PolicyError` naming the fields.
"""

from __future__ import annotations

import json
import math
import typing
from dataclasses import dataclass, field, fields
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

P = TypeVar("P", bound="DataclassInstance")

POLICY_FILE = "data/policy.json"


class PolicyError(ValueError):
    """A policy file or value that cannot be used; the message names the field(s)."""


@dataclass(frozen=True)
class Policy:
    """Base of a typed policy: its fields are checked on creation (and after `dataclasses.replace`),
    the names in `positive` must be above zero, and `provenance` says where the numbers came from."""

    positive: ClassVar[tuple[str, ...]] = ()
    provenance: str = field(default="", repr=False, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        check_values(self, positive=self.positive)


def check_values(policy: DataclassInstance, positive: tuple[str, ...] = ()) -> None:
    """Every field has its declared type (int, float or str; an int is accepted for a float), every
    number is finite and not negative, and the `positive` ones above zero. Raises `PolicyError` naming
    the offending fields."""
    hints = typing.get_type_hints(type(policy))
    bad: list[str] = []
    for f in fields(policy):
        value = getattr(policy, f.name)
        kind = hints[f.name]
        if kind is str:
            ok = isinstance(value, str)
        elif kind is bool:
            ok = isinstance(value, bool)
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
    for name in positive:
        if getattr(policy, name) <= 0:
            raise PolicyError(f"{type(policy).__name__}: {name} must be positive (got {getattr(policy, name)})")


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
