"""Answer and source-card HTML: document text is always text, markers link only to real citations."""

from __future__ import annotations

from html.parser import HTMLParser

from rag.core.records import Answer, Citation
from ui.render import LLM_HINT, answer_html, documents_table, highlighted_passage, mode_banner, streaming_html

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a>'
ALLOWED_TAGS = {
    "div",
    "a",
    "q",
    "details",
    "summary",
    "span",
    "mark",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(html)
    return p.tags


def citation(n: int = 1, text: str = "Alpha beta. Gamma delta.", start: int = 100, **kw: object) -> Citation:
    fields: dict[str, object] = {
        "n": n,
        "doc": "a.txt",
        "title": "Title",
        "date": "2024-01-02",
        "text": text,
        "start": start,
        "end": start + len(text),
        "score": 1.0,
        "publisher": "Herald",
        "highlights": ((start + 12, start + 24),),
    }
    fields.update(kw)
    return Citation(**fields)  # type: ignore[arg-type]


def answer(text: str, citations: tuple[Citation, ...], **kw: object) -> Answer:
    fields: dict[str, object] = {
        "question": "q",
        "answer": text,
        "refused": False,
        "mode": "extractive",
        "citations": citations,
        "timings_ms": {"total": 12.3},
    }
    fields.update(kw)
    return Answer(**fields)  # type: ignore[arg-type]


def test_hostile_document_text_never_becomes_markup() -> None:
    c = citation(text=HOSTILE, title=HOSTILE, publisher=HOSTILE, doc=HOSTILE, highlights=((100, 130),))
    html = answer_html(answer(f"{HOSTILE} [1]", (c,), rewritten=HOSTILE, note=HOSTILE), "t0")
    html += documents_table([(HOSTILE, HOSTILE, 1, True)]) + streaming_html(HOSTILE)
    tags = parse(html)
    assert {t for t, _ in tags} <= ALLOWED_TAGS | {"b"}
    assert all(not k.startswith("on") for _, attrs in tags for k in attrs)
    hrefs = [attrs["href"] for t, attrs in tags if t == "a"]
    assert hrefs == ["#src-t0-1"]
    assert "&lt;script&gt;" in html


def test_markers_link_to_their_cards_and_unknown_markers_stay_text() -> None:
    html = answer_html(answer("First [1]. Second [2]. Bogus [7].", (citation(1), citation(2))), "t3")
    tags = parse(html)
    assert [a["href"] for t, a in tags if t == "a"] == ["#src-t3-1", "#src-t3-2"]
    assert [a["id"] for t, a in tags if t == "details" and a.get("class") == "rag-source"] == [
        "src-t3-1",
        "src-t3-2",
    ]
    assert "Bogus [7]" in html


def test_highlight_uses_absolute_spans_shifted_into_the_passage() -> None:
    c = citation(text="Alpha beta. Gamma delta.", start=500, highlights=((512, 524),))
    assert highlighted_passage(c) == "Alpha beta. <mark>Gamma delta.</mark>"
    out_of_range = citation(text="Alpha beta.", start=0, highlights=((5, 999), (2, 4)))
    assert highlighted_passage(out_of_range) == "Al<mark>ph</mark>a<mark> beta.</mark>"


def test_rewritten_question_refusal_and_mode_are_shown() -> None:
    html = answer_html(answer("No answer.", (citation(),), refused=True, rewritten="Where is X held?"), "t0")
    assert "rag-refused" in html and "Not answered by the documents" in html
    assert "Where is X held?" in html and "Related passages — not an answer (1)" in html
    assert 'class="rag-n"' not in html  # a refusal's related passage is not numbered like a citation
    ko = answer_html(answer("없음 [1]", (citation(),), refused=True, lang="ko"), "t0")
    assert "문서에 답이 없습니다" in ko and "[1]" not in ko.split("rag-plain")[0]
    assert "extractive" in html and "total 12 ms" in html
    assert "Searched for" not in answer_html(answer("Yes [1].", (citation(),)), "t0")


def test_banner_explains_how_to_enable_an_llm_only_in_offline_mode() -> None:
    assert "OPENAI_API_KEY" in LLM_HINT and "OPENAI_BASE_URL" in LLM_HINT
    assert "OPENAI_BASE_URL" in mode_banner("extractive")
    assert "OPENAI" not in mode_banner("llm:qwen2.5") and "llm:qwen2.5" in mode_banner("llm:qwen2.5")
