"""Cleaning tests: the two corpus layouts, then one small synthetic case per rule to show the rules are generic."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.cleaning import Block, DocMeta, analyse, find_date
from index.loaders import load_document

ROOT = Path(__file__).resolve().parents[2]


def corpus_text(name: str) -> str:
    for folder in (ROOT / "corpus", ROOT.parent / "shared" / "corpus"):
        if (folder / name).is_file():
            return load_document(folder / name).text
    pytest.skip(f"corpus file {name} not available")


def texts(text: str, blocks: list[Block], kind: str | None = None) -> list[str]:
    return [text[b.start : b.end] for b in blocks if kind is None or b.kind == kind]


def check_block_invariants(text: str, blocks: list[Block]) -> None:
    last_end = 0
    for block in blocks:
        piece = text[block.start : block.end]
        assert piece and piece == piece.strip(), block
        assert block.start >= last_end and block.kind in {"header", "body", "aside"}
        last_end = block.end
    kinds = [b.kind for b in blocks]
    # Sections come in document order: header*, body*, aside*.
    assert kinds == sorted(kinds, key=["header", "body", "aside"].index)


def run(text: str, hints: dict[str, str] | None = None) -> tuple[DocMeta, list[Block]]:
    meta, blocks = analyse(text, hints or {}, "fallback-stem")
    check_block_invariants(text, blocks)
    return meta, blocks


BODY = (
    "The committee met on Tuesday to discuss the budget. Members agreed on most items, "
    "but the transport plan was postponed until next month because of missing cost estimates."
)
BODY_KO = "위원회는 화요일 회의를 열어 예산안을 논의했다. 위원들은 대부분의 항목에 합의했지만 교통 계획은 비용 추계가 없어 다음 달로 미뤄졌다."


# --- the real corpus -------------------------------------------------------------------------------------------


def test_corpus_000_metadata_and_blocks() -> None:
    text = corpus_text("000_40c3dc7fdaca965c.txt")
    meta, blocks = run(text)
    assert meta == DocMeta(
        title="Blinken renews concerns over support for Russia's defense industrial base from N. Korea, Iran, China",
        publisher="The Korea Herald",
        author="Yonhap",
        date="2024-04-10",
    )
    kept = texts(text, blocks)
    assert not any("Link copied" in t for t in kept)
    caption = "US Secretary of State Antony Blinken (Right) speaks during a meeting"
    assert sum(t.count(caption) for t in kept) == 1
    assert texts(text, blocks, "header") == [
        "The Korea Herald",
        "지나쌤",
        meta.title,
        "By Yonhap",
        "Published : April 10, 2024 - 09:50",
    ]
    assert not texts(text, blocks, "aside")
    assert kept[-1].endswith('"aligned." (Yonhap)')


def test_corpus_004_metadata_sections_and_sidebar() -> None:
    text = corpus_text("004_78d7a2b26e516305.txt")
    meta, blocks = run(text)
    assert meta.title.startswith("State Department: U.S. has repeatedly")
    assert (meta.author, meta.date, meta.publisher) == ("Janne Pak", "2024-07-08", "USA JOURNAL KOREA")
    header = texts(text, blocks, "header")
    assert header[:3] == [meta.title, "Janne Pak", "2024-07-08 23:30"]
    assert "Author" not in header and "Date" not in header
    kept = texts(text, blocks)
    assert not any("All Copy Rights Reserved" in t for t in kept)
    assert not any(t.startswith("Janne Pak 2025") for t in kept)
    aside = texts(text, blocks, "aside")
    teasers = [t for t in kept if "2025" in t]
    assert len(teasers) == 4 and all(t in aside for t in teasers)
    assert any(len(t) > 1000 for t in aside)
    body = texts(text, blocks, "body")
    assert body[-1].endswith("(끝)") and not any("2025" in t for t in body)
    # A finished 126-char sentence after the byline counts as body; paragraphs and translations stay separate.
    assert body[0].startswith("@Q&A with a State Department Spokesperson")
    assert body[1].startswith("The NATO Summit") and body[3].startswith("NATO 정상회의가")


# --- rule 1: noise -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "noise",
    [
        "Link copied",
        "  • Copy link",
        "Share this article",
        "Facebook | Twitter | KakaoTalk | Print",
        "Advertisement",
        "• Home",
        "•",
        "* * *",
        "───────",
        "공유하기 링크복사 인쇄",
        "Subscribe now",
        "© AFP",
    ],
)
def test_noise_lines_are_dropped(noise: str) -> None:
    text = f"A Plain Headline For Testing Noise\n\n{noise}\n\n{BODY}\n\n{noise}\n\n{BODY}"
    _, blocks = run(text)
    assert noise.strip() not in texts(text, blocks)
    assert texts(text, blocks, "body") == [BODY, BODY]


@pytest.mark.parametrize(
    ("footer", "owner"),
    [
        ("All Copy Rights Reserved: on USA JOURNAL KOREA Site.", "USA JOURNAL KOREA"),
        ("© 2024 Yonhap", "Yonhap"),
        ("Copyright © 2023 Daily Planet. All rights reserved.", "Daily Planet"),
        ("<저작권자 ⓒ 연합뉴스, 무단 전재-재배포 금지>", "연합뉴스"),
        ("(c) 2019-2024 Example News Inc. All Rights Reserved", "Example News Inc"),
    ],
)
def test_copyright_footer_dropped_names_publisher_and_starts_aside(footer: str, owner: str) -> None:
    text = f"Council approves the new city budget plan\n\n{BODY}\n\n{footer}\nOther story teaser text here\n\n{BODY_KO}"
    meta, blocks = run(text)
    assert meta.publisher == owner
    assert footer not in texts(text, blocks)
    assert texts(text, blocks, "body") == [BODY]
    assert texts(text, blocks, "aside") == ["Other story teaser text here", BODY_KO]


@pytest.mark.parametrize("marker", ["(끝)", "(END)"])
def test_end_of_article_marker_starts_aside(marker: str) -> None:
    text = f"Council approves the new city budget plan\n\n{BODY}{marker}\n\nSidebar: another article\n\n{BODY_KO}"
    _, blocks = run(text)
    assert texts(text, blocks, "body") == [BODY + marker]
    assert texts(text, blocks, "aside") == ["Sidebar: another article", BODY_KO]


@pytest.mark.parametrize("heading", ["Related Articles", "Related", "Most Read", "관련기사", "많이 본 뉴스"])
def test_standalone_related_heading_starts_aside(heading: str) -> None:
    text = f"Council approves the new city budget plan\n\n{BODY}\n\n{heading}\n\n{BODY_KO}"
    _, blocks = run(text)
    assert texts(text, blocks, "aside") == [BODY_KO] and heading not in texts(text, blocks)


def test_photo_credit_inside_body_does_not_start_aside() -> None:
    text = f"Council approves the new city budget plan\n\n{BODY}\n\n© Reuters\n\n{BODY_KO}"
    _, blocks = run(text)
    assert texts(text, blocks, "body") == [BODY, BODY_KO]


@pytest.mark.parametrize(
    "caption",
    [
        "Workers repair the bridge on Monday. (AP)",
        "서울 시내에서 시민들이 출근하고 있다. (연합뉴스)",
        "A view of the harbour at dusk, photographed from the ferry",
    ],
)
def test_duplicated_caption_keeps_first_copy(caption: str) -> None:
    text = f"Harbour city plans new ferry routes for commuters\n\n{caption} {caption}\n\n{BODY}"
    _, blocks = run(text)
    kept = texts(text, blocks)
    assert caption in kept and f"{caption} {caption}" not in kept
    block = next(b for b in blocks if text[b.start : b.end] == caption)
    assert block.start == text.index(caption)


def test_teaser_bylines_are_dropped() -> None:
    text = f"Budget talks resume at the city council\n\n{BODY}\n\nMaria Lopez 2023-11-02\n김철수 2024.01.05\nAnn Lee Nov. 3, 2023 10:15"
    meta, blocks = run(text)
    assert texts(text, blocks) == ["Budget talks resume at the city council", BODY]
    assert meta.date is None  # teaser dates after the body never date the document


# --- rule 2: metadata ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("April 10, 2024", "2024-04-10"),
        ("Apr. 10, 2024 - 09:50", "2024-04-10"),
        ("10 April 2024", "2024-04-10"),
        ("2024-07-08 23:30", "2024-07-08"),
        ("2024.07.08", "2024-07-08"),
        ("2024/07/08", "2024-07-08"),
        ("2024. 7. 8. 오후 3:00", "2024-07-08"),
        ("(7-08-2024)", "2024-07-08"),
        ("13/07/2024", "2024-07-13"),
        ("2024년 7월 8일", "2024-07-08"),
        ("D:20240710093000+09'00'", "2024-07-10"),
        ("2024-04-10T09:50:00+09:00", "2024-04-10"),
    ],
)
def test_find_date_formats(value: str, iso: str) -> None:
    found = find_date(f"Posted {value} here")
    assert found is not None and found[2] == iso


def test_find_date_rejects_impossible_dates() -> None:
    assert find_date("2024-13-45 and version 1.2.3") is None


@pytest.mark.parametrize(
    ("header", "author", "date"),
    [
        ("Writer\nKim Soo-jin\nPublished\n2023.03.05", "Kim Soo-jin", "2023-03-05"),
        ("By Kim Arin\nUpdated: June 3, 2023", "Kim Arin", "2023-06-03"),
        ("(3-5-2023)  by: Lee Min(Seoul Correspondent)", "Lee Min", "2023-03-05"),
        ("홍길동 기자 hong@example.com\n입력 2023.05.01 10:00 수정 2023.05.02 09:00", "홍길동", "2023-05-01"),
        ("Reporter: Park Ji-won\n기사입력 : 2023년 5월 1일", "Park Ji-won", "2023-05-01"),
        ("Updated 2023-06-09\nPublished 2023-06-01", None, "2023-06-01"),  # published beats updated
    ],
)
def test_author_and_date_from_header(header: str, author: str | None, date: str) -> None:
    text = f"City council passes the annual transport budget\n\n{header}\n\n{BODY}"
    meta, blocks = run(text)
    assert (meta.author, meta.date) == (author, date)
    labels = {"Writer", "Published"}
    assert not labels & set(texts(text, blocks))


def test_label_value_lines_stay_header() -> None:
    text = f"City council passes the annual transport budget\n\nAuthor\nJane Roe\nDate\n2023-02-01\n\n{BODY}"
    meta, blocks = run(text)
    assert texts(text, blocks, "header") == [
        "City council passes the annual transport budget",
        "Jane Roe",
        "2023-02-01",
    ]
    assert (meta.author, meta.date) == ("Jane Roe", "2023-02-01")


def test_sidebar_dates_never_date_the_document() -> None:
    sidebar = "(6-13-2025) by: Someone Else (Correspondent) " + BODY
    text = f"City council passes the annual transport budget\n\n{BODY}\n\nAll rights reserved.\n{sidebar}"
    meta, blocks = run(text)
    assert meta.date is None and meta.author is None
    assert texts(text, blocks, "aside") == [sidebar]


def test_title_prefers_headline_above_byline() -> None:
    text = (
        "Metro Times\n\nRain expected to continue through the weekend\n\nBy Ann Lee\n\n"
        f"A much longer standfirst line that has many more words but is below the byline\n\n{BODY}"
    )
    meta, _ = run(text)
    assert meta.title == "Rain expected to continue through the weekend"
    assert meta.publisher == "Metro Times"


def test_title_of_markdown_heading_and_fallback() -> None:
    meta, _ = run(f"# Notes on the new transport plan\n\n{BODY}")
    assert meta.title == "Notes on the new transport plan" and meta.publisher is None
    meta, _ = run(BODY)
    assert meta == DocMeta("fallback-stem", None, None, None)


def test_korean_title() -> None:
    meta, _ = run(f"서울시 의회, 내년 교통 예산안 통과\n\n{BODY_KO}\n\n{BODY_KO}")
    assert meta.title == "서울시 의회, 내년 교통 예산안 통과"


def test_hints_take_precedence() -> None:
    text = f"The Daily Planet\n\nCouncil approves the new city budget plan\n\nBy Ann Lee\n\n{BODY}\n\n© 2024 Other Owner"
    hints = {
        "title": "Council approves the new city budget plan | The Daily Planet",
        "og:site_name": "Daily Planet Online",
        "author": "Clark Kent",
        "article:published_time": "2024-05-06T10:00:00Z",
    }
    meta, _ = run(text, hints)
    assert meta == DocMeta(
        "Council approves the new city budget plan", "Daily Planet Online", "Clark Kent", "2024-05-06"
    )


def test_stated_title_used_when_text_has_none() -> None:
    meta, _ = run(BODY, {"title": "Quarterly Report | ACME", "date": "D:20240102000000Z"})
    assert (meta.title, meta.date) == ("Quarterly Report", "2024-01-02")
    meta, _ = run(BODY, {"title": "Microsoft Word - draft3.docx"})
    assert meta.title == "fallback-stem"


# --- rule 3: sections and block shapes --------------------------------------------------------------------


def test_soft_wrapped_paragraph_is_one_block_and_short_lines_are_separate() -> None:
    wrapped = (
        "The committee met on Tuesday to discuss the budget and agreed\n"
        "on most items, but the transport plan was postponed until next\n"
        "month as the estimates were missing.\n"
        "A second paragraph starts here after the short line above ends."
    )
    text = f"Council approves the new city budget plan\nBy Ann Lee\nMarch 3, 2024\n\n{wrapped}"
    _, blocks = run(text)
    assert texts(text, blocks, "header") == [
        "Council approves the new city budget plan",
        "By Ann Lee",
        "March 3, 2024",
    ]
    body = texts(text, blocks, "body")
    assert body[0].startswith("The committee") and body[0].endswith("were missing.")
    assert body[1].startswith("A second paragraph")


def test_short_document_is_not_all_header() -> None:
    text = "Short note on the budget\n\nBy Ann Lee\n\nThe council met and agreed on the budget.\n\nMore soon.\n\n© 2024 Town Hall"
    meta, blocks = run(text)
    assert texts(text, blocks, "header") == ["Short note on the budget", "By Ann Lee"]
    assert texts(text, blocks, "body") == ["The council met and agreed on the budget.", "More soon."]
    assert (meta.title, meta.author, meta.publisher) == ("Short note on the budget", "Ann Lee", "Town Hall")


def test_empty_and_noise_only_text() -> None:
    assert run("") == (DocMeta("fallback-stem", None, None, None), [])
    assert run("\n\n• Link copied\n---\n")[1] == []
