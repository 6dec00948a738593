"""Retrieval's numbers in one typed object: fusion, language pools, twins, the cross-lingual second search.

The values live in `data/policy.json` beside this module (with a note on where they came from), not in
code, so a retuned or learned set ships as data (loaded by rag.core.policies).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from rag.core.policies import Policy, PolicyError, read_policy

__all__ = ["PolicyError", "RetrievalPolicy", "load_retrieval_policy"]


@dataclass(frozen=True)
class RetrievalPolicy(Policy):
    """Every threshold and weight of rag.retrieval. Load with `load_retrieval_policy()`; vary one
    with `dataclasses.replace(policy, rrf_k=30)` (values are checked again)."""

    positive: ClassVar[tuple[str, ...]] = ("rrf_k", "overfetch", "offline_search_depth")

    # Fusion and the language pools (rag.retrieval.hybrid)
    # Reciprocal rank fusion adds 1/(rrf_k + rank): the usual 60 (Cormack et al. 2009), not tuned (d0d3436)
    rrf_k: int
    # Best hits of each language pool that always make the top k (1 in 9e8a47c, 2 by hand in 2bd8092)
    pool_guarantee: int
    # Dense hits fetched per candidate slot before the split into language pools (abd83a0, bench/scale)
    overfetch: int
    # Documents a "both articles" question draws on (626d4cc, hand-set)
    max_documents: int
    # A translation twin ranks at this share of its partner's fused score, just behind it (d0d3436)
    twin_score_factor: float

    # The cross-lingual second search (rag.retrieval.crosslingual)
    # First-retrieval passages that always stay when the LLM-translated search merges in (8fa5ee2)
    keep_original: int
    # Completion-token cap for the LLM's one-line translation of the question (8fa5ee2, hand-set)
    translate_tokens: int
    # Passages the offline dictionary search may add beyond k (626d4cc, hand-fitted on ko->en cases)
    offline_extra: int
    # The dictionary search reads k times this many BM25 hits (626d4cc, hand-set)
    offline_search_depth: int
    # Dictionary renderings searched per key term, first senses first (626d4cc ko->en, 27eea61 en->ko)
    dictionary_renderings: int



@cache
def load_retrieval_policy() -> RetrievalPolicy:
    """The shipped retrieval policy (read once per process)."""
    return read_policy(RetrievalPolicy, __package__ or "rag.retrieval")
