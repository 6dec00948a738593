"""The judge's features read what a reader would: similarity, term coverage, and the answer type asked for."""

from __future__ import annotations

import numpy as np

from rag.answer.features import (
    QUESTION_FEATURES,
    SENTENCE_FEATURES,
    PassageIn,
    question_features,
    sentence_features,
)
from rag.answer.policy import load_policy

TEXT = "The bridge opened in 1932. It carries four lanes. Engineers praised its design."
SPANS = [(0, 26), (27, 49), (50, 79)]


def passage(vectors: np.ndarray | None, rank: int = 1) -> PassageIn:
    return PassageIn(rank, 0.03, 0.85, TEXT, 0, SPANS, vectors, "Harbor bridge")


def features(question: str, vectors: np.ndarray | None) -> tuple[list[str], np.ndarray]:
    q = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    cands, X = sentence_features(question, q, [passage(vectors)], lambda t: 2.0, lambda t: False, load_policy())
    return [c.text for c in cands], X


def col(name: str) -> int:
    return SENTENCE_FEATURES.index(name)


def test_one_row_per_sentence_in_order() -> None:
    texts, X = features("When did the bridge open?", None)
    assert texts == ["The bridge opened in 1932.", "It carries four lanes.", "Engineers praised its design."]
    assert X.shape == (3, len(SENTENCE_FEATURES)) and np.isfinite(X).all()


def test_a_date_question_marks_the_sentence_with_a_year() -> None:
    _, X = features("When did the bridge open?", None)
    assert X[0, col("m_date")] == 1.0 and X[1, col("m_date")] == 0.0
    assert X[0, col("q_date")] == 1.0


def test_similarity_comes_from_the_stored_sentence_vectors() -> None:
    vectors = np.array([[0.2, 1, 0], [1, 0, 0], [0, 0, 1]], dtype=np.float32)
    _, X = features("How many lanes does it carry?", vectors)
    assert X[:, col("cos_rank")].tolist() == [1.0, 0.0, 2.0]
    assert X[1, col("cos")] > 0.99 and X[1, col("cos_gap")] == 0.0


def test_titled_similarity_comes_from_the_vectors_read_after_the_title_and_falls_back_to_plain() -> None:
    plain = np.array([[0.2, 1, 0], [1, 0, 0], [0, 0, 1]], dtype=np.float32)
    titled = np.array([[1, 0, 0], [0.5, 1, 0], [0, 0, 1]], dtype=np.float32)
    q = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    with_title = PassageIn(1, 0.03, 0.85, TEXT, 0, SPANS, plain, "Harbor bridge", titled)
    _, X = sentence_features("When did it open?", q, [with_title], lambda t: 2.0, lambda t: False, load_policy())
    assert X[:, col("tcos_rank")].tolist() == [0.0, 1.0, 2.0]  # the titled view, not the plain one
    assert X[0, col("tcos_gain")] > 0.5 and X[1, col("tcos_gain")] < 0
    _, Y = features("When did it open?", plain)
    assert (Y[:, col("tcos")] == Y[:, col("cos")]).all()  # an index without titled vectors


def test_coverage_and_a_back_reference() -> None:
    _, X = features("Who praised the design?", None)
    assert X[2, col("cov_s")] > X[0, col("cov_s")]
    assert X[1, col("starts_ref")] == 1.0  # "It carries..." points back


def test_question_features_aggregate_the_ranker_view() -> None:
    _, X = features("When did the bridge open?", None)
    Q = question_features(X, np.array([2.0, -1.0, 0.5]))
    assert Q.shape == (len(QUESTION_FEATURES),)
    assert Q[QUESTION_FEATURES.index("s1")] == 2.0 and Q[QUESTION_FEATURES.index("s_gap")] == 1.5


def test_a_name_or_asked_for_noun_missing_from_every_passage_is_a_judge_feature() -> None:
    _, X = features("When did the bridge open?", None)
    scores = np.array([2.0, -1.0, 0.5])
    name, asked = QUESTION_FEATURES.index("lacks_name"), QUESTION_FEATURES.index("lacks_asked_for")
    assert question_features(X, scores)[[name, asked]].tolist() == [0.0, 0.0]
    assert question_features(X, scores, lacks_name=True)[[name, asked]].tolist() == [1.0, 0.0]
    assert question_features(X, scores, lacks_asked_for=True)[[name, asked]].tolist() == [0.0, 1.0]


def test_a_term_every_candidate_holds_weighs_little_in_local_coverage() -> None:
    # "bridge" is in every sentence: the topic, which tells none of them apart; "design" only in the last.
    text = "The bridge opened in 1932. The bridge carries four lanes. Engineers praised the bridge design."
    p = PassageIn(1, 0.03, 0.85, text, 0, [(0, 26), (27, 57), (58, 95)], None, "Harbor bridge")
    q = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    _, X = sentence_features("Who praised the bridge design?", q, [p], lambda t: 2.0, lambda t: False, load_policy())
    local, cov = X[:, col("cov_local")], X[:, col("cov_s")]
    assert local[0] < 0.5 * cov[0]  # the index-wide weights count the topic in full, the local ones hardly
    assert local[2] == local.max() and X[2, col("cov_local_rank")] == 0.0 and X[2, col("cov_local_gap")] == 0.0
    assert X[1, col("cov_local_win")] >= local[0]  # the window adds the previous sentence's terms
