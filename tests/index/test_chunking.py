"""Chunking tests: exact offsets, size caps, exact coverage of kept text, and sentence splitting in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.chunking import ChunkSpan, chunk_blocks
from index.cleaning import Block, analyse
from index.loaders import load_document
from rag.lang.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ["000_40c3dc7fdaca965c.txt", "004_78d7a2b26e516305.txt"]


def corpus_text(name: str) -> str:
    for folder in (ROOT / "corpus", ROOT.parent / "shared" / "corpus"):
        if (folder / name).is_file():
            return load_document(folder / name).text
    pytest.skip(f"corpus file {name} not available")


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, 0, len(text))]


def check_chunks(text: str, blocks: list[Block], chunks: list[ChunkSpan], max_chars: int) -> None:
    cover = [0] * len(text)
    for chunk in chunks:
        piece = text[chunk.start : chunk.end]
        assert piece and piece == piece.strip() and len(piece) <= max_chars
        assert (
            chunk.sentences and chunk.sentences[0][0] == chunk.start and chunk.sentences[-1][1] == chunk.end
        )
        for (a, b), (c, _) in zip(chunk.sentences, [*chunk.sentences[1:], (chunk.end, 0)], strict=True):
            assert a < b <= c and text[a:b] == text[a:b].strip()
            assert not text[b:c].strip()  # sentences cover every non-space character of the chunk
        overlapping = [b for b in blocks if b.start < chunk.end and chunk.start < b.end]
        assert {b.kind for b in overlapping} == {chunk.section}  # never mixes sections
        for i in range(chunk.start, chunk.end):
            cover[i] += 1
    inside = [False] * len(text)
    for block in blocks:
        for i in range(block.start, block.end):
            inside[i] = True
            if not text[i].isspace():
                assert cover[i] == 1, (i, text[block.start : block.end][:60])
    # Nothing dropped (noise, labels, footers) leaks into a chunk: every covered non-space char is in a block.
    assert all(inside[i] or text[i].isspace() for i in range(len(text)) if cover[i])


@pytest.mark.parametrize("name", CORPUS)
@pytest.mark.parametrize("max_chars", [700, 300, 120])
def test_corpus_chunks_are_exact_capped_and_cover_kept_text(name: str, max_chars: int) -> None:
    text = corpus_text(name)
    _, blocks = analyse(text, {}, Path(name).stem)
    chunks = chunk_blocks(text, blocks, max_chars=max_chars)
    check_chunks(text, blocks, chunks, max_chars)


def test_corpus_000_header_merged_body_paragraphs_separate() -> None:
    text = corpus_text(CORPUS[0])
    _, blocks = analyse(text, {}, "000")
    chunks = chunk_blocks(text, blocks)
    assert text[chunks[0].start : chunks[0].end].startswith("The Korea Herald\n\n지나쌤\n\nBlinken renews")
    assert text[chunks[0].start : chunks[0].end].endswith("Published : April 10, 2024 - 09:50")
    body_blocks = [b for b in blocks if b.kind == "body"]
    assert [(c.start, c.end) for c in chunks if c.section == "body"] == [
        (b.start, b.end) for b in body_blocks
    ]


def test_corpus_004_teasers_split_and_translations_separate() -> None:
    text = corpus_text(CORPUS[1])
    _, blocks = analyse(text, {}, "004")
    chunks = chunk_blocks(text, blocks, max_chars=700)
    header = [text[c.start : c.end] for c in chunks if c.section == "header"]
    # "Author" and "Date" labels sit between the first header lines, so those chunks cannot be merged.
    assert header[:2] == [text[blocks[0].start : blocks[0].end], "Janne Pak"]
    long_teasers = [b for b in blocks if b.kind == "aside" and b.end - b.start > 1000]
    assert len(long_teasers) == 4
    for teaser in long_teasers:
        pieces = [c for c in chunks if teaser.start <= c.start < teaser.end]
        assert len(pieces) >= 2 and all(c.end - c.start <= 700 and c.section == "aside" for c in pieces)
    english = next(c for c in chunks if text[c.start :].startswith("North Korea and Russia will make"))
    korean = chunks[chunks.index(english) + 1]
    assert text[korean.start : korean.end].startswith("북러는 군사동맹을")


# --- sentence splitting ------------------------------------------------------------------------------------


def test_korean_sentences_from_corpus() -> None:
    text = corpus_text(CORPUS[1])
    para = "NATO 정상회의가 75주년을 맞아"
    start = text.index(para)
    end = text.index("\n", start)
    assert [text[a:b] for a, b in split_sentences(text, start, end)] == [
        "NATO 정상회의가 75주년을 맞아 9일부터 11일 까지 워싱턴 디시에서 개최된다.",
        "한국은 이번에 3년차 NATO정상회의에 참석한다.",
        "이번 회의에서는 북러간의 군사동맹이 도마위에 오를 것으로 예상된다.",
    ]
    quoted = text[text.index("그러면서 “우리는") :]
    quoted = quoted[: quoted.index("\n")]
    got = sentences(quoted)
    assert len(got) == 2 and got[0].endswith("목격했다”고 지적했다.") and got[1].startswith("이어 “우리는")
    question = text[text.index("밀러 대변인은 또한") :]
    question = question[: question.index("\n")]
    assert sentences(question) == [
        question
    ]  # 무엇이냐.?”는 질문에는 … : quote + particle continues the sentence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("좋아요. 그래요? 그렇죠. 맞습니다. 확인함. 왜 그럴까? 정말!", 7),
        ("그는 “내일 간다”고 말했다. 그리고 떠났다.", 2),
        ("그는 “내일 간다.”고 말했다.", 1),
        ("회의가 끝났다.그리고 모두 떠났다.", 2),
        ("협력할 것입니다.(끝)", 2),
        ("회의가 열렸다. 3일에는 표결했다. iPhone도 나왔다.", 3),
    ],
)
def test_korean_endings(text: str, expected: int) -> None:
    assert len(sentences(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. President met Mr. Kim in Washington, D.C. on Monday. N. Korea fired 2.5 missiles.",
            ["The U.S. President met Mr. Kim in Washington, D.C. on Monday.", "N. Korea fired 2.5 missiles."],
        ),
        (
            "Talks were held in the U.S. The next round is in Seoul.",
            ["Talks were held in the U.S.", "The next round is in Seoul."],
        ),
        (
            "J. R. R. Tolkien wrote books. Dr. Lee agreed.",
            ["J. R. R. Tolkien wrote books.", "Dr. Lee agreed."],
        ),
        ('He said, "We will go." Then he left!', ['He said, "We will go."', "Then he left!"]),
        ("Is it true? (Yes.) It is.", ["Is it true?", "(Yes.)", "It is."]),
        (
            "Prices rose approx. five percent, e.g. for rice. Wait...",
            ["Prices rose approx. five percent, e.g. for rice.", "Wait..."],
        ),
        ("1. First item\n2. Second item", ["1. First item\n2. Second item"]),
        (
            "Soft wrapped\nline. Next one.\n\nNew paragraph",
            ["Soft wrapped\nline.", "Next one.", "New paragraph"],
        ),
    ],
)
def test_english_sentences_and_abbreviations(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "...", "!!! ???", "\n\n\n", "a", "。"])
def test_no_empty_spans(text: str) -> None:
    spans = split_sentences(text, 0, len(text))
    assert all(b > a and text[a:b].strip() == text[a:b] for a, b in spans)
    assert "".join("".join(text[a:b].split()) for a, b in spans) == "".join(text.split())


def test_split_sentences_uses_absolute_offsets() -> None:
    text = "Intro. First one. Second one."
    start = text.index("First")
    assert split_sentences(text, start, len(text)) == [(start, start + 10), (start + 11, len(text))]


# --- chunk_blocks on synthetic blocks ----------------------------------------------------------------------


def test_overlong_sentence_split_at_clause_or_space() -> None:
    words = " ".join(f"word{i}" for i in range(60))
    text = f"{words}, and then {words}"
    blocks = [Block(0, len(text), "body")]
    chunks = chunk_blocks(text, blocks, max_chars=200)
    check_chunks(text, blocks, chunks, 200)
    for chunk in chunks:  # never mid-word
        assert chunk.start == 0 or text[chunk.start - 1].isspace()
        assert chunk.end == len(text) or text[chunk.end].isspace() or text[chunk.end - 1] == ","


def test_unbreakable_run_is_cut_hard() -> None:
    text = "x" * 250
    chunks = chunk_blocks(text, [Block(0, 250, "body")], max_chars=100)
    assert [(c.start, c.end) for c in chunks] == [(0, 100), (100, 200), (200, 250)]


def test_header_merge_only_across_whitespace_and_within_cap() -> None:
    text = "Title line here\n\nBy Someone\nDROPPED\nMay 1, 2024\n\nBody text."
    blocks = [
        Block(0, 15, "header"),
        Block(17, 27, "header"),
        Block(36, 47, "header"),
        Block(49, 59, "body"),
    ]
    chunks = chunk_blocks(text, blocks)
    assert [text[c.start : c.end] for c in chunks] == [
        "Title line here\n\nBy Someone",
        "May 1, 2024",
        "Body text.",
    ]
    assert chunks[0].sentences == ((0, 15), (17, 27))
    capped = chunk_blocks(text, blocks, max_chars=20)
    assert [text[c.start : c.end] for c in capped][:2] == ["Title line here", "By Someone"]


def test_body_and_aside_blocks_never_merge() -> None:
    text = "One.\n\nTwo.\n\nThree."
    blocks = [Block(0, 4, "body"), Block(6, 10, "body"), Block(12, 18, "aside")]
    assert [(c.start, c.end, c.section) for c in chunk_blocks(text, blocks)] == [
        (0, 4, "body"),
        (6, 10, "body"),
        (12, 18, "aside"),
    ]


def test_min_chars_rebalances_short_tail() -> None:
    text = "Alpha beta gamma de. Epsilon zeta eta theta iota. Mu nu."
    block = [Block(0, len(text), "body")]
    plain = chunk_blocks(text, block, max_chars=50)
    assert [text[c.start : c.end] for c in plain] == [
        "Alpha beta gamma de. Epsilon zeta eta theta iota.",
        "Mu nu.",
    ]
    balanced = chunk_blocks(text, block, max_chars=50, min_chars=10)
    check_chunks(text, block, balanced, 50)
    assert [text[c.start : c.end] for c in balanced] == [
        "Alpha beta gamma de.",
        "Epsilon zeta eta theta iota. Mu nu.",
    ]


def test_invalid_sizes_rejected() -> None:
    with pytest.raises(ValueError):
        chunk_blocks("abc", [Block(0, 3, "body")], max_chars=0)
    with pytest.raises(ValueError):
        chunk_blocks("abc", [Block(0, 3, "body")], max_chars=10, min_chars=11)
