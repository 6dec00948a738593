"""Datasets: the shipped set loads; a malformed line is named by line number and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.dataset import CASE_TYPES, SHIPPED, DatasetError, load_cases, load_datasets

GOOD = {
    "id": "en-1",
    "question": "How many cables?",
    "lang": "en",
    "type": "number",
    "answerable": True,
    "facts": [["4,?200"]],
    "evidence": ["4,200 steel cables"],
    "sources": ["harbor.txt"],
}


def write(tmp_path: Path, rows: list[object], name: str = "d.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


def test_shipped_set_covers_what_the_issue_asks() -> None:
    cases = load_cases(SHIPPED)
    types = {c.type for c in cases}
    assert len(cases) >= 40 and types == CASE_TYPES
    assert sum(not c.answerable for c in cases) >= 8
    assert {c.lang for c in cases} == {"en", "ko"}


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("{not json", "line 2: invalid JSON"),
        ({**GOOD, "id": "x", "answerable": None}, "line 2: field 'answerable' must be bool"),
        (
            {k: v for k, v in GOOD.items() if k != "question"} | {"id": "x"},
            "line 2: missing field 'question'",
        ),
        ({**GOOD, "id": "x", "facts": [["(unclosed"]]}, "line 2: field 'facts' has a bad pattern"),
        ({**GOOD, "id": "x", "evidence": [1]}, "line 2: field 'evidence' must be a list of strings"),
        ({**GOOD, "id": "x", "evidence": []}, "line 2: field 'evidence' is empty on an answerable case"),
        ({**GOOD, "id": "x", "lang": "fr"}, "line 2: field 'lang' must be 'en' or 'ko'"),
        ({**GOOD, "id": "x", "type": "trivia"}, "line 2: field 'type' has unknown value"),
        (GOOD, "line 2: duplicate id 'en-1'"),
    ],
)
def test_a_malformed_line_names_its_line_and_field(tmp_path: Path, broken: object, message: str) -> None:
    with pytest.raises(DatasetError, match=message.replace("(", r"\(")):
        load_cases(write(tmp_path, [GOOD, broken]))


def test_case_ids_are_unique_across_datasets(tmp_path: Path) -> None:
    a, b = write(tmp_path, [GOOD], "a.jsonl"), write(tmp_path, [GOOD], "b.jsonl")
    with pytest.raises(DatasetError, match=r"'en-1' also appears in a\.jsonl"):
        load_datasets([a, b])


def test_missing_and_empty_datasets_are_errors(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="dataset not found"):
        load_cases(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="dataset is empty"):
        load_cases(tmp_path / "empty.jsonl")
