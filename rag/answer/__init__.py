"""Answerers: the offline extractive one, and (issue 4) the LLM one. Both return `rag.core.records.Answer`."""
