"""`rag eval --sample N --seed S`: a seeded random sample of the cases, so an eval against a slow LLM
fits the time there is (SmolLM2-135M on 2 shared cores: 10-60 s a case, issue 16).

Stratified by case type (en, ko->en, unanswerable, ...): each type gets its share of N by size
(largest remainders first), so a small sample still holds refusals and cross-lingual cases instead of
whatever a plain draw happened to pick. Cases keep their dataset order; the same seed gives the same
cases on every machine (Python's `random.Random` is specified to be reproducible for a given seed).
"""

from __future__ import annotations

import random
from collections import defaultdict

from evals.dataset import Case
from rag.core.errors import UserError


def sample_cases(cases: list[Case], n: int, seed: int) -> list[Case]:
    """At most `n` of `cases`, spread over the case types in proportion to their sizes."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise UserError(f"--sample must be at least 1 (got {n!r})")
    if n >= len(cases):
        return list(cases)
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        by_type[case.type].append(i)
    shares = {t: n * len(ix) / len(cases) for t, ix in by_type.items()}
    quota = {t: int(share) for t, share in shares.items()}
    left = n - sum(quota.values())
    for t in sorted(shares, key=lambda t: (-(shares[t] - quota[t]), t))[:left]:
        quota[t] += 1
    rng = random.Random(seed)
    chosen: set[int] = set()
    for t in sorted(by_type):
        chosen.update(rng.sample(by_type[t], quota[t]))
    return [cases[i] for i in sorted(chosen)]
