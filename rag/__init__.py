"""Retrieval and answering: config, embeddings, store access, retrieval, answerers and the CLI."""

from rag import offline as _offline

_offline.apply()
