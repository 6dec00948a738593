"""Find what in a loaded text is article, what is page furniture, and what the document says about itself.

Scraped pages mix the article with share buttons, copyright footers and sidebars of *other* articles.  Indexing
those would make answers cite the wrong article (a sidebar teaser's date is not this document's date), so this
module classifies lines by generic patterns (no per-site rules) and returns exact-offset blocks plus metadata.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from rag.lang import wordlists
from rag.lang.script import HANGUL, HANGUL_RANGE
from rag.lang.sentences import split_sentences


@dataclass(frozen=True)
class DocMeta:
    """What a document states about itself; ``date`` is ISO ``YYYY-MM-DD`` when the document states one."""

    title: str
    publisher: str | None
    author: str | None
    date: str | None


@dataclass(frozen=True)
class Block:
    """A kept run of text: ``text[start:end]`` is exact and stripped; ``kind`` is header, body or aside."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str
    role: str  # content | blank | noise | copyright | end | label | teaser
    cut: bool = False  # a duplicated copy was cut off the end of this line


_SEP = r"[\s|/·•,:;>]*"
# Share buttons, social links, ad labels: a line made only of these is page furniture.
_SHARE = wordlists.patterns("page_share_buttons")
_NOISE = re.compile(rf"^(?:{_SEP}(?:{_SHARE}))+{_SEP}$", re.IGNORECASE)
_BULLET_NAV = re.compile(r"^[•◦▪▫●○►▶▸·]\s*(?:[^\s.?!]+\s*){0,3}$")
# An end-of-article marker ("(끝)", "-30-") or a sidebar heading ("Related articles") alone on a line.
_END_LINE = re.compile(
    rf"^(?:[(\[<]?\s*(?:끝|end)\s*[)\]>]?|-\s*30\s*-|{wordlists.patterns('page_sidebar_headings')})\s*:?$",
    re.IGNORECASE,
)
_END_OF_PARAGRAPH = re.compile(r"[(\[<]\s*(?:끝|END)\s*[)\]>]$")
_COPYRIGHT = re.compile(
    r"all\s+(?:copy\s*)?rights?\s+(?:are\s+)?reserved|^\W*copyright\b|무단\s*전재|재배포\s*금지|저작권자",
    re.I,
)
_CREDIT = re.compile(r"^\W*[©ⓒ]")
_COPYRIGHT_WORDS = re.compile(
    r"all\s+(?:copy\s*)?rights?\s+(?:are\s+)?reserved\.?|copyright|©|ⓒ|\(c\)|저작권자|무단\s*전재|[및·-]?\s*재배포\s*금지"
    r"|(?<!\d)(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?(?!\d)",
    re.I,
)
_YEAR = r"(?<!\d)(?:19|20)\d{2}(?!\d)"
_DATE_LABELS = wordlists.patterns("page_labels_published")
_UPDATE_LABELS = wordlists.patterns("page_labels_updated")
_AUTHOR_LABELS = wordlists.patterns("page_labels_author")
_ALL_LABELS = f"{_DATE_LABELS}|{_UPDATE_LABELS}|{_AUTHOR_LABELS}|{wordlists.patterns('page_labels_other')}"
_LABEL_ONLY = re.compile(rf"^(?:{_ALL_LABELS})\s*[:：]?$", re.IGNORECASE)
_LABELLED = re.compile(
    rf"^(?P<label>{_DATE_LABELS}|{_UPDATE_LABELS}|{_AUTHOR_LABELS})(?![A-Za-z{HANGUL_RANGE}])\s*[:：]?\s*(?P<value>\S.*)$",
    re.I,
)
_BYLINE = re.compile(r"^(?:[(\[][^)\]]*[)\]]\s*)?by\b\s*:?\s*(?P<name>[^\s(\[,|/].*)$", re.IGNORECASE)
_NAME = re.compile(rf"^(?:[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){{0,3}}|[{HANGUL_RANGE}]{{2,5}}(?:\s*기자)?)$")
_TIME = re.compile(r"^[-–,]?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?|KST|UTC|GMT|ET)?$")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
_MON += r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),
    re.compile(r"(?<![\d.])(?P<m>\d{1,2})[-/.](?P<d>\d{1,2})[-/.](?P<y>(?:19|20)\d{2})(?!\d)"),
    re.compile(r"D:(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON},?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
]
_MAX_HEADER_BLOCKS = 12
_MASTHEAD_SMALL = wordlists.word_set("masthead_small_words")


def find_date(s: str) -> tuple[int, int, str] | None:
    """The earliest valid date in ``s`` as (start, end, ISO date); month-first for ambiguous numeric dates."""
    found: list[tuple[int, int, str]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(s):
            parts = m.groupdict()
            month = _MONTHS.index(parts["mon"][:3].lower()) + 1 if parts.get("mon") else int(parts["m"])
            day, year = int(parts["d"]), int(parts["y"])
            if month > 12 and day <= 12 and not parts.get("mon"):
                month, day = day, month  # "13-07-2024" can only be day-first
            try:
                found.append((m.start(), m.end(), dt.date(year, month, day).isoformat()))
                break
            except ValueError:
                continue
    return min(found) if found else None


def analyse(text: str, hints: Mapping[str, str], fallback_title: str) -> tuple[DocMeta, list[Block]]:
    """Classify ``text`` into header/body/aside blocks (noise dropped) and work out the document's metadata.

    Header = blocks before the first body-like paragraph; aside = everything after a copyright footer or an
    end-of-article marker.  Metadata comes from ``hints`` first, then the header (never from the aside).
    """
    hints = {k.lower(): v.strip() for k, v in hints.items() if v and v.strip()}
    lines = _classify(text)
    groups = _group(lines)
    body_idx = _body_index(text, groups)
    body_start = groups[body_idx][0].start if body_idx < len(groups) else len(text)
    footers = (line.start for line in lines if line.start >= body_start and line.role in ("end", "copyright"))
    aside_start = next(footers, len(text))
    for group in groups[body_idx:]:
        if _END_OF_PARAGRAPH.search(group[-1].text) and group[-1].end < aside_start:
            aside_start = group[-1].end  # "…했다.(끝)" closes the article; later blocks are sidebar
            break
    kinds = [
        "header" if i < body_idx else "aside" if g[0].start >= aside_start else "body"
        for i, g in enumerate(groups)
    ]
    blocks = [Block(g[0].start, g[-1].end, kind) for g, kind in zip(groups, kinds, strict=True)]
    header = [line for line in lines if line.start < body_start]
    article = [line for line in lines if line.start < aside_start]
    return _metadata(lines, header, article, hints, fallback_title), blocks


def _classify(text: str) -> list[_Line]:
    pieces, lines, pos = text.split("\n"), [], 0
    for i, piece in enumerate(pieces):
        s, start = piece.strip(), pos + len(piece) - len(piece.lstrip())
        role, cut = _role(s, pieces[i + 1].strip() if i + 1 < len(pieces) else ""), _duplicate_len(s)
        lines.append(_Line(start, start + (cut or len(s)), s[:cut] if cut else s, role, cut is not None))
        pos += len(piece) + 1
    return lines


def _role(s: str, following: str) -> str:
    if not s:
        return "blank"
    if _END_LINE.match(s):
        return "end"
    if len(s) <= 200 and (_COPYRIGHT.search(s) or (_CREDIT.match(s) and re.search(_YEAR, s))):
        return "copyright"
    if len(s) <= 60 and _CREDIT.match(s):
        return "noise"  # "© AFP": a photo credit; with a year (above) it is a copyright footer instead
    if not any(ch.isalnum() for ch in s) or _BULLET_NAV.match(s) or (len(s) <= 100 and _NOISE.match(s)):
        return "noise"
    if following and _LABEL_ONLY.match(s):
        return "label"  # "Author" / "Date" with the value on the next line: the value line is kept, the label not
    date = find_date(s)
    if date and not _LABELLED.match(s) and _NAME.match(s[: date[0]].strip()):
        rest = s[date[1] :].strip()
        if not rest or _TIME.match(rest):
            return "teaser"  # "Janne Pak 2025.06.20": a name plus a date only, i.e. a link to another article
    return "content"


def _duplicate_len(s: str) -> int | None:
    """Length of the first copy when a line is one text repeated twice (a scraped caption, "X. X.")."""
    for gap in range(4):  # up to 3 spaces between the copies
        half, odd = divmod(len(s) - gap, 2)
        if not odd and half >= 20 and s[:half] == s[half + gap :] and not s[half : half + gap].strip():
            return half
    return None


def _group(lines: list[_Line]) -> list[list[_Line]]:
    """Join content lines into blocks: paragraphs split at blank/dropped lines, and at non-wrapped line breaks.

    A single newline is a soft wrap when the line before it is "full width" (≥ 3/4 of the run's longest line)
    and the run shows wrapping (two or more full lines before its last), or the next line continues in lower
    case.  Short lines (bylines, dates, list items, sidebar entries) stay separate blocks.  This is a layout
    heuristic that no library here offers for plain text.
    """
    runs: list[list[_Line]] = [[]]
    for line in lines:
        if line.role == "content":
            runs[-1].append(line)
        elif runs[-1]:
            runs.append([])
    groups: list[list[_Line]] = []
    for run in filter(None, runs):
        width = max(len(line.text) for line in run)
        full = [len(line.text) >= max(40, 0.75 * width) and not line.cut for line in run]
        wrapping = sum(full[:-1]) >= 2
        groups.append([run[0]])
        for i, (prev, line) in enumerate(itertools.pairwise(run)):
            joins = full[i] and (wrapping or line.text[:1].islower())
            if joins and not re.match(r"(?:[-*+>#|]|\d+[.)])\s", line.text) and not prev.text.startswith("#"):
                groups[-1].append(line)
            else:
                groups.append([line])
    return groups


def _body_index(text: str, groups: list[list[_Line]]) -> int:
    """Index of the first body block: a long paragraph, a multi-sentence one, or a longish finished sentence.

    Sizes are weighted so a Hangul syllable counts twice: Korean says as much in about half the characters.
    """
    for i, group in enumerate(groups[: _MAX_HEADER_BLOCKS + 1]):
        piece = text[group[0].start : group[-1].end]
        size = len(piece) + len(HANGUL.findall(piece))
        sentences = len(split_sentences(text, group[0].start, group[-1].end)) if size >= 80 else 0
        if size >= 200 or sentences >= 2 or (i > 0 and size >= 120 and piece[-1] in ".?!…다"):
            return i
    # No clear body paragraph (a short document): body starts at the first finished sentence after the top line,
    # else after the run of short leading lines; the header is never the whole document.
    for i, group in enumerate(groups[1 : _MAX_HEADER_BLOCKS + 1], start=1):
        if group[-1].end - group[0].start >= 40 and group[-1].text[-1] in ".?!…다":
            return i
    i = 0
    while i < min(len(groups) - 1, _MAX_HEADER_BLOCKS) and groups[i][-1].end - groups[i][0].start < 120:
        i += 1
    return i


def _metadata(
    lines: list[_Line], header: list[_Line], article: list[_Line], hints: dict[str, str], fallback: str
) -> DocMeta:
    dates: list[tuple[int, str]] = []  # (priority, iso); lower priority wins, then document order
    authors: list[tuple[int, str]] = []
    # Labelled values are the most reliable: "Date\n2024-07-08", "Published : April 10, 2024", "Author\nX".
    for line, following in itertools.zip_longest(article, article[1:]):
        if line.role == "label" and following is not None:
            label, value = line.text.rstrip(":： ").lower(), following.text
        elif line.role in ("content", "teaser") and (m := _LABELLED.match(line.text)):
            label, value = m.group("label").lower(), m.group("value")
        else:
            continue
        found = find_date(value)
        if found and found[0] <= 3 and re.fullmatch(f"{_DATE_LABELS}|{_UPDATE_LABELS}", label):
            dates.append((0 if re.fullmatch(_DATE_LABELS, label) else 1, found[2]))  # published beats updated
        elif re.fullmatch(_AUTHOR_LABELS, label) and (name := _clean_name(value)):
            authors.append((0, name))
    for line in header:
        if found := find_date(line.text):
            dates.append((2, found[2]))
        if (m := _BYLINE.match(line.text)) and (name := _clean_name(m.group("name"))):
            authors.append((1, name))
        elif line.role == "teaser" and (found := find_date(line.text)):
            authors.append((2, line.text[: found[0]].strip()))
        elif m := re.search(rf"([{HANGUL_RANGE}]{{2,4}})\s*기자(?![{HANGUL_RANGE}])", line.text):
            authors.append((3, m.group(1)))
    date = _hint_date(hints) or (min(dates, key=lambda d: d[0])[1] if dates else None)
    author = hints.get("author") or (min(authors, key=lambda a: a[0])[1] if authors else None)
    owners = [_copyright_owner(line.text) for line in lines if line.role == "copyright"]
    content = [line for line in header if line.role == "content"]
    # A short Title-Case line above the headline is a masthead ("The Korea Herald"), not the title.
    has_masthead = len(content) > 1 and _masthead(content[0].text) and _pick_title(content[1:]) is not None
    masthead = content[0].text if has_masthead else None
    candidates = content[1:] if masthead else content
    publisher = hints.get("og:site_name") or next((o for o in owners if o), None) or masthead
    title = _stated_title(hints, candidates, publisher) or _pick_title(candidates) or fallback
    return DocMeta(title=title, publisher=publisher, author=author, date=date)


def _title_text(s: str) -> str:
    return re.sub(r"^#{1,6}\s+", "", s).strip("*_ ")


def _pick_title(content: list[_Line]) -> str | None:
    """Headline = longest title-like header line, preferring lines above the first byline/date line."""
    candidates: list[tuple[bool, str]] = []
    seen_meta = False
    for line in content:
        s = _title_text(line.text)
        found = find_date(s)
        if _BYLINE.match(s) or _LABELLED.match(s) or (found and found[0] <= 3):
            seen_meta = True
        elif len(s.split()) >= 4 and len(s) <= 300:
            candidates.append((not seen_meta, s))
    return max(candidates, key=lambda c: (c[0], len(c[1])))[1] if candidates else None


def _stated_title(hints: dict[str, str], content: list[_Line], publisher: str | None) -> str | None:
    """The format's own title (og:title, <title>, PDF Title, front matter), unless it is a placeholder."""
    stated = hints.get("og:title") or hints.get("title")
    if not stated or re.search(r"^(?:untitled|microsoft \w+ - )|\.(?:docx?|pdf|indd|txt)$", stated, re.I):
        return None
    norm = " ".join(stated.split()).casefold()
    # The text's own copy of the stated title wins: it is exactly what the document shows.
    for line in content:
        s = _title_text(line.text)
        if len(s.split()) >= 2 and " ".join(s.split()).casefold() in norm and len(s) * 2 > len(norm):
            return s
    if publisher:  # "<title>Headline | Site</title>"
        stated = re.sub(rf"\s+[|\-–—:·]\s+{re.escape(publisher)}\s*$", "", stated, flags=re.I)
    return max(stated.split(" | "), key=len).strip()


def _hint_date(hints: dict[str, str]) -> str | None:
    for key in ("article:published_time", "date"):
        if key in hints and (found := find_date(hints[key])):
            return found[2]
    return None


def _clean_name(value: str) -> str | None:
    """A person/agency name from a byline value: cut at brackets, commas, e-mails and dates."""
    name = re.split(r"[(\[,|/<]|\s[-–—·]\s|\S+@\S+", value, maxsplit=1)[0]
    found = find_date(name)
    name = (name[: found[0]] if found else name).strip(" .:;-")
    words = name.split()
    ok = 1 <= len(words) <= 6 and len(name) <= 60 and (name[:1].isupper() or bool(HANGUL.match(name)))
    return name if ok else None


def _copyright_owner(s: str) -> str | None:
    """Owner named in a footer: "All Copy Rights Reserved: on X Site." → "X", "© 2024 Yonhap" → "Yonhap"."""
    t = _COPYRIGHT_WORDS.sub(" ", s)
    t = re.split(r"[.,;]\s", t.strip(" \t:,.;<>[](){}|-"))[0]
    t = re.sub(r"^(?:on|by)\s+|\s+(?:web\s*)?site$", "", t.strip(" \t:,.;<>[](){}|-"), flags=re.I).strip()
    words = t.split()
    return t if 1 <= len(words) <= 6 and len(t) <= 60 and any(ch.isalpha() for ch in t) else None


def _masthead(s: str) -> bool:
    """A masthead like "The Korea Herald": at most four words, each capitalised (small joining words allowed)."""
    words = s.split()
    if not 1 <= len(words) <= 4 or s[-1] in ".?!:" or find_date(s) or _BYLINE.match(s) or _LABELLED.match(s):
        return False
    return all(w[0].isupper() or w in _MASTHEAD_SMALL for w in words)
