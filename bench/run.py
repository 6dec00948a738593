"""`make bench`: run every benchmark and write bench/results/*.json."""

from bench import core

if __name__ == "__main__":
    core.main()
