"""English and Korean text analysis: scripts, tokens, particles, key terms, sentences, dictionary, names."""
