"""Every word list is a data file that says what it is for and where it came from, and loads as written."""

from __future__ import annotations

from importlib.resources import files

import pytest

from rag.lang import wordlists

DATA = files("rag.lang") / "data"
NAMES = sorted(p.name.removesuffix(".txt") for p in DATA.iterdir() if p.name.endswith(".txt"))


def test_there_are_word_lists() -> None:
    assert {"en_stopwords", "ko_stopwords", "ko_particles", "ko_endings"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_list_opens_with_its_purpose_and_source(name: str) -> None:
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header, f"{name}: no comment header"
    assert "source" in " ".join(header).lower(), f"{name}: the header does not say where it came from"
    assert wordlists.words(name) or wordlists.patterns(name)


def test_words_keep_file_order_and_sets_match() -> None:
    particles = wordlists.words("ko_particles")
    assert set(particles) == wordlists.word_set("ko_particles")
    assert "은" in particles and "에서는" in particles


def test_alternation_escapes_each_word() -> None:
    import re

    pattern = re.compile(rf"^(?:{wordlists.alternation('en_abbreviations')})$")
    assert pattern.match("e.g") and not pattern.match("exg")
