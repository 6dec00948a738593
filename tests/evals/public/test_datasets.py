"""Public data loads as cases with fixed, disjoint, seeded splits, and says clearly when it is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.public.datasets import PublicDataError, find_data_dir, load_public, provenance, squad_articles


def test_squad_is_split_by_article_into_seven_train_and_four_dev(public_dir: Path) -> None:
    train, dev = squad_articles(public_dir)
    assert len(train) == 7 and len(dev) == 4 and not set(train) & set(dev)
    assert squad_articles(public_dir) == (train, dev)  # seeded: the same every run
    dev_cases = load_public("squad2", "dev", public_dir)
    assert {c.title for c in dev_cases} == set(dev)
    assert {c.title for c in load_public("squad2", "train", public_dir)} == set(train)


def test_cases_carry_answers_or_are_unanswerable(public_dir: Path) -> None:
    cases = load_public("squad2", "dev", public_dir)
    answerable = [c for c in cases if c.answerable]
    unanswerable = [c for c in cases if not c.answerable]
    assert len(answerable) == len(unanswerable) == 4
    assert all(c.plausible == ("1990",) for c in unanswerable)
    ko = load_public("tydiqa-ko", "dev", public_dir)
    assert {c.lang for c in ko} == {"ko"} and all(c.answerable for c in ko)
    assert ko[0].document.startswith("tydiqa-ko-") and ko[0].document.endswith(".md")


def test_limit_is_a_seeded_sample(public_dir: Path) -> None:
    a = load_public("squad2", "train", public_dir, limit=5)
    b = load_public("squad2", "train", public_dir, limit=5)
    assert len(a) == 5 and [c.id for c in a] == [c.id for c in b]


def test_provenance_names_each_file_with_its_sha256(public_dir: Path) -> None:
    prov = provenance(["squad2", "tydiqa-ko"], "dev", public_dir)
    assert prov["squad2:dev"]["file"] == "squad2/squad2-dev-11.json"
    assert len(prov["tydiqa-ko:dev"]["sha256"]) == 64


def test_bad_names_and_missing_data_are_one_line_errors(public_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(PublicDataError, match="unknown public dataset 'squad3'"):
        load_public("squad3", "dev", public_dir)
    with pytest.raises(PublicDataError, match="unknown split 'test'"):
        load_public("squad2", "test", public_dir)
    with pytest.raises(PublicDataError, match="RAG_PUBLIC_DATA_DIR"):
        find_data_dir(tmp_path / "nowhere")
    assert find_data_dir(public_dir) == public_dir
