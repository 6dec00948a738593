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

from rag.answer.evidence import Evidence, SentenceScorer, assess
from rag.answer.refusal import refusal_text
from rag.embeddings.base import Embedder
from rag.lexical import LexicalIndex
from rag.records import Answer, Chunk, Citation, Passage
from rag.retrieve import Retrieval
from rag.text import bigrams, classify_terms, key_terms, term_in, tokens

MAX_SENTENCES = 3
MAX_ANSWER_CHARS = 700
TITLE_FACTOR = 0.6


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    rank: int
    start: int  # absolute offsets in the document
    end: int
    text: str
    score: float


class ExtractiveAnswerer:
    mode = "extractive"

    def __init__(self, lexical: LexicalIndex, embedder: Embedder | None = None) -> None:
        self.lexical = lexical
        self.embedder = embedder

        @lru_cache(maxsize=8192)
        def _embed_sentence(text: str) -> tuple[float, ...]:
            assert self.embedder is not None
            return tuple(self.embedder.get_text_embedding(text))

        self._embed_sentence = _embed_sentence

    def answer(self, retrieval: Retrieval) -> Answer:
        t0 = time.perf_counter()
        q_vec = np.asarray(retrieval.query_embedding, dtype=np.float32)
        scorer = self._sentence_scorer(q_vec) if q_vec.size and self.embedder is not None else None
        evidence = assess(retrieval.question, retrieval.lang, retrieval.passages, self.lexical, scorer)
        if not evidence.answerable or evidence.best is None:
            return self._refuse(retrieval, evidence, t0)
        if evidence.cross_lingual and scorer is not None:
            cands = self._cross_lingual(evidence.best, q_vec)
        else:
            cands = self._score(retrieval)
        picked = self._select(cands, key_terms(retrieval.question))
        if not picked:
            return self._refuse(retrieval, evidence, t0)
        text, citations = compose(picked)
        note = ""
        if evidence.cross_lingual:
            note = _XLING_NOTE.get(retrieval.lang, "")
        ms = (time.perf_counter() - t0) * 1000
        return Answer(
            retrieval.question,
            text,
            False,
            self.mode,
            citations,
            {**retrieval.timings_ms, "answer": ms},
            retrieval.lang,
            note=note,
        )

    def _sentence_sims(self, chunk: Chunk, q_vec: np.ndarray) -> list[tuple[tuple[int, int], float]]:
        out = []
        for s, e in chunk.sentence_spans():
            sent = chunk.span_text(s, e).strip()
            if len(sent) < 2:
                continue
            vec = np.asarray(self._embed_sentence(sent), dtype=np.float32)
            out.append(((s, e), float(vec @ q_vec)))
        return out

    def _sentence_scorer(self, q_vec: np.ndarray) -> SentenceScorer:
        def best_sentence_sim(chunk: Chunk) -> float:
            sims = self._sentence_sims(chunk, q_vec)
            return max((s for _, s in sims), default=0.0)

        return best_sentence_sim

    def _cross_lingual(self, passage: Passage, q_vec: np.ndarray) -> list[Candidate]:
        """Words cannot match across languages: rank the passage's sentences by e5 similarity."""
        c = passage.chunk
        out = [
            Candidate(passage, 0, s, e, c.span_text(s, e).strip(), sim)
            for (s, e), sim in self._sentence_sims(c, q_vec)
        ]
        out.sort(key=lambda x: -x.score)
        return out[:1]

    def _score(self, retrieval: Retrieval) -> list[Candidate]:
        terms = classify_terms(retrieval.question)
        weights = {k.term: self.lexical.capped_idf(k.term) for k in terms}
        total = sum(weights.values()) or 1.0
        in_pool = {p.chunk.id for p in retrieval.passages}
        top = retrieval.passages[0].score if retrieval.passages else 1.0
        out: list[Candidate] = []
        for rank, p in enumerate(retrieval.passages):
            c = p.chunk
            # When this paragraph's translation in the question's language is also retrieved, quote that.
            lang_factor = 0.85 if (c.lang != retrieval.lang and c.twin in in_pool) else 1.0
            prior = p.score / top
            for s, e in c.sentence_spans():
                sent = c.span_text(s, e).strip()
                if len(sent) < 2:
                    continue
                toks, grams = set(tokens(sent)), bigrams(sent)
                cov = sum(weights[t] * term_in(t, toks, grams) for t in weights) / total if weights else 0.0
                score = (cov + 0.35 * prior) * lang_factor
                if sent == c.title:
                    score *= TITLE_FACTOR  # a headline restates the article; its body says it in full
                out.append(Candidate(p, rank, s, e, sent, score))
        return sorted(out, key=lambda x: -x.score)

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
        """Say so in the question's language, and show the closest sentence found (with its citation):
        for a false premise that sentence is the correction."""
        found = evidence.best
        text = refusal_text(retrieval.question, retrieval.lang, evidence.missing, found is not None)
        citations: tuple[Citation, ...] = ()
        if found is not None:
            focused = Retrieval(retrieval.question, retrieval.lang, [found], retrieval.timings_ms)
            closest = self._score(focused)[:1]
            if closest:
                quote, citations = compose(closest)
                text = f"{text} {quote}"
        ms = (time.perf_counter() - t0) * 1000
        return Answer(
            retrieval.question,
            text,
            True,
            self.mode,
            citations,
            {**retrieval.timings_ms, "answer": ms},
            retrieval.lang,
        )


_XLING_NOTE = {
    "ko": "한국어 문서에는 직접적인 답이 없어 영어 원문에서 찾은 문장을 인용합니다.",
    "en": "Quoted from text in another language: the documents hold no answer in English.",
}


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
            n=n,
            doc=by_id[cid].chunk.doc,
            title=by_id[cid].chunk.title,
            date=by_id[cid].chunk.date,
            text=by_id[cid].chunk.text,
            start=by_id[cid].chunk.start,
            end=by_id[cid].chunk.end,
            score=by_id[cid].score,
            publisher=by_id[cid].chunk.publisher,
            chunk_id=cid,
            highlights=tuple(sorted(spans[cid])),
        )
        for cid, n in numbers.items()
    )
    return " ".join(parts), citations
