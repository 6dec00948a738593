"""What the learned judge sees of each candidate sentence: similarity to the question, retrieval rank,
key-term coverage, the answer type asked for against what the sentence holds, and its shape.

Signals only the product has at query time: the question's e5 vector against the stored sentence
vectors (rag.retrieval.sentence_vectors), the fused rank and dense score of each passage, the index's
capped idf, and the language analysis of rag.lang. The same code builds the training rows
(evals.training) and the query-time rows, so the shipped weights always meet the features they were
trained on; `FEATURES_VERSION` is stored with the weights and checked at load.

Usage:
    >>> cands, X = sentence_features(question, q_vec, passages, lexical.capped_idf, lexical.unseen, policy)  # doctest: +SKIP
    >>> Q = question_features(X, ranker_scores)  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rag.answer.policy import AnswerPolicy
from rag.lang.answer_types import (
    CAPITALISED_WORD,
    HANGUL_WORD_2,
    QUESTION_TYPES,
    markup_count,
    question_type,
    sentence_marks,
)
from rag.lang.questions import refers_back
from rag.lang.script import detect_lang
from rag.lang.terms import classify_terms, term_in_set, term_weights
from rag.lang.tokens import WORD, bigrams, token_set

FEATURES_VERSION = "5"
# Caps that bound count-like features: part of the features' definition, trained with them.
CAP_RANK, CAP_RANK_IN_PASSAGE, CAP_POSITION, CAP_NEW_CAPS = 10, 5, 10, 6
CAP_NEW_HANGUL, CAP_SENTENCES, CAP_TERMS = 15, 20, 12
# A missing dense score (a passage only BM25 or the dictionary found) reads as this far below the best.
DENSE_GAP_MISSING = 0.1


@dataclass(frozen=True)
class PassageIn:
    """One retrieved passage as the features read it."""

    rank: int  # 1-based position in the retrieved list
    score: float  # fused (RRF) score
    dense: float | None  # question-passage cosine, when dense retrieval saw it
    text: str
    start: int  # absolute offset of text in its document
    sentences: Sequence[tuple[int, int]]  # absolute spans
    vectors: np.ndarray | None  # (n_sentences, dim) stored sentence vectors, aligned with `sentences`
    title: str = ""
    titled: np.ndarray | None = None  # the same sentences embedded after the title (sentence_vectors)


@dataclass(frozen=True)
class Candidate:
    """A sentence that could be the answer: passage index, sentence index, absolute span, text."""

    p: int
    s: int
    start: int
    end: int
    text: str


SENTENCE_FEATURES = (
    # similarity
    "cos", "cos_gap", "cos_rank", "cos_z", "cos_rank_in_passage", "cos_next", "cos_prev",
    # similarity to the sentence read after its document's title
    "tcos", "tcos_gap", "tcos_rank", "tcos_z", "tcos_rank_in_passage", "tcos_gain",
    # passage / retrieval
    "p_rank", "p_rrf_rel", "p_dense", "p_dense_gap", "p_dense_missing", "p_cos_max",
    # lexical
    "cov_s", "cov_s_gap", "cov_anchor_s", "cov_win", "cov_p", "cov_title", "cov_s_rank",
    "cos_gap_in_p", "cov_gap_in_p", "p_cos_rank", "p_cov_rank", "starts_ref", "markup", "miss_max_win",
    "miss_max_p", "novel_share", "n_new_caps", "n_new_hangul",
    # lexical, weighted by how rare each term is among this question's candidates
    "cov_local", "cov_local_win", "cov_local_gap", "cov_local_rank", "cov_rest_s",
    # answer type
    "s_has_num", "s_has_year", "s_has_date", "s_has_counter", "s_has_unit",
    "m_date", "m_count", "m_number", "m_person", "m_place",
    # shape
    "log_len", "pos", "is_first", "is_title", "is_question", "p_nsent",
    # question-level context
    "q_ko", "q_person", "q_place", "q_date", "q_count", "q_number", "q_other", "q_nterms", "q_unseen",
)  # fmt: skip

QUESTION_FEATURES = (
    "s1", "s2", "s_gap", "s_mean_top3", "cos_max", "cov_s_best", "cov_anchor_best", "cov_p_max",
    "cov_p_top1", "dense_top1", "dense_max", "tcos_max", "miss_win_best", "miss_p_best", "miss_p_min", "q_unseen",
    "q_ko", "q_nterms", "m_any_best", "n_cands_log", "best_p_rank", "cov_title_max", "lacks_name", "lacks_asked_for",
    *(f"q_{t}" for t in QUESTION_TYPES),
)  # fmt: skip

Terms = list[tuple[str, float]]


def _coverage(terms: Terms, text: str) -> float:
    total = sum(w for _, w in terms)
    if total <= 0:
        return 0.0
    toks, grams = token_set(text), bigrams(text)
    return sum(w * term_in_set(t, toks, grams) for t, w in terms) / total


def _missing_max(terms: Terms, text: str, w_max: float) -> float:
    """The weight (as a share of the heaviest term's) of the heaviest question term the text lacks."""
    toks, grams = token_set(text), bigrams(text)
    miss = [w for t, w in terms if term_in_set(t, toks, grams) < 0.5]
    return max(miss, default=0.0) / w_max


def question_terms(question: str, idf: Callable[[str], float], policy: AnswerPolicy) -> tuple[Terms, Terms]:
    """(all key terms, anchors), each with its weight (rag.lang.terms.term_weights, Korean predicates
    at the policy's predicate weight)."""
    keys = classify_terms(question)
    weights = term_weights(keys, idf, predicate=policy.predicate_weight)
    terms = [(k.term, weights[k.term]) for k in keys]
    return terms, [(k.term, weights[k.term]) for k in keys if k.anchor]


def _cosines(vectors: np.ndarray | None, qv: np.ndarray, n: int) -> np.ndarray:
    """Cosine of the (unit) question vector to each stored sentence vector; zeros when absent."""
    if vectors is None or len(vectors) != n:
        return np.zeros(n, dtype=np.float32)
    v = np.asarray(vectors, dtype=np.float32)
    return np.asarray((v @ qv) / np.maximum(np.linalg.norm(v, axis=1), 1e-6), dtype=np.float32)


def _ranks(values: np.ndarray) -> np.ndarray:
    """0 for the largest value, 1 for the next...; ties keep their order."""
    out = np.empty(len(values))
    out[np.argsort(-values, kind="stable")] = np.arange(len(values))
    return out


def sentence_features(
    question: str,
    q_vec: np.ndarray,
    passages: Sequence[PassageIn],
    idf: Callable[[str], float],
    unseen: Callable[[str], bool],
    policy: AnswerPolicy,
) -> tuple[list[Candidate], np.ndarray]:
    """One row of SENTENCE_FEATURES per sentence of the passages (in passage, then sentence order)."""
    qv = np.asarray(q_vec, dtype=np.float32)
    qv = qv / (np.linalg.norm(qv) or 1.0)
    q_ko = detect_lang(question) == "ko"
    qtype = question_type(question)
    terms, anchors = question_terms(question, idf, policy)
    anchor_names = {a for a, _ in anchors}
    rest_w = np.array([0.0 if t in anchor_names else w for t, w in terms])  # the terms that are not names
    total_w = sum(w for _, w in terms) or 1.0
    w_max = max((w for _, w in terms), default=1.0) or 1.0
    q_unseen = sum(w for t, w in terms if unseen(t)) / total_w
    q_toks = token_set(question)
    q_words = {w.lower() for w in WORD.findall(question) if len(w) >= 2 and not w[0].isdigit()}

    cands: list[Candidate] = []
    rows: list[dict[str, float]] = []
    presence: list[list[float]] = []  # per candidate, how well each question term is in it
    top_rrf = max((p.score for p in passages), default=1.0) or 1.0
    dense_vals = [p.dense for p in passages if p.dense is not None]
    top_dense = max(dense_vals) if dense_vals else 0.0
    for pi, p in enumerate(passages):
        spans = list(p.sentences) or [(p.start, p.start + len(p.text))]
        texts = [p.text[s - p.start : e - p.start].strip() for s, e in spans]
        cos = _cosines(p.vectors, qv, len(spans))
        tcos = _cosines(p.titled, qv, len(spans)) if p.titled is not None else cos
        rank_in_p, trank_in_p = _ranks(cos), _ranks(tcos)
        cov_p = _coverage(terms, p.text)
        miss_p = _missing_max(terms, p.text, w_max)
        cov_title = _coverage(terms, p.title) if p.title else 0.0
        for si, ((s, e), t) in enumerate(zip(spans, texts, strict=True)):
            prev_t = texts[si - 1] if si > 0 else ""
            window = f"{prev_t} {t}"
            cov_s = _coverage(terms, t)
            s_toks = token_set(t)
            novel = [x for x in s_toks if x not in q_toks]
            caps = {w.lower() for w in CAPITALISED_WORD.findall(t[1:])} if not q_ko or t.isascii() else set()
            new_hangul = [
                w
                for w in set(HANGUL_WORD_2.findall(t))
                if not any(w.startswith(q) or q.startswith(w) for q in q_words)
            ]
            n_new_caps = len([c for c in caps if c not in q_words])
            named = n_new_caps > 0 if not q_ko else bool(new_hangul)
            marks = sentence_marks(t)
            s_grams = bigrams(t)
            present = [term_in_set(term, s_toks, s_grams) for term, _ in terms]
            presence.append(present)
            rows.append(
                {
                    "cos": float(cos[si]),
                    "cos_next": float(cos[si + 1]) if si + 1 < len(spans) else float(cos[si]),
                    "cos_prev": float(cos[si - 1]) if si > 0 else float(cos[si]),
                    "cos_rank_in_passage": float(min(rank_in_p[si], CAP_RANK_IN_PASSAGE)),
                    "tcos": float(tcos[si]),
                    "tcos_gain": float(tcos[si] - cos[si]),
                    "tcos_rank_in_passage": float(min(trank_in_p[si], CAP_RANK_IN_PASSAGE)),
                    "p_rank": float(p.rank),
                    "p_rrf_rel": p.score / top_rrf,
                    "p_dense": float(p.dense) if p.dense is not None else 0.0,
                    "p_dense_gap": (top_dense - p.dense) if p.dense is not None else DENSE_GAP_MISSING,
                    "p_dense_missing": float(p.dense is None),
                    "p_cos_max": float(cos.max()) if len(cos) else 0.0,
                    "cov_s": cov_s,
                    "cov_anchor_s": _coverage(anchors, t) if anchors else 1.0,
                    "cov_rest_s": float(rest_w @ present) / rest_w.sum() if rest_w.sum() > 0 else cov_s,
                    "cov_win": max(cov_s, _coverage(terms, window)) if prev_t else cov_s,
                    "cov_p": cov_p,
                    "cov_title": cov_title,
                    "novel_share": len(novel) / max(len(s_toks), 1),
                    "n_new_caps": float(min(n_new_caps, CAP_NEW_CAPS)),
                    "n_new_hangul": float(min(len(new_hangul), CAP_NEW_HANGUL)) / CAP_NEW_HANGUL,
                    "s_has_num": float(marks["digit"]),
                    "s_has_year": float(marks["year"]),
                    "s_has_date": float(marks["date"]),
                    "s_has_counter": float(marks["counted"]),
                    "s_has_unit": float(marks["unit"]),
                    "m_date": float(qtype == "date" and marks["date"]),
                    "m_count": float(qtype == "count" and (marks["counted"] if q_ko else marks["digit"])),
                    "m_number": float(qtype == "number" and marks["digit"]),
                    "m_person": float(qtype == "person" and named),
                    "m_place": float(qtype == "place" and named),
                    "log_len": math.log(1 + len(t)),
                    "pos": float(min(si, CAP_POSITION)),
                    "is_first": float(si == 0),
                    "is_title": float(bool(p.title) and t.strip() == p.title.strip()),
                    "is_question": float(t.rstrip("\"'”’])").endswith("?")),
                    "starts_ref": float(refers_back(t)),
                    "markup": float(markup_count(t)),
                    "miss_max_win": _missing_max(terms, window, w_max),
                    "miss_max_p": miss_p,
                    "p_nsent": float(min(len(spans), CAP_SENTENCES)),
                    "q_ko": float(q_ko),
                    **{f"q_{k}": float(qtype == k) for k in QUESTION_TYPES},
                    "q_nterms": float(min(len(terms), CAP_TERMS)),
                    "q_unseen": q_unseen,
                }
            )
            cands.append(Candidate(pi, si, s, e, t))
    if not rows:
        return cands, np.zeros((0, len(SENTENCE_FEATURES)), dtype=np.float32)
    _add_relative(rows, cands)
    _add_local_coverage(rows, cands, np.array(presence, dtype=np.float64).reshape(len(rows), len(terms)))
    return cands, np.array([[r[f] for f in SENTENCE_FEATURES] for r in rows], dtype=np.float32)


def _add_relative(rows: list[dict[str, float]], cands: list[Candidate]) -> None:
    """Features that compare a sentence with the other candidates of the same question."""
    cos_all = np.array([r["cos"] for r in rows])
    cov_all = np.array([r["cov_s"] for r in rows])
    cov_rank = _ranks(cov_all)
    for view in ("cos", "tcos"):  # each similarity (plain, titled) against the question's other candidates
        values = np.array([r[view] for r in rows])
        rank, best, mu, sd = _ranks(values), values.max(), values.mean(), values.std() or 1.0
        for i, r in enumerate(rows):
            r[f"{view}_gap"] = float(best - values[i])
            r[f"{view}_rank"] = float(min(rank[i], CAP_RANK))
            r[f"{view}_z"] = float((values[i] - mu) / sd)
    pidx = np.array([c.p for c in cands])
    n_p = int(pidx.max()) + 1
    p_cos = np.array([cos_all[pidx == j].max() if (pidx == j).any() else -1 for j in range(n_p)])
    p_cov = np.array(
        [
            max([r["cov_p"] for r, c in zip(rows, cands, strict=True) if c.p == j], default=-1)
            for j in range(n_p)
        ]
    )
    p_cos_rank, p_cov_rank = _ranks(p_cos), _ranks(p_cov)
    p_cov_s_max = np.array([cov_all[pidx == j].max() if (pidx == j).any() else 0 for j in range(n_p)])
    for i, r in enumerate(rows):
        j = pidx[i]
        r["cos_gap_in_p"] = float(p_cos[j] - cos_all[i])
        r["cov_gap_in_p"] = float(p_cov_s_max[j] - cov_all[i])
        r["p_cos_rank"] = float(p_cos_rank[j])
        r["p_cov_rank"] = float(p_cov_rank[j])
        r["cov_s_gap"] = float(cov_all.max() - cov_all[i])
        r["cov_s_rank"] = float(min(cov_rank[i], CAP_RANK))


def _add_local_coverage(rows: list[dict[str, float]], cands: list[Candidate], presence: np.ndarray) -> None:
    """Coverage with each question term weighed by its rarity among this question's candidate
    sentences (an idf over them). The index-wide idf weighs the topic highest ("Peru" in "What language
    is spoken in Peru?"), yet every sentence of the right article is about the topic, often by a pronoun;
    what tells its sentences apart is the rarer word the question asks about ("Its official language is
    Spanish"). Measured on the public dev splits (docs/design.md)."""
    n = len(rows)
    if presence.shape[1] == 0:
        for r in rows:
            r.update(cov_local=0.0, cov_local_win=0.0, cov_local_gap=0.0, cov_local_rank=0.0)
        return
    df = (presence >= 0.5).sum(axis=0)
    weights = np.log((n + 1) / (df + 0.5))
    weights = weights / (weights.sum() or 1.0)
    local = presence @ weights
    previous = np.zeros_like(presence)
    for i in range(1, n):
        if cands[i].p == cands[i - 1].p:
            previous[i] = presence[i - 1]
    window = np.maximum(presence, previous) @ weights
    rank = _ranks(local)
    for i, r in enumerate(rows):
        r["cov_local"] = float(local[i])
        r["cov_local_win"] = float(window[i])
        r["cov_local_gap"] = float(local.max() - local[i])
        r["cov_local_rank"] = float(min(rank[i], CAP_RANK))


def question_features(
    X: np.ndarray, scores: np.ndarray, lacks_name: bool = False, lacks_asked_for: bool = False
) -> np.ndarray:
    """Aggregates over one question's candidates, given the ranker's logit for each: the judge's input.
    `lacks_name`: a name or number the question is about is in none of the passages in either
    language; `lacks_asked_for`: nor (English) the noun a "which X" question asks for
    (rag.answer.evidence). Both were vetoes the judge could not overrule; as features their weight is
    learned with the rest (docs/design.md)."""
    F = {f: i for i, f in enumerate(SENTENCE_FEATURES)}
    if len(X) == 0:
        return np.zeros(len(QUESTION_FEATURES), dtype=np.float32)
    order = np.argsort(-scores, kind="stable")
    b = order[0]
    s1 = float(scores[b])
    s2 = float(scores[order[1]]) if len(order) > 1 else s1 - 5
    top1 = X[:, F["p_rank"]] == X[:, F["p_rank"]].min()
    m_cols = [F[c] for c in ("m_date", "m_count", "m_number", "m_person", "m_place")]
    vals = {
        "s1": s1,
        "s2": s2,
        "s_gap": s1 - s2,
        "s_mean_top3": float(scores[order[:3]].mean()),
        "cos_max": float(X[:, F["cos"]].max()),
        "cov_s_best": float(X[b, F["cov_s"]]),
        "cov_anchor_best": float(X[b, F["cov_anchor_s"]]),
        "cov_p_max": float(X[:, F["cov_p"]].max()),
        "cov_p_top1": float(X[top1, F["cov_p"]].max()),
        "dense_top1": float(X[top1, F["p_dense"]].max()),
        "dense_max": float(X[:, F["p_dense"]].max()),
        "tcos_max": float(X[:, F["tcos"]].max()),
        "miss_win_best": float(X[b, F["miss_max_win"]]),
        "miss_p_best": float(X[b, F["miss_max_p"]]),
        "miss_p_min": float(X[:, F["miss_max_p"]].min()),
        "q_unseen": float(X[0, F["q_unseen"]]),
        "q_ko": float(X[0, F["q_ko"]]),
        "q_nterms": float(X[0, F["q_nterms"]]),
        "m_any_best": float(X[b, m_cols].max()),
        "n_cands_log": math.log(1 + len(X)),
        "best_p_rank": float(X[b, F["p_rank"]]),
        "cov_title_max": float(X[:, F["cov_title"]].max()),
        "lacks_name": float(lacks_name),
        "lacks_asked_for": float(lacks_asked_for),
        **{f"q_{t}": float(X[0, F[f"q_{t}"]]) for t in QUESTION_TYPES},
    }
    return np.array([vals[f] for f in QUESTION_FEATURES], dtype=np.float32)
