"""Turn files on disk into clean Unicode text plus the metadata the file format itself states.

Every later stage (cleaning, chunking, citation offsets) works on ``LoadedDocument.text``, so this module's job
is to make that text *stable*: the same document saved as UTF-8, UTF-8 with BOM, UTF-16 or CP949, with CRLF or
LF line ends, must give exactly the same string, so offsets computed on one copy are valid for every copy.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction
from charset_normalizer import from_bytes
from pypdf import PdfReader

from rag.lang import wordlists
from rag.lang.script import HANGUL

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})

_FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
# Elements whose text is never visible prose.  <aside>, <header> and <footer> are deliberately kept: sidebars and
# bylines are real content, and cleaning.analyse decides what is header/body/aside from the text itself.
_DROP_TAGS = wordlists.word_set("html_drop_tags")
# Block elements start a new paragraph of text.
_BLOCK_TAGS = wordlists.word_set("html_block_tags")
_META_HINTS = {"og:title", "og:site_name", "author", "article:published_time", "date"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Encodings a bilingual English/Korean corpus really uses.  charset-normalizer happily proposes exotic codecs for
# short inputs (it ranked UTF-16-BE first for the 4 bytes of CP1252 "café"), so its answers are filtered through
# this table; each family maps to the superset codec we decode with (CP949 ⊃ EUC-KR, so the twins agree).
_KOREAN = {"cp949": "cp949", "euc_kr": "cp949"}
_WESTERN = {"cp1252": "cp1252", "latin_1": "latin_1", "iso8859_15": "iso8859_15"}


class LoadError(Exception):
    """A file that cannot become text; ``str(err)`` is one short human line naming the reason."""


@dataclass(frozen=True)
class LoadedDocument:
    """A file's text (NFC, ``\\n`` line ends) and what its format states about it.

    ``hints`` keys are ``title``, ``og:title``, ``og:site_name``, ``author``, ``article:published_time`` and
    ``date`` (raw values, e.g. a PDF ``D:2024...`` stamp); only keys the file actually states are present, so
    cleaning can prefer stated metadata over guesses from the text.
    """

    path: Path
    text: str
    encoding: str | None
    format: str
    hints: dict[str, str] = field(default_factory=dict)


def load_document(path: Path) -> LoadedDocument:
    """Load one supported file, raising ``LoadError`` for anything that does not yield readable text."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported type {suffix or '(no extension)'}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"could not read file ({exc.strerror or type(exc).__name__})") from exc
    if not data.strip():
        raise LoadError("empty file")
    if suffix == ".pdf":
        return _load_pdf(path, data)
    fmt = _FORMATS[suffix]
    declared = _declared_charset(data) if fmt == "html" else None
    raw, encoding = decode_bytes(data, declared)
    hints: dict[str, str] = {}
    if fmt == "html":
        raw, hints = _html_to_text(raw)
        if not raw.strip():
            raise LoadError("HTML has no visible text")
    elif fmt == "markdown":
        raw, hints = _split_front_matter(raw)
    text = normalise_text(raw)
    if not text.strip():
        raise LoadError("empty file")
    return LoadedDocument(path=path, text=text, encoding=encoding, format=fmt, hints=hints)


def normalise_text(text: str) -> str:
    """NFC plus ``\\n`` line ends, so offsets do not depend on the platform or the editor that saved the file."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes: BOM, declared charset, strict UTF-8, mostly-UTF-8, then a filtered detector guess."""
    boms = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"))
    for bom, codec in (*boms, (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise LoadError("could not decode text") from exc
    if b"\x00" in data:
        return _decode_bomless_utf16(data)
    for codec in filter(None, (declared, "utf-8")):
        try:
            return _check_not_binary(data.decode(codec)), codec
        except (UnicodeDecodeError, LookupError):
            continue
    # A UTF-8 file with a few corrupt bytes (a bad copy-paste, a truncated download) is still UTF-8: keep it, with
    # U+FFFD marking the bad bytes, rather than let a detector re-read every character in a legacy codec.
    repaired = data.decode("utf-8", errors="replace")
    bad = repaired.count("\ufffd")
    if sum(1 for ch in repaired if ord(ch) > 127) - bad >= 10 * bad:
        return _check_not_binary(repaired), "utf-8"
    codec = _guess_legacy_codec(data)
    return _check_not_binary(data.decode(codec)), codec


def _guess_legacy_codec(data: bytes) -> str:
    for match in from_bytes(data):
        names = [match.encoding, *match.could_be_from_charset]
        for table in (_KOREAN, _WESTERN):
            family = [table[name] for name in names if name in table]
            if not family:
                continue
            # Prefer the family's superset codec when it decodes strictly (cp1252 over latin_1, cp949 over euc_kr).
            for codec in sorted(set(family), key=list(table.values()).index):
                try:
                    data.decode(codec)
                    return codec
                except UnicodeDecodeError:
                    continue
    # The detector found nothing sensible: a short Korean snippet can still be recognised by decoding as CP949.
    try:
        if HANGUL.search(data.decode("cp949")):
            return "cp949"
    except UnicodeDecodeError:
        pass
    raise LoadError("could not decode text")


def _decode_bomless_utf16(data: bytes) -> tuple[str, str]:
    # NUL bytes mean binary, except UTF-16 written without a BOM: there the NULs sit almost only in the high byte
    # of each code unit (ASCII-range characters), i.e. at odd offsets for LE and even offsets for BE.
    if len(data) % 2 == 0:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        codec = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else None
        if codec and max(even, odd) >= len(data) // 8:
            try:
                return _check_not_binary(data.decode(codec)), codec
            except (UnicodeDecodeError, LoadError):
                pass
    raise LoadError("binary file")


def _check_not_binary(text: str) -> str:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(2, len(text) // 100):
        raise LoadError("binary file")
    return text


def _declared_charset(data: bytes) -> str | None:
    match = _HTML_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    return "cp949" if name.replace("-", "_") in {"euc_kr", "ks_c_5601_1987", "cp949", "ms949"} else name


def _split_front_matter(text: str) -> tuple[str, dict[str, str]]:
    """Remove a leading ``---`` YAML block (metadata, not prose) and keep its title/author/date as hints."""
    text = normalise_text(text)
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}
    hints: dict[str, str] = {}
    # Only flat "key: value" lines matter here, so a YAML parser (and its dependency) is not needed.
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        key, value = key.strip().lower(), value.strip().strip("\"'").strip()
        if sep and value and key in {"title", "author", "date"}:
            hints[key] = value
    return text[match.end() :], hints


def _html_to_text(html: str) -> tuple[str, dict[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    hints: dict[str, str] = {}
    if soup.title and soup.title.get_text(strip=True):
        hints["title"] = " ".join(soup.title.get_text().split())
    for meta in soup.find_all("meta"):
        key = str(meta.get("property") or meta.get("name") or "").strip().lower()
        content = " ".join(str(meta.get("content") or "").split())
        if key in _META_HINTS and content and key not in hints:
            hints[key] = content
    return _visible_text(soup.body or soup), hints


def _visible_text(root: Tag) -> str:
    """Visible text with one blank line between block elements, so HTML paragraphs stay text paragraphs.

    bs4's ``get_text`` cannot tell block from inline elements, so a small explicit-stack walk does that here.
    """
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        lines = (" ".join(line.split()) for line in "".join(current).split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
        current.clear()

    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            flush()
        elif isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        elif isinstance(node, NavigableString):
            # Source newlines are layout, not content: only <br> breaks a line inside a paragraph.
            current.append(re.sub(r"\s+", " ", str(node)))
        elif isinstance(node, Tag):
            style = str(node.get("style") or "").replace(" ", "").lower()
            if node.name in _DROP_TAGS or node.has_attr("hidden") or "display:none" in style:
                continue
            if node.name == "br":
                current.append("\n")
            elif node.name == "pre":
                flush()
                paragraphs.append(normalise_text(node.get_text()).strip("\n"))
            else:
                if node.name in _BLOCK_TAGS:
                    flush()
                    stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
    flush()
    return "\n\n".join(p for p in paragraphs if p.strip())


def _load_pdf(path: Path, data: bytes) -> LoadedDocument:
    if not data.lstrip().startswith(b"%PDF"):
        raise LoadError("unreadable PDF (not a PDF file)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        hints: dict[str, str] = {}
        if info is not None:
            stated = (("title", info.title), ("author", info.author), ("date", info.get("/CreationDate")))
            for key, value in stated:
                if value and str(value).strip():
                    hints[key] = " ".join(str(value).split())
    except LoadError:
        raise
    # pypdf raises many exception types (PdfReadError, ValueError, KeyError...) on broken files.
    except Exception as exc:
        message = "encrypted PDF" if "encrypt" in str(exc).lower() else "unreadable PDF"
        raise LoadError(message) from exc
    text = normalise_text("\n\n".join(page.strip("\n") for page in pages))
    if not text.strip():
        raise LoadError("PDF has no extractable text (scanned?)")
    return LoadedDocument(path=path, text=text, encoding=None, format="pdf", hints=hints)
