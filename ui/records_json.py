"""Answer records read back from the conversation files (the inverse of `Answer.to_json`).

Kept in ui/ because only the page's persisted conversations need to read answers back; the CLI and
the evals only ever write them.
"""

from __future__ import annotations

from typing import Any

from rag.core.records import Answer, Citation, Turn


def citation_from_json(d: dict[str, Any]) -> Citation:
    return Citation(
        n=int(d["n"]),
        doc=str(d.get("doc", "")),
        title=str(d.get("title", "")),
        date=str(d.get("date", "")),
        text=str(d.get("text", "")),
        start=int(d.get("start", 0)),
        end=int(d.get("end", 0)),
        score=float(d.get("score", 0.0)),
        publisher=str(d.get("publisher", "")),
        chunk_id=str(d.get("chunk_id", "")),
        highlights=tuple((int(s), int(e)) for s, e in d.get("highlights", [])),
    )


def answer_from_json(d: dict[str, Any]) -> Answer:
    confidence = d.get("confidence")
    return Answer(
        question=str(d.get("question", "")),
        answer=str(d.get("answer", "")),
        refused=bool(d.get("refused", False)),
        mode=str(d.get("mode", "")),
        citations=tuple(citation_from_json(c) for c in d.get("citations", [])),
        timings_ms={str(k): float(v) for k, v in d.get("timings_ms", {}).items()},
        lang=str(d.get("lang", "en")),
        unsupported=tuple(str(u) for u in d.get("unsupported", [])),
        note=str(d.get("note", "")),
        rewritten=str(d.get("rewritten", "")),
        confidence=None if confidence is None else float(confidence),
    )


def turn_to_json(turn: Turn) -> dict[str, Any]:
    return {"question": turn.question, "answer": turn.answer.to_json()}


def turn_from_json(d: dict[str, Any]) -> Turn:
    return Turn(str(d["question"]), answer_from_json(d["answer"]))
