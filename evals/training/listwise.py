"""A listwise linear ranker (conditional logit): per question, maximise the log of the softmax mass on
the sentences that hold the answer. It ranks the sentences of one question against each other, which
is the ranker's whole job, where a logistic regression fits each sentence alone.

Linear, so it ships in the same exported form as a logistic regression (intercept 0: a score, not a
probability) and runs through rag.answer.judge.predict_logit unchanged.

Usage:
    >>> coef = fit_listwise([Z_question1, Z_question2], [y1, y2], l2=1.0)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

MAX_ITERATIONS = 500


def fit_listwise(Zs: Sequence[np.ndarray], ys: Sequence[np.ndarray], l2: float) -> np.ndarray:
    """Weights for standardised features `Zs` (one matrix per question) and 0/1 labels `ys`."""
    from scipy.optimize import minimize

    Z = np.concatenate(Zs).astype(np.float64)
    y = np.concatenate(ys).astype(bool)
    sizes = [len(z) for z in Zs]
    starts = np.cumsum([0, *sizes])[:-1]
    seg = np.repeat(np.arange(len(Zs)), sizes)
    n = len(Zs)

    def loss_and_grad(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = Z @ w
        e = np.exp(s - np.maximum.reduceat(s, starts)[seg])
        den = np.add.reduceat(e, starts)
        ep = np.where(y, e, 0.0)
        num = np.add.reduceat(ep, starts)
        loss = -(np.log(num + 1e-300) - np.log(den)).sum() / n + 0.5 * l2 * float(w @ w) / n
        grad = ((e / den[seg] - ep / (num[seg] + 1e-300))[:, None] * Z).sum(axis=0) / n + l2 * w / n
        return float(loss), grad

    result: Any = minimize(
        loss_and_grad, np.zeros(Z.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": MAX_ITERATIONS}
    )
    return np.asarray(result.x)
