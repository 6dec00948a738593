"""The project's word lists, read from the plain-text files in rag/lang/data/ (each says what it is for
and where it came from), so no list of words hides in code.

Three formats: a word list holds words separated by spaces or new lines (`words`, `word_set`,
`alternation`); a pattern list holds one regular-expression alternative a line (`patterns`); a tagged pattern list holds "tag<TAB>pattern" lines (`tagged_patterns`). In all,
blank lines and lines starting with `#` are skipped. Files are read once per process.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files


@cache
def _lines(name: str) -> tuple[str, ...]:
    """The file's entry lines, stripped, in order (comments and blank lines skipped)."""
    text = (files("rag.lang") / "data" / f"{name}.txt").read_text(encoding="utf-8")
    lines = tuple(s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#"))
    if not lines:
        raise ValueError(f"word list {name!r} is empty")
    return lines


@cache
def words(name: str) -> tuple[str, ...]:
    """The words of a word list in file order (duplicates kept): for lists whose order matters."""
    return tuple(w for line in _lines(name) for w in line.split())


@cache
def word_set(name: str) -> frozenset[str]:
    """The words of a word list as a set."""
    return frozenset(words(name))


def alternation(name: str) -> str:
    """A regular-expression alternation of a word list's words, each matched literally, in file order."""
    return "|".join(re.escape(w) for w in words(name))


def patterns(name: str) -> str:
    """A regular-expression alternation of a pattern list's lines, in file order."""
    return "|".join(_lines(name))


@cache
def tagged_patterns(name: str) -> tuple[tuple[str, str], ...]:
    """A tagged pattern list: one "tag<TAB>regular expression" a line, in file order."""
    out = []
    for line in _lines(name):
        tag, sep, pattern = line.partition("\t")
        if not sep or not pattern.strip():
            raise ValueError(f"word list {name!r}: a line is not 'tag<TAB>pattern': {line[:40]!r}")
        out.append((tag.strip(), pattern.strip()))
    return tuple(out)
