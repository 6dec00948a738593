"""Check a generated answer against the passages it cites, sentence by sentence.

A sentence is supported when its cited passages (read with their translation twin and title/date)
contain its content: every anchor (names, acronyms, numbers) and at least half of its idf-weighted key
terms, matched Korean-aware (particle-stripped stems, Hangul bigrams) through `rag.text`. A sentence in
another language than its passage (a Korean answer citing English text) cannot share words, so there
the test is e5 similarity between the sentence and the passage's best sentence, plus the Latin-script
anchors that survive translation. Sentences that fail, and sentences with content but no marker in an
answer that cites, are reported as unsupported; they are never silently kept as grounded.

Highlights: for each cited sentence, the passage sentence that best supports it (shared key terms,
else e5 similarity), so a citation shows the exact span a claim rests on. The thresholds and weights
are the "LLM-answer verification" fields of `rag.answer.policy.AnswerPolicy`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from rag.answer.policy import AnswerPolicy, resolve
from rag.core.records import Chunk
from rag.embeddings.base import Embedder, memoised_text_embedding
from rag.lang.script import detect_lang
from rag.lang.sentences import answer_sentences
from rag.lang.terms import classify_terms, term_in, term_weights
from rag.lang.tokens import bigrams, token_set
from rag.retrieval.lexical import LexicalIndex

_MARKER = re.compile(r"\[(\d+)\]")
# A sentence ends at . ! ? or after a citation marker, unless more markers follow. Other brackets
# ("[Regarding the election, ...]" quoted in a document) are text, not boundaries.
# Only Latin names survive translation word for word: "30만" is "300,000", "9월" is "September".
_LATIN = re.compile(r"^[a-z]")


@dataclass(frozen=True)
class SentenceCheck:
    text: str  # as it appears in the answer, markers included
    cites: tuple[int, ...]
    supported: bool
    support: float


@dataclass
class Verification:
    sentences: list[SentenceCheck]
    highlights: dict[int, set[tuple[int, int]]] = field(default_factory=dict)  # citation n -> spans

    @property
    def unsupported(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.sentences if not s.supported)


def split_sentences(text: str) -> list[str]:
    """The answer's claims: the one sentence splitter's rules (rag.lang.sentences), each sentence
    keeping the citation markers that close it."""
    return answer_sentences(text)


class Verifier:
    """Checks a generated answer's sentences against the chunks they cite:
    `Verifier(lexical, embedder).verify(answer_text, {1: chunk, ...})`."""

    def __init__(
        self, lexical: LexicalIndex, embedder: Embedder | None = None, policy: AnswerPolicy | None = None
    ) -> None:
        if not isinstance(lexical, LexicalIndex):
            raise TypeError(f"Verifier: lexical must be a LexicalIndex (got {type(lexical).__name__})")
        self.policy = resolve(policy, "Verifier")
        self.lexical = lexical
        self.catalog = lexical.by_id()
        self.embedder = embedder

        self._embed = memoised_text_embedding(embedder)

    def verify(self, answer: str, cited: dict[int, Chunk]) -> Verification:
        """`cited` maps each citation number in `answer` to its chunk."""
        result = Verification([])
        any_cited = bool(_MARKER.search(answer))
        for sent in split_sentences(answer):
            cites = tuple(int(n) for n in _MARKER.findall(sent))
            content = _MARKER.sub("", sent).strip()
            if not classify_terms(content):
                continue  # "[1]" alone, or a sentence with nothing to check
            chunks = [cited[n] for n in cites if n in cited]
            if not chunks:
                # Uncited content in an answer that cites elsewhere is a claim without a source; an answer
                # with no citation at all is the model saying the passages don't answer.
                result.sentences.append(SentenceCheck(sent, cites, not any_cited, 0.0))
                continue
            support = self.support(content, chunks)
            result.sentences.append(SentenceCheck(sent, cites, support >= self.policy.min_support, support))
            for n in dict.fromkeys(cites):
                if n in cited:
                    span = self.best_span(content, cited[n])
                    if span:
                        result.highlights.setdefault(n, set()).add(span)
        return result

    def _group(self, chunk: Chunk) -> list[str]:
        twin = self.catalog.get(chunk.twin) if chunk.twin else None
        meta = " ".join(x for x in (chunk.title, chunk.publisher, chunk.author, chunk.date) if x)
        return [chunk.text, meta] + ([twin.text] if twin else [])

    def support(self, sentence: str, chunks: list[Chunk]) -> float:
        """0..1: how well the cited chunks back the sentence (>= `min_support` counts as supported).
        Across languages, e5: faithful translations 0.81-0.87 to their passage sentence, unrelated or
        invented claims 0.74-0.76 (measured on the test documents; index/twins.py: translated paragraphs
        0.82-0.89); `xling_support_sim` sits between."""
        policy = self.policy
        terms = classify_terms(sentence)
        texts = [t for c in chunks for t in self._group(c)]
        toks: set[str] = set()
        grams: set[str] = set()
        for t in texts:
            toks.update(token_set(t))
            grams |= bigrams(t)
        s_lang = detect_lang(sentence)
        same_lang = any(
            c.lang == s_lang or (c.twin in self.catalog and self.catalog[c.twin].lang == s_lang)
            for c in chunks
        )
        weights = term_weights(
            terms,
            self.lexical.capped_idf,
            anchor=policy.verify_anchor_weight,
            predicate=policy.verify_predicate_weight,
        )
        hits: dict[str, float] = {}
        missing_anchor = False
        for k in terms:
            hits[k.term] = term_in(k.term, toks, grams)
            must = k.anchor and (same_lang or _LATIN.match(k.term))
            if must and hits[k.term] == 0:
                missing_anchor = True
        if missing_anchor:
            return 0.0
        total = sum(weights.values()) or 1.0
        lexical = sum(weights[t] * hits[t] for t in weights) / total
        if lexical >= policy.min_support or same_lang or self.embedder is None:
            return lexical
        sim = max((self._best_sim(sentence, c)[1] for c in chunks), default=0.0)
        if sim >= policy.xling_support_sim:
            return 1.0
        return min(lexical, policy.min_support - policy.unsupported_margin)

    def _sentences(self, chunk: Chunk) -> list[tuple[tuple[int, int], str]]:
        out = []
        for s, e in chunk.sentence_spans():
            text = chunk.span_text(s, e).strip()
            if len(text) >= self.policy.min_sentence_chars:
                out.append(((s, e), text))
        return out

    def _best_sim(self, sentence: str, chunk: Chunk) -> tuple[tuple[int, int] | None, float]:
        if self.embedder is None:
            return None, 0.0
        q = np.asarray(self._embed(sentence), dtype=np.float32)
        best: tuple[tuple[int, int] | None, float] = (None, 0.0)
        for span, text in self._sentences(chunk):
            sim = float(np.asarray(self._embed(text), dtype=np.float32) @ q)
            if sim > best[1]:
                best = (span, sim)
        return best

    def best_span(self, sentence: str, chunk: Chunk) -> tuple[int, int] | None:
        terms = [k.term for k in classify_terms(sentence)]
        scored: list[tuple[float, tuple[int, int]]] = []
        for span, text in self._sentences(chunk):
            toks, grams = token_set(text), bigrams(text)
            scored.append((sum(term_in(t, toks, grams) for t in terms), span))
        if not scored:
            return None
        score, span = max(scored, key=lambda x: x[0])
        if score > 0:
            return span
        found, _ = self._best_sim(sentence, chunk)
        return found
