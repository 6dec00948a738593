"""Loader tests: encodings give identical text, formats give clean text plus stated metadata, bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.loaders import SUPPORTED_SUFFIXES, LoadError, decode_bytes, load_document

ROOT = Path(__file__).resolve().parents[2]


def corpus_file(name: str) -> Path:
    for folder in (ROOT / "corpus", ROOT.parent / "shared" / "corpus"):
        if (folder / name).is_file():
            return folder / name
    pytest.skip(f"corpus file {name} not available")


def korean_text() -> str:
    # CP949 cannot encode U+00A0 and U+2013, which the scraped file contains; swap them so both twins are exact.
    text = corpus_file("004_78d7a2b26e516305.txt").read_text(encoding="utf-8")
    return text.replace("\xa0", " ").replace("–", "-")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_supported_suffixes() -> None:
    assert frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}) == SUPPORTED_SUFFIXES


def test_utf8_corpus_file_loads_unchanged() -> None:
    path = corpus_file("000_40c3dc7fdaca965c.txt")
    doc = load_document(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.encoding == "utf-8" and doc.format == "text" and doc.hints == {}


@pytest.mark.parametrize(
    ("codec", "prefix"),
    [
        ("cp949", b""),
        ("utf-16", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_korean_twins_give_identical_text(tmp_path: Path, codec: str, prefix: bytes) -> None:
    text = korean_text()
    utf8 = load_document(write(tmp_path, "a.txt", text.encode("utf-8")))
    twin = load_document(write(tmp_path, "b.txt", prefix + text.encode(codec)))
    assert twin.text == utf8.text == text
    assert "\ufeff" not in twin.text


def test_cp949_detected_for_short_korean(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "k.txt", "미국 국무부는 우려를 표명했다.\n".encode("cp949")))
    assert doc.text == "미국 국무부는 우려를 표명했다.\n"
    assert doc.encoding == "cp949"


def test_euc_kr_file_decodes_as_cp949(tmp_path: Path) -> None:
    text = "한국과 일본은 NATO와의 관계가 자연스럽게 연대될 것이다.\n" * 5
    doc = load_document(write(tmp_path, "k.txt", text.encode("euc-kr")))
    assert doc.text == text and doc.encoding == "cp949"


def test_latin1_cafe(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "l.txt", "Un café, très bien, s'il vous plaît.\n".encode("latin-1")))
    assert doc.text == "Un café, très bien, s'il vous plaît.\n"
    assert doc.encoding in {"cp1252", "latin_1", "iso8859_15"}


def test_short_cp1252_word_is_not_misread_as_utf16() -> None:
    assert decode_bytes("café".encode("cp1252"))[0] == "café"


def test_mostly_utf8_file_keeps_utf8(tmp_path: Path) -> None:
    data = korean_text().encode("utf-8")
    cut = data.index(b"\n", 5000)  # a character boundary
    doc = load_document(write(tmp_path, "m.txt", data[:cut] + b"\xff" + data[cut:]))
    assert doc.encoding == "utf-8" and doc.text.count("\ufffd") == 1
    assert doc.text.replace("\ufffd", "") == korean_text()


def test_bomless_utf16_is_text_not_binary(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "u.txt", "Plain English text, no BOM.\n".encode("utf-16-le")))
    assert doc.text == "Plain English text, no BOM.\n"


def test_crlf_and_lf_twins_have_same_offsets(tmp_path: Path) -> None:
    text = korean_text()
    lf = load_document(write(tmp_path, "lf.txt", text.encode("utf-8")))
    crlf = load_document(write(tmp_path, "crlf.txt", text.replace("\n", "\r\n").encode("utf-8")))
    old_mac = load_document(write(tmp_path, "cr.txt", text.replace("\n", "\r").encode("utf-8")))
    assert lf.text == crlf.text == old_mac.text


def test_nfd_hangul_is_composed(tmp_path: Path) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "한국어 문서")
    assert load_document(write(tmp_path, "n.txt", nfd.encode("utf-8"))).text == "한국어 문서"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        ("x.txt", b"", "empty file"),
        ("x.md", b"  \n\n\t ", "empty file"),
        ("x.docx", b"PK\x03\x04", "unsupported type .docx"),
        ("x.pdf", b"not a pdf at all", "unreadable PDF"),
        ("x.pdf", b"%PDF-1.4\n1 0 obj garbage", "unreadable PDF"),
    ],
)
def test_load_errors_name_the_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    with pytest.raises(LoadError) as info:
        load_document(write(tmp_path, name, data))
    assert str(info.value).startswith(reason)
    assert "\n" not in str(info.value)


def test_missing_file_is_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="could not read file"):
        load_document(tmp_path / "missing.txt")


HTML = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Blinken renews concerns | The Korea Herald</title>
<meta property="og:title" content="Blinken renews concerns over support">
<meta property="og:site_name" content="The Korea Herald">
<meta name="author" content="Yonhap">
<meta property="article:published_time" content="2024-04-10T09:50:00+09:00">
<style>p { color: red }</style>
<script>var secret = "never shown";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header><h1>Blinken renews concerns over support</h1><p>By Yonhap</p></header>
<article>
<p>US Secretary of State Antony <b>Blinken</b> reiterated concerns
   on Tuesday &amp; Wednesday.</p>
<p>Second&nbsp;paragraph with a line<br>break and &lt;escaped&gt; markup.</p>
<div hidden>hidden text</div><form><button>Subscribe</button></form>
<noscript>enable js</noscript><template>tmpl</template>
</article>
<aside><h2>Related</h2><ul><li>Other story one</li><li>Other story two</li></ul></aside>
<footer>© 2024 The Korea Herald</footer>
</body></html>
"""


def test_html_visible_text_and_hints(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "page.html", HTML.encode("utf-8")))
    assert doc.format == "html"
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Blinken renews concerns over support"
    assert "US Secretary of State Antony Blinken reiterated concerns on Tuesday & Wednesday." in paragraphs
    assert "Second paragraph with a line\nbreak and <escaped> markup." in paragraphs
    assert "Other story one" in paragraphs and "© 2024 The Korea Herald" in paragraphs  # aside/footer kept
    for hidden in (
        "secret",
        "color",
        "Home",
        "hidden text",
        "Subscribe",
        "enable js",
        "tmpl",
        "<",
        "charset",
    ):
        assert hidden not in doc.text.replace("<escaped>", "")
    assert doc.hints == {
        "title": "Blinken renews concerns | The Korea Herald",
        "og:title": "Blinken renews concerns over support",
        "og:site_name": "The Korea Herald",
        "author": "Yonhap",
        "article:published_time": "2024-04-10T09:50:00+09:00",
    }


def test_html_declared_euc_kr(tmp_path: Path) -> None:
    html = '<html><head><meta charset="euc-kr"></head><body><p>한국어 본문입니다.</p></body></html>'
    doc = load_document(write(tmp_path, "k.htm", html.encode("cp949")))
    assert doc.text == "한국어 본문입니다." and doc.encoding == "cp949"


def test_html_lists_tables_and_pre(tmp_path: Path) -> None:
    html = (
        "<ul><li>One</li><li>Two <i>items</i></li></ul><table><tr><th>Year</th><td>2024</td></tr></table>"
        "<pre>line 1\n  indented line</pre><p>Tight<b>Join</b> stays joined</p><!-- a comment -->"
    )
    doc = load_document(write(tmp_path, "t.html", html.encode("utf-8")))
    assert doc.text == "One\n\nTwo items\n\nYear\n\n2024\n\nline 1\n  indented line\n\nTightJoin stays joined"


def test_html_without_visible_text(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no visible text"):
        load_document(write(tmp_path, "e.html", b"<html><script>x()</script><nav>menu</nav></html>"))


def test_markdown_front_matter_becomes_hints(tmp_path: Path) -> None:
    md = '---\ntitle: "Quarterly notes"\nauthor: Kim Min-su\ndate: 2024-07-08\ntags: [a, b]\n---\n# Heading\n\nBody.\n'
    doc = load_document(write(tmp_path, "n.md", md.encode("utf-8")))
    assert doc.format == "markdown"
    assert doc.text == "# Heading\n\nBody.\n"
    assert doc.hints == {"title": "Quarterly notes", "author": "Kim Min-su", "date": "2024-07-08"}


def test_markdown_without_front_matter_is_untouched(tmp_path: Path) -> None:
    md = "# Title\n\n---\n\nText after a rule.\n"
    doc = load_document(write(tmp_path, "n.markdown", md.encode("utf-8")))
    assert doc.text == md and doc.hints == {}


def make_pdf(
    path: Path, pages: list[list[str]], title: str | None = None, encrypt: str | None = None
) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title:
        pdf.setTitle(title)
        pdf.setAuthor("Janne Pak")
    for lines in pages:
        for i, line in enumerate(lines):
            pdf.drawString(72, 780 - 16 * i, line)
        pdf.showPage()
    pdf.save()
    return path


def test_pdf_pages_joined_with_blank_line(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "r.pdf", [["First page line."], ["Second page line."]], title="Report title")
    doc = load_document(path)
    assert doc.format == "pdf" and doc.encoding is None
    assert doc.text == "First page line.\n\nSecond page line."
    assert doc.hints["title"] == "Report title" and doc.hints["author"] == "Janne Pak"
    assert doc.hints["date"].startswith("D:20")


def test_pdf_without_text_is_scanned(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [[]])
    with pytest.raises(LoadError, match=r"PDF has no extractable text \(scanned\?\)"):
        load_document(path)


def test_korean_pdf(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HYSMyeongJo-Medium"))
    pdf = canvas.Canvas(str(tmp_path / "ko.pdf"))
    pdf.setFont("HYSMyeongJo-Medium", 12)
    pdf.drawString(72, 700, "한국어 문서입니다. NATO 회의.")
    pdf.showPage()
    pdf.save()
    assert load_document(tmp_path / "ko.pdf").text == "한국어 문서입니다. NATO 회의."


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "locked.pdf", [["Secret text."]], encrypt="user-password")
    with pytest.raises(LoadError, match="encrypted PDF"):
        load_document(path)
