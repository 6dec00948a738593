"""Retrieval and answering: config, embeddings, store access, retrieval, answerers and the CLI."""

from rag.core import offline as _offline

_offline.apply()
