"""Tests of the judge training pipeline (evals/training)."""
