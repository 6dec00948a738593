"""A gold answer counts as found only as a whole token (Latin, digits), while Korean may glue particles on."""

from __future__ import annotations

from evals.public.scoring import contains_answer, normalize_answer


def test_normalisation_follows_squad() -> None:
    assert normalize_answer("The  Rhône, Glacier!") == "rhône glacier"


def test_digits_and_latin_words_must_not_run_on() -> None:
    assert not contains_answer("It was built in 1600.", ["16"])
    assert contains_answer("It was built in 16 days.", ["16"])
    assert not contains_answer("the Genevans", ["Geneva"])


def test_korean_answers_may_carry_a_particle_or_counter() -> None:
    assert contains_answer("1176년에 세워졌다.", ["1176년"])
    assert contains_answer("높이는 1,947미터이다.", ["1,947미터"])
    assert not contains_answer("", ["경주"])
