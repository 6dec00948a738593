"""The answer stage's numbers live in one typed policy, loaded from its data file and checked on load."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from rag.answer.policy import AnswerPolicy, PolicyError, load_policy
from rag.core.policies import from_values
from rag.retrieval.policy import RetrievalPolicy, load_retrieval_policy


def test_shipped_policies_load_with_their_provenance() -> None:
    policy = load_policy()
    assert 0 < policy.min_coverage < 1 and policy.max_sentences >= 1
    assert "hand" in policy.provenance.lower()
    assert load_retrieval_policy().rrf_k == 60


def test_every_field_is_in_the_data_file_and_nothing_else() -> None:
    raw = json.loads((Path(__file__).parents[3] / "rag/answer/data/policy.json").read_text(encoding="utf-8"))
    names = {f.name for f in dataclasses.fields(AnswerPolicy)} - {"provenance"}
    assert set(raw["values"]) == names


def test_a_bad_value_is_refused_with_its_name() -> None:
    with pytest.raises(PolicyError, match="min_coverage"):
        dataclasses.replace(load_policy(), min_coverage=-0.1)
    with pytest.raises(PolicyError, match="max_sentences must be positive"):
        dataclasses.replace(load_policy(), max_sentences=0)


def test_unknown_and_missing_fields_are_named() -> None:
    values = {f.name: getattr(load_retrieval_policy(), f.name) for f in dataclasses.fields(RetrievalPolicy)}
    values.pop("rrf_k")
    values["rrf_c"] = 60
    with pytest.raises(PolicyError, match=r"unknown field\(s\) rrf_c; missing field\(s\) rrf_k"):
        from_values(RetrievalPolicy, values)
