"""`rag eval --sample N --seed S`: the same cases for the same seed, every case type in proportion."""

from __future__ import annotations

from collections import Counter

import pytest

from evals.dataset import SHIPPED, load_cases
from evals.sampling import sample_cases
from rag.core.errors import UserError


def test_a_seed_draws_the_same_cases_and_another_seed_others() -> None:
    cases = load_cases(SHIPPED)
    first = sample_cases(cases, 20, seed=1)
    assert [c.id for c in first] == [c.id for c in sample_cases(cases, 20, seed=1)]
    assert [c.id for c in first] != [c.id for c in sample_cases(cases, 20, seed=2)]
    order = [c.id for c in cases]
    assert [order.index(c.id) for c in first] == sorted(order.index(c.id) for c in first)


def test_each_case_type_gets_its_share() -> None:
    cases = load_cases(SHIPPED)
    sizes = Counter(c.type for c in cases)
    drawn = Counter(c.type for c in sample_cases(cases, 30, seed=0))
    assert sum(drawn.values()) == 30
    for kind, size in sizes.items():
        assert abs(drawn[kind] - 30 * size / len(cases)) < 1, kind  # floor or ceiling of its share


def test_a_sample_as_large_as_the_set_is_the_set_and_a_bad_size_is_refused() -> None:
    cases = load_cases(SHIPPED)
    assert sample_cases(cases, len(cases) + 5, seed=3) == cases
    with pytest.raises(UserError, match="at least 1"):
        sample_cases(cases, 0, seed=0)
