"""Finding the passages: dense + BM25 fused by rank, sentence vectors, cross-lingual search, follow-ups."""
