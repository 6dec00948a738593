"""Command-line fixtures: the LLM test index's data directory for `rag ask` in LLM mode, and an indexed
folder of the tiny documents plus a small dataset about them, for `rag eval` runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import TINY_DOCS, Indexed, index_folder

TINY_CASES = [
    {
        "id": "en-cables",
        "question": "How many steel cables did engineers replace on the harbor bridge?",
        "lang": "en",
        "type": "number",
        "answerable": True,
        "facts": [["4,?200"]],
        "evidence": ["Engineers replaced 4,200 steel cables"],
        "sources": ["harbor.txt"],
    },
    {
        "id": "ko-books",
        "question": "서울 새 도서관에는 책이 몇 권 있나?",
        "lang": "ko",
        "type": "ko",
        "answerable": True,
        "facts": [["30만\\s*권", "300,?000"]],
        "evidence": ["책 30만 권이 있다"],
        "sources": ["library_ko.txt"],
    },
    {
        "id": "en-lanterns",
        "question": "How many lanterns did organisers float on the Nam River?",
        "lang": "en",
        "type": "number",
        "answerable": True,
        "facts": [["70,?000"]],
        "evidence": ["70,000 lanterns"],
        "sources": ["festival.md"],
    },
    {
        "id": "un-en-recipe",
        "question": "What is the recipe for kimchi stew?",
        "lang": "en",
        "type": "unanswerable",
        "answerable": False,
        "facts": [],
        "evidence": [],
        "sources": [],
    },
]


def write_cases(path: Path, cases: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_index(tmp_path_factory: pytest.TempPathFactory) -> Indexed:
    return index_folder(tmp_path_factory.mktemp("eval-tiny"), dict(TINY_DOCS))


@pytest.fixture
def tiny_dataset(tmp_path: Path) -> Path:
    return write_cases(tmp_path / "tiny.jsonl", TINY_CASES)


@pytest.fixture
def data_dir(llm_index: Indexed) -> Path:
    return llm_index.data_dir
