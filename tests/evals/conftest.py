"""A miniature public-data folder in the published SQuAD format: four SQuAD articles, TyDi en and ko."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def squad_file(articles: list[tuple[str, list[tuple[str, list[tuple[str, str | None]]]]]]) -> dict[str, object]:
    """articles: (title, [(context, [(question, answer or None for unanswerable)])])."""
    data = []
    n = 0
    for title, paras in articles:
        out_paras = []
        for context, qas in paras:
            out_qas = []
            for question, answer in qas:
                n += 1
                qa: dict[str, object] = {"id": f"{title}-{n}", "question": question}
                if answer is None:
                    qa.update(is_impossible=True, answers=[], plausible_answers=[{"text": "1990", "answer_start": 0}])
                else:
                    qa["answers"] = [{"text": answer, "answer_start": context.index(answer)}]
                out_qas.append(qa)
            out_paras.append({"context": context, "qas": out_qas})
        data.append({"title": title, "paragraphs": out_paras})
    return {"version": "test", "data": data}


SQUAD = [
    (f"Article_{i}", [(f"The lighthouse number {i} was built in {1900 + i} by engineer Mara Voss{i}.",
                       [(f"When was lighthouse number {i} built?", str(1900 + i)),
                        (f"Who painted lighthouse number {i}?", None)])])
    for i in range(11)
]
TYDI_EN = [("Glacier", [("The Rhone Glacier feeds Lake Geneva through the Rhone river.",
                         [("Which lake does the Rhone Glacier feed?", "Lake Geneva")])])]
TYDI_KO = [
    ("한라산", [("한라산은 제주도에 있는 산으로 높이는 1,947미터이다.", [("한라산의 높이는 얼마인가?", "1,947미터")])]),
    ("경주", [("경주는 신라의 수도였으며 불국사가 있다.", [("신라의 수도는 어디였나?", "경주")])]),
]


@pytest.fixture
def public_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "datasets"
    (root / "squad2").mkdir(parents=True)
    (root / "tydiqa-goldp").mkdir()
    (root / "squad2" / "squad2-dev-11.json").write_text(json.dumps(squad_file(SQUAD)), encoding="utf-8")
    for lang, arts in (("en", TYDI_EN), ("ko", TYDI_KO)):
        for split in ("train", "dev"):
            body = json.dumps(squad_file(arts), ensure_ascii=False)
            (root / "tydiqa-goldp" / f"{lang}-{split}.json").write_text(body, encoding="utf-8")
    monkeypatch.setenv("RAG_PUBLIC_CACHE_DIR", str(tmp_path / "cache"))
    return root
