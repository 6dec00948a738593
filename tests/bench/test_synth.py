"""The synthetic corpus is a pure function of its seed, bilingual, and shaped like the shipped text."""

from __future__ import annotations

from pathlib import Path

from bench import synth


def test_same_seed_gives_identical_documents_and_questions() -> None:
    a, b = synth.generate(400, seed=5), synth.generate(400, seed=5)
    assert synth.fingerprint(a) == synth.fingerprint(b)
    assert synth.questions(a, 10) == synth.questions(b, 10)


def test_another_seed_gives_another_corpus() -> None:
    assert synth.fingerprint(synth.generate(400, seed=5)) != synth.fingerprint(synth.generate(400, seed=6))


def test_chunk_budget_languages_and_paragraph_lengths() -> None:
    docs = synth.generate(1000, seed=1)
    assert sum(d.paragraphs + 1 for d in docs) == 1000  # paragraphs plus one title chunk per document
    assert {d.langs for d in docs} == {"en", "ko", "en+ko"}
    paragraphs = [p for d in docs for p in d.text.split("\n\n")[1:]]
    assert all(0 < len(p.strip()) <= 650 for p in paragraphs)  # under the 700-char chunk cap
    assert 150 < sum(map(len, paragraphs)) / len(paragraphs) < 450


def test_questions_alternate_english_and_korean() -> None:
    qs = synth.questions(synth.generate(300, seed=2), 6)
    assert [any("\uac00" <= ch <= "\ud7a3" for ch in q) for q in qs] == [False, True] * 3


def test_write_is_idempotent(tmp_path: Path) -> None:
    docs = synth.generate(100, seed=3)
    synth.write(docs, tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    synth.write(docs, tmp_path)
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before
    assert sorted(before) == sorted(d.name for d in docs)
