"""Small constructors for eval records, so each test states only the fields it is about."""

from __future__ import annotations

from evals.dataset import Case
from rag.core.records import Answer, Chunk, Citation


def case(**fields: object) -> Case:
    base: dict[str, object] = {
        "id": "c1",
        "question": "How many cables were replaced?",
        "lang": "en",
        "type": "en",
        "answerable": True,
        "facts": ((r"4,?200",),),
        "evidence": ("replaced 4,200 steel cables",),
        "sources": ("harbor.txt",),
        "forbid": (),
    }
    base.update(fields)
    return Case(**base)  # type: ignore[arg-type]


def citation(n: int, text: str, doc: str = "harbor.txt") -> Citation:
    return Citation(n=n, doc=doc, title="t", date="", text=text, start=0, end=len(text), score=1.0)


def answer(text: str, citations: tuple[Citation, ...] = (), refused: bool = False) -> Answer:
    return Answer(
        question="q",
        answer=text,
        refused=refused,
        mode="extractive",
        citations=citations,
        timings_ms={"retrieve": 10.0, "answer": 2.0, "total": 12.0},
    )


def chunk(cid: str, text: str, twin: str = "", lang: str = "en") -> Chunk:
    return Chunk(
        id=cid,
        doc="d.txt",
        path="d.txt",
        text=text,
        start=0,
        end=len(text),
        lang=lang,
        section="body",
        title="",
        publisher="",
        author="",
        date="",
        twin=twin,
    )
