"""Where the index lives: Chroma access, the ingest manifest, the feedback file."""
