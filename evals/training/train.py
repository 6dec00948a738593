"""`rag train-judge`: fit the answer judge on the public train splits, choose its thresholds on the dev
splits, and ship the numbers (rag/answer/data/judge.json, the judge_* fields of the answer policy).

Seeded and reproducible from the public data folder alone. Pools are indexed once and feature rows
cached outside the repo (evals.public.pool.cache_root), so a rerun costs seconds; the first run is
dominated by e5 embedding the pools.

- Sentence ranker: logistic regression on standardised SENTENCE_FEATURES, trained on the answerable
  questions whose candidates hold the answer.
- Judge: logistic regression on QUESTION_FEATURES, computed from out-of-fold ranker scores (folds by
  article) so it sees the ranker as it behaves on unseen questions; label = some candidate holds the
  answer. Each kind of negative (SQuAD's unanswerable, without-article) weighs at most half as much in
  total as its language's positives.
- Threshold, per question language: the highest probability cut with answerable questions refused at
  most `MAX_ANSWERABLE_REFUSED` on the dev split (the stated operating point).
- Second sentence: the rule with the most facts on dev whose mean answer stays within `MAX_MEAN_CHARS`.

Usage:
    >>> summary = train(data_dir, write=True)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from evals.public.datasets import SEED, find_data_dir, load_public, provenance, squad_articles
from evals.public.pool import cache_root, pool_key, pooled_index
from evals.public.scoring import contains_answer
from evals.training.examples import Row, build_rows
from evals.training.listwise import fit_listwise
from rag.answer.features import FEATURES_VERSION, QUESTION_FEATURES, SENTENCE_FEATURES, question_features
from rag.answer.judge import choose_sentences, predict_logit, sigmoid
from rag.core.config import Settings
from rag.embeddings import embedder_id

MAX_ANSWERABLE_REFUSED = 0.08
MAX_MEAN_CHARS = 220
TRAIN_SAMPLE = 1000  # TyDi train questions per language (seeded): embedding the pools is the cost
FOLDS = 5
L2_C = 1.0
SECOND_RATIOS = (2.0, 0.5, 0.3, 0.2, 0.1, 0.05, 0.0)  # 2.0: never a second sentence
SECOND_MAX_CHARS = (250, 300, 350, 450)
LANGS = ("en", "ko")
HERE = Path(__file__).resolve().parents[2]
JUDGE_PATH = HERE / "rag" / "answer" / "data" / "judge.json"
POLICY_PATH = HERE / "rag" / "answer" / "data" / "policy.json"


def splits(data_dir: Path, sample: int | None = TRAIN_SAMPLE) -> dict[str, dict[str, list[Any]]]:
    """{train|dev: {en|ko: cases}}: English pools SQuAD's articles with TyDi English, Korean is TyDi."""
    return {
        "train": {
            "en": load_public("squad2", "train", data_dir) + load_public("tydiqa-en", "train", data_dir, sample),
            "ko": load_public("tydiqa-ko", "train", data_dir, sample),
        },
        "dev": {
            "en": load_public("squad2", "dev", data_dir) + load_public("tydiqa-en", "dev", data_dir),
            "ko": load_public("tydiqa-ko", "dev", data_dir),
        },
    }


def rows_for(cases: Sequence[Any], settings: Settings, progress: bool = False) -> list[Row]:
    """Feature rows of the cases against their pool, cached by pool, cases and features version."""
    pooled = pooled_index(cases, settings, progress)
    ids = hashlib.sha256("\n".join(c.id for c in cases).encode()).hexdigest()[:12]
    cache = cache_root() / "training" / f"{pool_key(cases, settings)}-{ids}-f{FEATURES_VERSION}.pkl"
    if cache.exists():
        rows: list[Row] = pickle.loads(cache.read_bytes())
        return rows
    from rag.engine import Engine

    # Rows need the retriever only: the judge stays off, so a judge file of older features is no obstacle.
    rows = build_rows(Engine(pooled.model_copy(update={"judge": False})), cases)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(rows))
    return rows


def fit_logistic(X: np.ndarray, y: np.ndarray, names: Sequence[str], w: np.ndarray | None = None) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    mean, scale = _standardiser(X)
    clf = LogisticRegression(C=L2_C, max_iter=3000)
    clf.fit((X - mean) / scale, y, sample_weight=w)
    return {
        "kind": "logistic",
        "features": list(names),
        "mean": [float(v) for v in mean],
        "scale": [float(v) for v in scale],
        "coef": [float(v) for v in clf.coef_[0]],
        "intercept": float(clf.intercept_[0]),
    }


def _standardiser(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and scale (a constant column keeps scale 1), exported with every linear model."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-6] = 1.0
    return mean, scale


def fit_ranker(rows: Sequence[Row], kind: str = "listwise") -> dict[str, Any]:
    """The sentence ranker, on answerable questions whose candidates hold the answer: listwise
    (evals.training.listwise, the default) or a per-sentence logistic regression ("logistic")."""
    keep = [r for r in rows if r.kind == "answerable" and r.answerable]
    X = np.concatenate([r.X for r in keep])
    y = np.concatenate([r.y for r in keep]).astype(int)
    if kind == "logistic":
        return fit_logistic(X, y, SENTENCE_FEATURES)
    mean, scale = _standardiser(X)
    coef = fit_listwise([(r.X - mean) / scale for r in keep], [r.y for r in keep], 1.0 / L2_C)
    return {
        "kind": "logistic",
        "trained_as": "listwise",
        "features": list(SENTENCE_FEATURES),
        "mean": [float(v) for v in mean],
        "scale": [float(v) for v in scale],
        "coef": [float(v) for v in coef],
        "intercept": 0.0,
    }


def fold(row: Row) -> int:
    """Folds by article, so no article's questions sit on both sides."""
    return zlib.crc32(f"{row.lang}:{row.title}".encode()) % FOLDS


def judge_inputs(
    rows: Sequence[Row], ranker: dict[str, Any] | None, kind: str = "listwise"
) -> tuple[np.ndarray, list[np.ndarray]]:
    """QUESTION_FEATURES per row, from `ranker`'s scores, or out-of-fold ones when it is None."""
    scores: list[np.ndarray] = [np.zeros(0)] * len(rows)
    if ranker is None:
        for f in range(FOLDS):
            model = fit_ranker([r for r in rows if fold(r) != f], kind)
            for i, r in enumerate(rows):
                if fold(r) == f and len(r.X):
                    scores[i] = predict_logit(model, r.X)
    else:
        scores = [predict_logit(ranker, r.X) if len(r.X) else np.zeros(0) for r in rows]
    Q = np.array([question_features(r.X, s, r.lacks_name, r.lacks_asked_for) for r, s in zip(rows, scores, strict=True)])
    return Q, scores


def judge_weights(rows: Sequence[Row]) -> np.ndarray:
    w = np.ones(len(rows))
    for lang in LANGS:
        pos = sum(1 for r in rows if r.lang == lang and r.setting == "pool" and r.answerable)
        for kind in ("without-article", "unanswerable"):
            idx = [i for i, r in enumerate(rows) if r.lang == lang and r.kind == kind]
            if idx:
                w[idx] = min(1.0, 0.5 * pos / len(idx))
    return w


def pick(row: Row, scores: np.ndarray, ratio: float, max_chars: int, anywhere: bool) -> str:
    """The answer text the shipped rule would give (rag.answer.judge.choose_sentences)."""
    if not len(scores):
        return ""
    chosen = choose_sentences(row.positions, [len(t) for t in row.texts], scores, ratio, max_chars, anywhere)
    return " ".join(row.texts[i] for i in chosen)


def measure(
    rows: Sequence[Row], scores: Sequence[np.ndarray], probs: np.ndarray | None, thr: float, rule: tuple[float, int, bool]
) -> dict[str, float]:
    """facts, refusals and mean answer length of one language's rows (probs None: never refuse)."""
    answerable = [i for i, r in enumerate(rows) if r.kind == "answerable"]
    facts, refused, lengths = 0, 0, []
    for i in answerable:
        if probs is not None and probs[i] < thr:
            refused += 1
            continue
        text = pick(rows[i], scores[i], *rule)
        lengths.append(len(text))
        facts += contains_answer(text, rows[i].answers)
    out = {
        "answerable": len(answerable),
        "facts": facts / max(len(answerable), 1),
        "answerable_refused": refused / max(len(answerable), 1),
        "mean_answer_chars": float(np.mean(lengths)) if lengths else 0.0,
    }
    for kind in ("unanswerable", "without-article"):
        idx = [i for i, r in enumerate(rows) if r.kind == kind]
        if idx:
            out[f"{kind}_refused"] = float(np.mean([probs[i] < thr for i in idx])) if probs is not None else 0.0
    return out


def choose_threshold(rows: Sequence[Row], probs: np.ndarray) -> float:
    ans = np.sort([probs[i] for i, r in enumerate(rows) if r.kind == "answerable"])
    allowed = int(np.floor(MAX_ANSWERABLE_REFUSED * len(ans)))
    return float(ans[allowed]) if allowed < len(ans) else 1.0


def train(
    data_dir: Path | None = None,
    write: bool = True,
    sample: int | None = TRAIN_SAMPLE,
    progress: bool = False,
    ranker_kind: str = "listwise",
) -> dict[str, Any]:
    t0 = time.perf_counter()
    root = find_data_dir(data_dir)
    base = Settings(data_dir=cache_root() / "unused", answer_mode="extractive")
    parts = splits(root, sample)
    data = {s: {lang: rows_for(cases, base, progress) for lang, cases in by.items()} for s, by in parts.items()}
    t_data = time.perf_counter() - t0
    train_rows = data["train"]["en"] + data["train"]["ko"]
    ranker = fit_ranker(train_rows, ranker_kind)
    Qtr, _ = judge_inputs(train_rows, None, ranker_kind)
    ytr = np.array([int(r.setting == "pool" and r.answerable) for r in train_rows])
    judge = fit_logistic(Qtr, ytr, QUESTION_FEATURES, judge_weights(train_rows))
    report: dict[str, Any] = {}
    thresholds: dict[str, float] = {}
    rules: dict[str, tuple[float, int, bool]] = {}
    curves: dict[str, list[tuple[float, float, float]]] = {}
    for lang in LANGS:
        dev = data["dev"][lang]
        Q, scores = judge_inputs(dev, ranker)
        probs = np.array([sigmoid(float(v)) for v in predict_logit(judge, Q)])
        thr = choose_threshold(dev, probs)
        options = [(r, m, a) for r in SECOND_RATIOS for m in SECOND_MAX_CHARS for a in (False, True)]
        measured = {o: measure(dev, scores, probs, thr, o) for o in options}
        fitting = [o for o in options if measured[o]["mean_answer_chars"] <= MAX_MEAN_CHARS] or options
        rule = max(fitting, key=lambda o: (measured[o]["facts"], -measured[o]["mean_answer_chars"]))
        cos = SENTENCE_FEATURES.index("cos")
        baseline = measure(dev, [r.X[:, cos] if len(r.X) else np.zeros(0) for r in dev], None, 0.0, (2.0, 0, False))
        thresholds[lang], rules[lang] = thr, rule
        report[lang] = {
            "learned": measured[rule],
            "never_refusing": measure(dev, scores, None, 0.0, rule),
            "best_sentence_baseline": baseline,
            "threshold": thr,
            "second_sentence": {"ratio": rule[0], "max_chars": rule[1], "anywhere": rule[2]},
        }
        curves[lang] = _curve(dev, probs)
    seconds = time.perf_counter() - t0
    train_titles, dev_titles = squad_articles(root)
    spec = {
        "version": 1,
        "features_version": FEATURES_VERSION,
        "embedder": embedder_id(base.embed_model, base.embed_base_url),
        "ranker": ranker,
        "judge": judge,
        "operating_point": f"per question language, the highest threshold with answerable questions refused "
        f"<= {MAX_ANSWERABLE_REFUSED} on the dev split; second sentence: most facts with mean answer <= {MAX_MEAN_CHARS} chars",
        "dev_metrics": report,
        "curves": curves,
        "provenance": {
            "files": {**provenance(["squad2", "tydiqa-en", "tydiqa-ko"], "train", root), **provenance(["tydiqa-en", "tydiqa-ko"], "dev", root)},
            "seed": SEED,
            "train": f"SQuAD 2.0 articles {', '.join(train_titles)}; TyDi QA GoldP en-train and ko-train, {sample} questions each (seeded)",
            "dev": f"SQuAD 2.0 articles {', '.join(dev_titles)}; TyDi QA GoldP en-dev and ko-dev, all",
            "retrieval": "the product's own pooled index per language (evals.public.pool), top 5 passages",
            "train_rows": len(train_rows),
            "data_seconds": round(t_data, 1),
            "seconds": round(seconds, 1),
        },
    }
    if write:
        JUDGE_PATH.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _write_policy(thresholds, rules)
    return spec


def _curve(rows: Sequence[Row], probs: np.ndarray) -> list[tuple[float, float, float]]:
    """(threshold, answerable refused, unanswerable refused) on a grid of thresholds."""
    ans = np.array([probs[i] for i, r in enumerate(rows) if r.kind == "answerable"])
    neg = np.array([probs[i] for i, r in enumerate(rows) if r.kind != "answerable"])
    grid = np.linspace(0.0, 1.0, 101)
    return [(round(float(t), 2), float((ans < t).mean()), float((neg < t).mean()) if len(neg) else 0.0) for t in grid]


def _write_policy(thresholds: dict[str, float], rules: dict[str, tuple[float, int, bool]]) -> None:
    """Set the judge_* values of the answer policy file in place (its layout and comments kept)."""
    text = POLICY_PATH.read_text(encoding="utf-8")
    for lang in LANGS:
        ratio, max_chars, anywhere = rules[lang]
        for name, value in (
            (f"judge_threshold_{lang}", round(thresholds[lang], 6)),
            (f"judge_second_ratio_{lang}", ratio),
            (f"judge_second_max_chars_{lang}", max_chars),
            (f"judge_second_anywhere_{lang}", anywhere),
        ):
            text = _set_value(text, name, value)
    POLICY_PATH.write_text(text, encoding="utf-8")


def _set_value(text: str, name: str, value: float | int | bool) -> str:
    rendered = json.dumps(value)
    new, n = re.subn(rf'("{name}":\s*)[^,\n]+', lambda m: m.group(1) + rendered, text)
    if n != 1:
        raise ValueError(f"{POLICY_PATH}: no single {name!r} to set")
    return new
