"""The small typed records that cross module boundaries: a chunk, a passage, a citation, an answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Chunk:
    """One indexed span of a document. `text == document_text[start:end]` exactly."""

    id: str
    doc: str  # file name shown to users
    path: str  # path relative to the ingest root (unique key of the document)
    text: str
    start: int
    end: int
    lang: str
    section: str  # header | body | aside
    title: str
    publisher: str
    author: str
    date: str  # ISO date or ""
    sentences: tuple[tuple[int, int], ...] = ()  # absolute offsets in the document
    twin: str = ""  # id of the chunk holding this chunk's translation, if any
    text_sha: str = ""

    def sentence_spans(self) -> list[tuple[int, int]]:
        """Sentence spans, or the whole chunk when it was stored without them."""
        return list(self.sentences) or [(self.start, self.end)]

    def span_text(self, start: int, end: int) -> str:
        """The text of an absolute document span that lies inside this chunk."""
        return self.text[start - self.start : end - self.start]

    def metadata(self) -> dict[str, Any]:
        """Chroma metadata: scalars only (Chroma rejects lists), so spans are encoded compactly."""
        return {
            "doc": self.doc,
            "path": self.path,
            "start": self.start,
            "end": self.end,
            "lang": self.lang,
            "section": self.section,
            "title": self.title,
            "publisher": self.publisher,
            "author": self.author,
            "date": self.date,
            "sentences": ";".join(f"{s},{e}" for s, e in self.sentences),
            "twin": self.twin,
            "text_sha": self.text_sha,
        }

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        spans: list[tuple[int, int]] = []
        for part in str(meta.get("sentences", "")).split(";"):
            if part:
                s, e = part.split(",")
                spans.append((int(s), int(e)))
        return cls(
            id=chunk_id,
            doc=str(meta.get("doc", "")),
            path=str(meta.get("path", "")),
            text=text,
            start=int(meta.get("start", 0)),
            end=int(meta.get("end", 0)),
            lang=str(meta.get("lang", "")),
            section=str(meta.get("section", "body")),
            title=str(meta.get("title", "")),
            publisher=str(meta.get("publisher", "")),
            author=str(meta.get("author", "")),
            date=str(meta.get("date", "")),
            sentences=tuple(spans),
            twin=str(meta.get("twin", "")),
            text_sha=str(meta.get("text_sha", "")),
        )


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused score and the ranks that produced it (for debugging/evals)."""

    chunk: Chunk
    score: float
    dense: float | None = None  # cosine similarity to the question, when dense retrieval saw it
    ranks: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Citation:
    n: int
    doc: str
    title: str
    date: str
    text: str
    start: int
    end: int
    score: float
    publisher: str = ""
    chunk_id: str = ""
    highlights: tuple[tuple[int, int], ...] = ()  # absolute spans of the cited sentences

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "doc": self.doc,
            "title": self.title,
            "date": self.date,
            "publisher": self.publisher,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 6),
            "chunk_id": self.chunk_id,
            "highlights": [list(h) for h in self.highlights],
        }


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    refused: bool
    mode: str
    citations: tuple[Citation, ...]
    timings_ms: dict[str, float]
    lang: str = "en"
    unsupported: tuple[str, ...] = ()
    note: str = ""  # e.g. a fallback explanation, shown to the user
    rewritten: str = ""  # the standalone question used for retrieval, when a follow-up was rewritten
    # The answer stage's estimate that the passages answer the question (the learned judge, 0-1); None
    # when it was not computed (an LLM answer, or the hand-rule fallback). Refused below its threshold.
    confidence: float | None = None
    # How the answer came about (`rag.core.outcomes`): the model's answer, cut off, or which fallback
    # replaced it and why. Set by the engine; "" on an Answer built elsewhere (a stored conversation).
    outcome: str = ""
    # Token counts of the LLM call: "prompt" (our count: the server's tokenizer or the estimate),
    # "server_prompt" / "completion" (the server's usage, when it sent one). Empty without an LLM call.
    tokens: dict[str, int] = field(default_factory=dict)
    # The model's own text when it was not shown (it cited no passage): for the eval report, never shown.
    draft: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "mode": self.mode,
            "lang": self.lang,
            "citations": [c.to_json() for c in self.citations],
            "unsupported": list(self.unsupported),
            "note": self.note,
            "rewritten": self.rewritten,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "outcome": self.outcome,
            "tokens": dict(self.tokens),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


@dataclass(frozen=True)
class Turn:
    """One finished exchange of a chat session; follow-up questions are rewritten against these."""

    question: str
    answer: Answer


@dataclass(frozen=True)
class AnswerDelta:
    """A piece of answer text as it streams; the stream always ends with the complete `Answer`."""

    text: str
