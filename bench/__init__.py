"""Benchmarks (`make bench`): numbers the issues name, measured on this machine."""
