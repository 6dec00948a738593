"""Tests of the public-data eval (evals/public)."""
