"""Public QA data (SQuAD 2.0, TyDi QA GoldP English and Korean) as answer-stage cases, with fixed splits.

The files live outside the repo (`RAG_PUBLIC_DATA_DIR`, default `../shared/datasets` beside the checkout);
they are read, never downloaded. Splits are fixed and seeded so the judge's training script and
`rag eval --dataset` agree on which questions are held out:

- squad2: the 11 articles of `squad2/squad2-dev-11.json`, shuffled with `SEED`; the first
  `SQUAD_TRAIN_ARTICLES` train, the other 4 are dev (split by article, so no paragraph is in both).
- tydiqa-en / tydiqa-ko: the published `*-train.json` / `*-dev.json` files.

Usage:
    >>> cases = load_public("tydiqa-ko", "dev", find_data_dir(None))  # doctest: +SKIP
    >>> cases[0].lang, cases[0].answerable  # doctest: +SKIP
    ('ko', True)
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rag.core.errors import UserError

SEED = 14
SQUAD_TRAIN_ARTICLES = 7
SPLITS = ("train", "dev")
# name -> (language, file per split); squad2 has one file, split by article.
PUBLIC: dict[str, tuple[str, dict[str, str]]] = {
    "squad2": ("en", {"train": "squad2/squad2-dev-11.json", "dev": "squad2/squad2-dev-11.json"}),
    "tydiqa-en": ("en", {"train": "tydiqa-goldp/en-train.json", "dev": "tydiqa-goldp/en-dev.json"}),
    "tydiqa-ko": ("ko", {"train": "tydiqa-goldp/ko-train.json", "dev": "tydiqa-goldp/ko-dev.json"}),
}


class PublicDataError(UserError):
    """The public data folder or a dataset name is wrong: one line naming it."""


@dataclass(frozen=True)
class PublicCase:
    """One public question: gold answer texts (empty = unanswerable) and the article it was written on."""

    id: str
    dataset: str
    question: str
    lang: str
    answers: tuple[str, ...]
    title: str
    context: str
    plausible: tuple[str, ...] = ()  # SQuAD 2.0's planted distractor spans for an unanswerable question

    @property
    def answerable(self) -> bool:
        return bool(self.answers)

    @property
    def document(self) -> str:
        """File name of the case's article in a pooled corpus (dataset-prefixed: titles can repeat)."""
        return document_name(self.dataset, self.title)


def document_name(dataset: str, title: str) -> str:
    safe = re.sub(r"[^\w\-]+", "_", unicodedata.normalize("NFC", title)).strip("_")[:80] or "untitled"
    digest = hashlib.sha1(f"{dataset}:{title}".encode()).hexdigest()[:8]
    return f"{dataset}-{safe}-{digest}.md"


def find_data_dir(explicit: Path | None) -> Path:
    """The folder holding squad2/ and tydiqa-goldp/: the flag, else RAG_PUBLIC_DATA_DIR, else
    ../shared/datasets beside the checkout. A folder named by the flag or the variable is used or
    refused, never silently replaced by the default."""
    named = explicit or (Path(os.environ["RAG_PUBLIC_DATA_DIR"]) if os.environ.get("RAG_PUBLIC_DATA_DIR") else None)
    here = Path(__file__).resolve().parents[2]
    candidates = [named] if named else [here.parent / "shared" / "datasets", Path.cwd().parent / "shared" / "datasets"]
    for c in candidates:
        if (c / "squad2").is_dir() and (c / "tydiqa-goldp").is_dir():
            return c
    raise PublicDataError(
        f"public QA data not found in {named or candidates[0]}: set RAG_PUBLIC_DATA_DIR (or --public-data) "
        "to the folder holding squad2/ and tydiqa-goldp/"
    )


def data_file(name: str, split: str, data_dir: Path) -> Path:
    if name not in PUBLIC:
        raise PublicDataError(f"unknown public dataset {name!r} (choose from {', '.join(PUBLIC)})")
    if split not in SPLITS:
        raise PublicDataError(f"unknown split {split!r} (choose train or dev)")
    path = data_dir / PUBLIC[name][1][split]
    if not path.is_file():
        raise PublicDataError(f"{name} {split}: file not found: {path}")
    return path


@cache
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(path: Path, dataset: str, lang: str) -> list[PublicCase]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
    except (OSError, ValueError, KeyError) as exc:
        raise PublicDataError(f"{path}: not SQuAD-format JSON ({exc})") from None
    out: list[PublicCase] = []
    for article in data:
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                impossible = bool(qa.get("is_impossible"))
                answers = () if impossible else tuple(a["text"] for a in qa["answers"])
                out.append(
                    PublicCase(
                        id=qa["id"],
                        dataset=dataset,
                        question=" ".join(qa["question"].split()),
                        lang=lang,
                        answers=answers,
                        title=article["title"],
                        context=para["context"],
                        plausible=tuple(a["text"] for a in qa.get("plausible_answers", [])),
                    )
                )
    return out


def squad_articles(data_dir: Path) -> tuple[list[str], list[str]]:
    """(train titles, dev titles) of the SQuAD file, split by article with `SEED`."""
    cases = _read(data_file("squad2", "dev", data_dir), "squad2", "en")
    titles = sorted({c.title for c in cases})
    random.Random(SEED).shuffle(titles)
    return sorted(titles[:SQUAD_TRAIN_ARTICLES]), sorted(titles[SQUAD_TRAIN_ARTICLES:])


def load_public(name: str, split: str, data_dir: Path, limit: int | None = None) -> list[PublicCase]:
    """The cases of one dataset's split; `limit`: a seeded sample of that many (for quick runs)."""
    path = data_file(name, split, data_dir)
    lang = PUBLIC[name][0]
    cases = _read(path, name, lang)
    if name == "squad2":
        train, dev = squad_articles(data_dir)
        keep = set(train if split == "train" else dev)
        cases = [c for c in cases if c.title in keep]
    if limit is not None and limit < len(cases):
        rng = random.Random(f"{SEED}-{name}-{split}")
        cases = [cases[i] for i in sorted(rng.sample(range(len(cases)), limit))]
    return cases


def provenance(names: list[str], split: str, data_dir: Path) -> dict[str, dict[str, str]]:
    """Each file read, with its sha256: what a report or a trained weight file was made from."""
    out = {}
    for name in names:
        path = data_file(name, split, data_dir)
        out[f"{name}:{split}"] = {"file": str(path.relative_to(data_dir)), "sha256": sha256(path)}
    return out
