"""Eval cases: load and validate the JSONL datasets (schema in evals/datasets/SCHEMA.md)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from rag.core.errors import UserError

SHIPPED = Path(__file__).parent / "datasets" / "shipped.jsonl"
# A second set with its own small corpus (ingest KOREAN_NEWS_DOCS, then `rag eval --dataset`).
KOREAN_NEWS = Path(__file__).parent / "datasets" / "korean_news.jsonl"
KOREAN_NEWS_DOCS = Path(__file__).parent / "datasets" / "korean_news"
CASE_TYPES = frozenset(
    {"en", "ko", "ko->en", "en->ko", "multi-doc", "number", "date", "false-premise", "unanswerable"}
)


class DatasetError(UserError):
    pass


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    lang: str
    type: str
    answerable: bool
    facts: tuple[tuple[str, ...], ...]
    evidence: tuple[str, ...]
    sources: tuple[str, ...]
    forbid: tuple[str, ...] = ()


def _field(row: dict[str, object], name: str, kind: type, where: str) -> object:
    if name not in row:
        raise DatasetError(f"{where}: missing field {name!r}")
    value = row[name]
    if not isinstance(value, kind):
        raise DatasetError(f"{where}: field {name!r} must be {kind.__name__}")
    return value


def _strings(value: object, name: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise DatasetError(f"{where}: field {name!r} must be a list of strings")
    return tuple(value)


def _patterns(value: object, name: str, where: str) -> tuple[str, ...]:
    value = _strings(value, name, where)
    for p in value:
        try:
            re.compile(p)
        except re.error as exc:
            raise DatasetError(f"{where}: field {name!r} has a bad pattern {p!r} ({exc})") from None
    return value


def load_datasets(paths: list[Path]) -> list[Case]:
    """Several files as one run; a case id must be unique across all of them (baselines key on it)."""
    cases: list[Case] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for case in load_cases(path):
            if case.id in seen:
                raise DatasetError(f"{path.name}: case id {case.id!r} also appears in {seen[case.id].name}")
            seen[case.id] = path
            cases.append(case)
    return cases


def load_cases(path: Path) -> list[Case]:
    if not path.exists():
        raise DatasetError(f"dataset not found: {path}")
    cases: list[Case] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name} line {lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: invalid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise DatasetError(f"{where}: expected a JSON object")
        cid = str(_field(row, "id", str, where))
        if cid in seen:
            raise DatasetError(f"{where}: duplicate id {cid!r}")
        seen.add(cid)
        lang = str(_field(row, "lang", str, where))
        if lang not in ("en", "ko"):
            raise DatasetError(f"{where}: field 'lang' must be 'en' or 'ko'")
        ctype = str(row.get("type", "en" if lang == "en" else "ko"))
        if ctype not in CASE_TYPES:
            raise DatasetError(f"{where}: field 'type' has unknown value {ctype!r}")
        facts_raw = _field(row, "facts", list, where)
        assert isinstance(facts_raw, list)
        facts = tuple(_patterns(g, "facts", where) for g in facts_raw)
        answerable = bool(_field(row, "answerable", bool, where))
        evidence = _strings(_field(row, "evidence", list, where), "evidence", where)
        if answerable and not evidence:
            raise DatasetError(f"{where}: field 'evidence' is empty on an answerable case")
        cases.append(
            Case(
                id=cid,
                question=str(_field(row, "question", str, where)),
                lang=lang,
                type=ctype,
                answerable=answerable,
                facts=facts,
                evidence=evidence,
                sources=_strings(_field(row, "sources", list, where), "sources", where),
                forbid=_patterns(row.get("forbid", []), "forbid", where),
            )
        )
    if not cases:
        raise DatasetError(f"dataset is empty: {path}")
    return cases
