"""Hybrid retrieval: dense (Chroma, one pool per language) + BM25, fused by reciprocal rank.

Language-balanced pools: a multilingual embedder still ranks same-language text first, so a Korean
question whose answer exists only in English gets buried under Korean paragraphs (measured: 9th-16th).
Querying Chroma once per corpus language (a metadata filter) gives every language its own top-N, and
RRF then lets the best match of each language compete on rank instead of on raw score.
Translation twins (see index/twins.py) are pulled in right behind their partner.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rag.core.records import Passage
from rag.embeddings.base import Embedder
from rag.lang.questions import wants_several_sources
from rag.lang.script import detect_lang
from rag.retrieval.lexical import LexicalIndex, StoredSpellings
from rag.retrieval.policy import RetrievalPolicy, load_retrieval_policy
from rag.store.chroma import ChunkStore


@dataclass
class Retrieval:
    question: str
    lang: str
    passages: list[Passage]
    timings_ms: dict[str, float] = field(default_factory=dict)
    query_embedding: list[float] = field(default_factory=list)
    # The question as also searched in other languages, (language, text): see rag.retrieval.crosslingual.
    translations: list[tuple[str, str]] = field(default_factory=list)


def rrf(ranked_lists: Sequence[Sequence[str]], k: int | None = None) -> dict[str, float]:
    """Reciprocal rank fusion: each list adds 1/(k + rank) (k: RetrievalPolicy.rrf_k by default)."""
    if k is None:
        k = load_retrieval_policy().rrf_k
    scores: dict[str, float] = {}
    for ranking in ranked_lists:
        for rank, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank + 1)
    return scores


class HybridRetriever:
    """Dense per-language pools + BM25, fused by rank; numbers from `policy` (default: the shipped
    `load_retrieval_policy()`). Usage: `HybridRetriever(store, lexical, embedder).retrieve(question, k=5)`."""

    def __init__(
        self,
        store: ChunkStore,
        lexical: LexicalIndex,
        embedder: Embedder,
        candidates: int = 20,
        policy: RetrievalPolicy | None = None,
    ):
        if isinstance(candidates, bool) or not isinstance(candidates, int) or candidates < 1:
            raise ValueError(f"HybridRetriever: candidates must be a positive int (got {candidates!r})")
        if policy is not None and not isinstance(policy, RetrievalPolicy):
            raise TypeError(
                f"HybridRetriever: policy must be a RetrievalPolicy (got {type(policy).__name__})"
            )
        self.policy = policy if policy is not None else load_retrieval_policy()
        self.store = store
        self.lexical = lexical
        self.embedder = embedder
        self.candidates = candidates
        self.catalog = lexical.by_id()
        self.langs = lexical.langs or ["en"]

    def _dense_pools(
        self, q_emb: Sequence[float], q_lang: str, pools: Sequence[str | None]
    ) -> list[list[tuple[str, float]]]:
        """One ranked dense list per corpus language, cut from a single unfiltered Chroma query.

        Chroma's metadata filters cost time in proportion to the rows they match (bench/scale at 100k
        chunks: 0.55-2.2 s per filtered query against ~5 ms unfiltered), so the language pools are
        split here from an over-fetched top list instead of asked for with `where`. Another
        language's pool keeps only text with no translation in the question's language: translated
        paragraphs already compete through their twin.
        """
        hits = self.store.dense(q_emb, self.candidates * self.policy.overfetch)
        self.catalog.prefetch([cid for cid, _ in hits])
        unknown = [cid for cid, _ in hits if cid not in self.catalog]
        if unknown:  # written to Chroma after this process opened the lexical index
            self.catalog.remember(self.store.get(unknown))
        hits = [(cid, s) for cid, s in hits if cid in self.catalog]
        out = []
        for lang in pools:
            keep = [
                (cid, s)
                for cid, s in hits
                if lang is None
                or (self.catalog[cid].lang == lang and (lang == q_lang or not self.catalog[cid].twin))
            ]
            out.append(keep[: self.candidates])
        return out

    @cached_property
    def name_vocabulary(self) -> Mapping[str, list[str]]:
        """The index's Latin-letter words by consonant skeleton (rag.lang.transliteration): how a name
        written in Hangul is spelled in this corpus. Read by key from the index; built from the whole
        vocabulary only for an index written before it stored them."""
        from rag.lang.transliteration import name_vocabulary

        if self.lexical.has_spellings:
            return StoredSpellings(self.lexical, "latin")
        return name_vocabulary(self.lexical.vocabulary)

    @cached_property
    def hangul_vocabulary(self) -> Mapping[str, list[str]]:
        """The index's Hangul words by consonant skeleton: how an English name is written in this
        corpus's Korean text ("Blinken" -> 블링컨)."""
        from rag.lang.transliteration import hangul_vocabulary

        if self.lexical.has_spellings:
            return StoredSpellings(self.lexical, "hangul")
        return hangul_vocabulary(self.lexical.vocabulary)

    def _other_documents(self, chosen: list[list[str]], ranked: list[list[str]]) -> list[list[str]]:
        """ "Both articles / 두 기사": the best passage of each document the top k left out (up to
        RetrievalPolicy.max_documents in all). Measured: the top 5 of such a question can all come from
        one article."""
        docs = {self.catalog[g[0]].path for g in chosen}
        out: list[list[str]] = []
        for g in ranked:
            if len(docs) >= self.policy.max_documents:
                break
            path = self.catalog[g[0]].path
            if path not in docs:
                docs.add(path)
                out.append(g)
        return out

    def retrieve(self, question: str, k: int) -> Retrieval:
        t0 = time.perf_counter()
        q_lang = detect_lang(question)
        q_emb = self.embedder.get_query_embedding(question)
        t1 = time.perf_counter()
        lists: list[list[str]] = []
        dense_sim: dict[str, float] = {}
        pools = self.langs if len(self.langs) > 1 else [None]
        for hits in self._dense_pools(q_emb, q_lang, pools):
            lists.append([cid for cid, _ in hits])
            dense_sim.update(hits)
        t2 = time.perf_counter()
        lex_hits = self.lexical.search(question, self.candidates)
        lists.append([c.id for c, _ in lex_hits])
        t3 = time.perf_counter()
        fused = rrf(lists, self.policy.rrf_k)
        # A twin rides just behind its partner, so the answerer can quote the question's language.
        behind = self.policy.twin_score_factor
        for cid, score in sorted(fused.items(), key=lambda kv: (-kv[1], kv[0])):
            chunk = self.catalog.get(cid)
            if chunk and chunk.twin and fused.get(chunk.twin, 0.0) < score * behind:
                fused[chunk.twin] = score * behind
        ranked = [
            cid for cid, _ in sorted(fused.items(), key=lambda kv: (-kv[1], kv[0])) if cid in self.catalog
        ]
        # A paragraph and its translation are one piece of content: they share a slot of the k.
        must = (
            [cid for lst in lists[: len(pools)] for cid in lst[: self.policy.pool_guarantee]]
            if len(pools) > 1
            else []
        )
        groups: list[list[str]] = []
        seen: set[str] = set()
        for cid in ranked:
            if cid in seen:
                continue
            group = [cid] + [t for t in (self.catalog[cid].twin,) if t and t in fused and t not in seen]
            seen.update(group)
            groups.append(group)
        chosen_groups = groups[:k]
        # Every language pool's best hits make the cut: fusion alone lets the question's own language
        # (found by dense and BM25 alike) crowd out a better passage in the other language.
        guaranteed = [g for g in groups if any(cid in g for cid in must)][: max(k - 1, 1)]
        rest = [g for g in chosen_groups if g not in guaranteed]
        chosen_groups = [*rest[: max(k - len(guaranteed), 0)], *guaranteed]
        if wants_several_sources(question):
            chosen_groups += self._other_documents(chosen_groups, groups)
        chosen = sorted({cid for g in chosen_groups for cid in g}, key=lambda cid: (-fused[cid], cid))
        passages = [
            Passage(
                chunk=self.catalog[cid],
                score=fused[cid],
                dense=dense_sim.get(cid),
                ranks={f"list{i}": lst.index(cid) + 1 for i, lst in enumerate(lists) if cid in lst},
            )
            for cid in chosen
        ]
        t4 = time.perf_counter()
        timings = {
            "embed": (t1 - t0) * 1000,
            "dense": (t2 - t1) * 1000,
            "bm25": (t3 - t2) * 1000,
            "fusion": (t4 - t3) * 1000,
        }
        return Retrieval(question, q_lang, passages, timings, list(q_emb))
