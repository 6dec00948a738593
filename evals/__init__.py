"""Evaluation harness and its datasets."""
