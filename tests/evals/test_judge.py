"""The optional LLM judge, through the real `openai` client against a local protocol server."""

from __future__ import annotations

import pytest

from evals.harness import score_case, summarise
from evals.judge import Judge, JudgeError
from tests.evals.builders import answer, case, citation
from tests.fakes.openai_server import FakeOpenAI

PASSAGE = "The harbor bridge reopened. Engineers replaced 4,200 steel cables."


def results() -> list:  # type: ignore[type-arg]
    faithful = answer("Engineers replaced 4,200 steel cables. [1]", (citation(1, PASSAGE),))
    mixed = answer(
        "Engineers replaced 4,200 steel cables. [1] The mayor cut the ribbon. [1]", (citation(1, PASSAGE),)
    )
    return [score_case(case(id="a"), faithful, None, []), score_case(case(id="b"), mixed, None, [])]


def test_judge_needs_a_configured_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(JudgeError, match="needs OPENAI_API_KEY or OPENAI_BASE_URL"):
        Judge.from_env(None, 3)


def test_judge_scores_each_cited_claim_at_temperature_zero_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI(behaviour="judge") as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
        judge = Judge.from_env("judge-model", repeats=2)
        rs = results()
        info = judge.score(rs)
    # a: 1 claim + correctness; b: 2 claims + correctness; each asked twice
    assert len(server.requests) == 2 * (2 + 3) == info["calls"]
    assert all(r.body["temperature"] == 0 and r.model == "judge-model" for r in server.requests)
    assert rs[0].scores["judge_faithfulness"] == 1.0 and rs[0].scores["judge_correctness"] == 1.0
    assert rs[1].scores["judge_faithfulness"] == 0.5  # the ribbon claim is not in the passage
    assert info["unmeasured"] == 0
    assert summarise(rs)["all"]["metrics"]["judge_faithfulness"] == {"mean": 0.75, "n": 2}


def test_a_failing_judge_leaves_scores_unmeasured_not_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI(behaviour="error500") as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
        rs = results()
        info = Judge.from_env(None, repeats=1).score(rs)
    assert info["unmeasured"] == info["calls"] > 0
    assert not any(k.startswith("judge_") for r in rs for k in r.scores)
    assert all(r.passed for r in rs[:1])  # the judge never turns a deterministic pass into a failure
