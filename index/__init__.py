"""Ingestion: load files, separate article text from page furniture, and cut citation-exact chunks."""
