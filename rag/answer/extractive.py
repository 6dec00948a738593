"""The offline answerer: pick the sentences that answer the question and cite each one.

Every sentence of the answer is copied verbatim from a retrieved passage, so each claim is supported
by the passage its `[n]` points to by construction, and its exact character span is known.
Sentences are scored by the idf-weighted share of the question's key terms they contain (Korean-aware),
plus the retrieval rank of their passage; when the corpus holds the same paragraph in both languages,
the question's language wins. For a cross-lingual hit (no shared words possible) sentences are
ranked by e5 similarity to the question instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from rag.answer.evidence import Evidence, assess
from rag.answer.refusal import refusal_text
from rag.lexical import LexicalIndex
from rag.records import Answer, Chunk, Citation, Passage
from rag.retrieve import Retrieval
from rag.text import bigrams, detect_lang, key_terms, term_in, tokens

MAX_SENTENCES = 3
MAX_ANSWER_CHARS = 700


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    rank: int
    start: int  # absolute offsets in the document
    end: int
    text: str
    lang: str
    score: float


def _sentences(chunk: Chunk) -> list[tuple[int, int]]:
    return list(chunk.sentences) or [(chunk.start, chunk.end)]


class ExtractiveAnswerer:
    mode = "extractive"

    def __init__(self, lexical: LexicalIndex, embedder: BaseEmbedding | None = None) -> None:
        self.lexical = lexical
        self.embedder = embedder

        @lru_cache(maxsize=4096)
        def _embed_passage(text: str) -> tuple[float, ...]:
            assert self.embedder is not None
            return tuple(self.embedder.get_text_embedding(text))

        self._embed_passage = _embed_passage

    def answer(self, retrieval: Retrieval) -> Answer:
        t0 = time.perf_counter()
        q, q_lang = retrieval.question, retrieval.lang
        evidence = assess(q, q_lang, retrieval.passages, self.lexical)
        if not evidence.answerable:
            return self._refuse(retrieval, evidence, t0)
        cands = self._score(retrieval, evidence)
        picked = self._select(cands, key_terms(q))
        if not picked:
            return self._refuse(retrieval, evidence, t0)
        text, citations = compose(picked)
        ms = (time.perf_counter() - t0) * 1000
        return Answer(q, text, False, self.mode, citations, {**retrieval.timings_ms, "answer": ms}, q_lang)

    def _score(self, retrieval: Retrieval, evidence: Evidence) -> list[Candidate]:
        terms = key_terms(retrieval.question)
        weights = {t: self.lexical.idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        in_pool = {p.chunk.id for p in retrieval.passages}
        top = retrieval.passages[0].score if retrieval.passages else 1.0
        out: list[Candidate] = []
        for rank, p in enumerate(retrieval.passages):
            c = p.chunk
            # When this paragraph's translation in the question's language is also retrieved, quote that.
            lang_penalty = 0.85 if (c.lang != retrieval.lang and c.twin in in_pool) else 1.0
            for s, e in _sentences(c):
                sent = c.text[s - c.start : e - c.start]
                if len(sent.strip()) < 2:
                    continue
                toks, grams = set(tokens(sent)), bigrams(sent)
                cov = sum(weights[t] * term_in(t, toks, grams) for t in terms) / total if terms else 0.0
                prior = p.score / top
                score = (cov + 0.35 * prior) * lang_penalty
                out.append(Candidate(p, rank, s, e, sent.strip(), detect_lang(sent), score))
        if evidence.cross_lingual and self.embedder is not None:
            out = self._rescore_cross_lingual(retrieval, out)
        return sorted(out, key=lambda x: -x.score)

    def _rescore_cross_lingual(self, retrieval: Retrieval, cands: list[Candidate]) -> list[Candidate]:
        """Words cannot match across languages; rank the top passages' sentences by e5 similarity."""
        assert self.embedder is not None
        q = np.asarray(self.embedder.get_query_embedding(retrieval.question), dtype=np.float32)
        top_ids = {p.chunk.id for p in retrieval.passages[:2]}
        out: list[Candidate] = []
        for c in cands:
            if c.passage.chunk.id in top_ids:
                sim = float(np.asarray(self._embed_passage(c.text), dtype=np.float32) @ q)
                out.append(Candidate(c.passage, c.rank, c.start, c.end, c.text, c.lang, 2.0 * sim + c.score * 0.1))
            else:
                out.append(c)
        return out

    def _select(self, cands: list[Candidate], terms: list[str]) -> list[Candidate]:
        if not cands:
            return []
        best = cands[0]
        picked = [best]
        covered = _terms_in(best.text, terms)
        used_chunks = {best.passage.chunk.id, best.passage.chunk.twin}
        length = len(best.text)
        for c in cands[1:]:
            if len(picked) >= MAX_SENTENCES or c.score < 0.6 * best.score:
                break
            chunk = c.passage.chunk
            if chunk.twin and chunk.twin in used_chunks and chunk.id not in used_chunks:
                continue  # the translation of something already quoted
            new_terms = _terms_in(c.text, terms) - covered
            if not new_terms or length + len(c.text) > MAX_ANSWER_CHARS:
                continue
            if any(c.text == p.text for p in picked):
                continue
            picked.append(c)
            covered |= new_terms
            used_chunks |= {chunk.id, chunk.twin}
            length += len(c.text)
        return picked

    def _refuse(self, retrieval: Retrieval, evidence: Evidence, t0: float) -> Answer:
        found = evidence.best
        text = refusal_text(retrieval.question, retrieval.lang, evidence.missing, found is not None)
        citations: tuple[Citation, ...] = ()
        if found is not None:
            s, e = _sentences(found.chunk)[0]
            cand = Candidate(found, 0, s, e, found.chunk.text[s - found.chunk.start : e - found.chunk.start], "", 0)
            quote, citations = compose([cand])
            text = f"{text} {quote}"
        ms = (time.perf_counter() - t0) * 1000
        return Answer(
            retrieval.question, text, True, self.mode, citations,
            {**retrieval.timings_ms, "answer": ms}, retrieval.lang,
        )


def _terms_in(text: str, terms: list[str]) -> set[str]:
    toks, grams = set(tokens(text)), bigrams(text)
    return {t for t in terms if term_in(t, toks, grams) > 0}


def compose(picked: list[Candidate]) -> tuple[str, tuple[Citation, ...]]:
    """Join sentences with `[n]` markers; n numbers cited passages by first use, so every marker maps."""
    numbers: dict[str, int] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    parts: list[str] = []
    for c in picked:
        cid = c.passage.chunk.id
        n = numbers.setdefault(cid, len(numbers) + 1)
        spans.setdefault(cid, []).append((c.start, c.end))
        parts.append(f"{c.text} [{n}]")
    by_id = {c.passage.chunk.id: c.passage for c in picked}
    citations = tuple(
        Citation(
            n=n, doc=by_id[cid].chunk.doc, title=by_id[cid].chunk.title, date=by_id[cid].chunk.date,
            text=by_id[cid].chunk.text, start=by_id[cid].chunk.start, end=by_id[cid].chunk.end,
            score=by_id[cid].score, publisher=by_id[cid].chunk.publisher, chunk_id=cid,
            highlights=tuple(sorted(spans[cid])),
        )
        for cid, n in numbers.items()
    )
    return " ".join(parts), citations
