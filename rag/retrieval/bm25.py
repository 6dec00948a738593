"""BM25 (the Lucene variant bm25s uses by default: k1 = 1.5, b = 0.75) scored at query time.

Why not bm25s's own index any more: bm25s precomputes every (term, document) score with the corpus's
document count, document frequencies and mean length baked in, and has no add or delete. Adding one
file to a 100k-chunk library meant re-tokenising and re-indexing all of it (issue 15). Here the
index keeps raw term frequencies and lengths in segments (`rag.retrieval.lexical_db`), and the
corpus statistics are applied when a question is scored, so a small new segment scores exactly as a
clean rebuild would. tests/rag/retrieval/test_bm25.py checks the scores against bm25s's.

Example: `term_scores(np.array([2]), np.array([10]), idf(df=3, n_docs=100), avg_length=12.0)`.
"""

from __future__ import annotations

import math

import numpy as np

K1 = 1.5
B = 0.75


def idf(df: int, n_docs: int) -> float:
    """Lucene's idf: log(1 + (N - df + 0.5) / (df + 0.5)); never negative."""
    return math.log(1 + (max(n_docs, 1) - df + 0.5) / (df + 0.5))


def term_scores(tfs: np.ndarray, lengths: np.ndarray, weight: float, avg_length: float) -> np.ndarray:
    """One term's contribution to each document of a postings list: idf × tf / (tf + k1 (1 - b + b dl/avgdl))."""
    tf = tfs.astype(np.float32)
    norm = K1 * ((1 - B) + B * lengths.astype(np.float32) / np.float32(max(avg_length, 1e-9)))
    return np.float32(weight) * tf / (norm + tf)
