"""Per-case metrics: retrieval by evidence strings, answers, refusals and citations."""

from __future__ import annotations

import math

import pytest

from evals.harness import score_case, summarise
from evals.metrics import UnknownMetricError, select
from evals.metrics.answers import check_answer
from evals.metrics.citations import answer_claims, check_citations, supports
from evals.metrics.retrieval import ndcg, relevant_ids, retrieval_scores, slots
from tests.evals.builders import answer, case, chunk, citation

PASSAGE = "The harbor bridge reopened. Engineers replaced 4,200 steel cables."


# Retrieval -----------------------------------------------------------------------------------------


def test_relevance_comes_from_evidence_strings_whatever_the_chunking() -> None:
    chunks = [chunk("a", "Engineers replaced 4,200 steel\ncables."), chunk("b", "Tolls stay at 1,500 won.")]
    assert relevant_ids(("replaced 4,200 steel cables",), chunks) == ["a"]


def test_ndcg_uses_the_standard_ideal_dcg_capped_at_k() -> None:
    # 12 relevant passages and a perfect top 10: the ideal DCG stops at 10 ranks, so the score is 1.
    assert ndcg([True] * 10, n_relevant=12, k=10) == pytest.approx(1.0)
    assert ndcg([False, True], n_relevant=1, k=10) == pytest.approx(1 / math.log2(3))
    assert ndcg([False] * 10, n_relevant=1, k=10) == 0.0


def test_a_translation_shares_its_partners_slot() -> None:
    ranked = [chunk("en1", "x", twin="ko1"), chunk("ko1", "x", twin="en1"), chunk("en2", "y")]
    assert slots(ranked) == [["en1", "ko1"], ["en2"]]


def test_retrieval_scores_from_the_retrievers_selection_per_cutoff() -> None:
    miss, hit = chunk("m", "nothing"), chunk("h", PASSAGE)
    selections = {1: [miss], 3: [miss, hit], 5: [miss, hit], 10: [miss, hit]}
    s = retrieval_scores(["h"], selections, {})
    assert (s["hit@1"], s["hit@3"], s["hit@5"]) == (0.0, 1.0, 1.0)
    assert s["mrr@10"] == pytest.approx(0.5)
    assert s["recall@10"] == 1.0


def test_a_case_whose_evidence_is_nowhere_in_the_index_is_flagged_not_scored() -> None:
    r = score_case(
        case(), answer("x [1]", (citation(1, "x"),)), {k: [] for k in (1, 3, 5, 10)}, [chunk("a", "x")]
    )
    assert r.details["unjudgeable_retrieval"] is True
    assert "hit@5" not in r.scores


# Answers -------------------------------------------------------------------------------------------


def test_answerable_case_with_its_facts_passes() -> None:
    check = check_answer(case(), answer("Engineers replaced 4,200 steel cables. [1]"))
    assert check.scores == {"false_refusal": 0.0, "facts": 1.0}
    assert check.failures == []


def test_refusing_an_answerable_question_is_a_false_refusal() -> None:
    check = check_answer(case(), answer("The documents don't say.", refused=True))
    assert check.scores["false_refusal"] == 1.0
    assert check.failures == ["refused", "facts"]


def test_unanswerable_case_scores_refusal_only() -> None:
    un = case(type="unanswerable", answerable=False, facts=(), evidence=(), sources=())
    assert check_answer(un, answer("no", refused=True)).scores == {"refusal_accuracy": 1.0}
    assert check_answer(un, answer("Tolls are 1,500 won. [1]")).failures == ["not refused"]


def test_false_premise_refusal_that_quotes_the_correction_counts() -> None:
    fp = case(type="false-premise", forbid=("Tokyo",), facts=(("Washington",),), evidence=("in Washington",))
    ok = check_answer(fp, answer("The documents don't say. Closest: met in Washington. [1]", refused=True))
    assert ok.failures == [] and ok.scores["forbidden"] == 0.0
    bad = check_answer(fp, answer("They met in Tokyo, then Washington. [1]"))
    assert bad.failures == ["forbidden"] and bad.forbidden == ["Tokyo"]


# Citations -----------------------------------------------------------------------------------------


def test_answer_is_cut_into_cited_claims_and_uncited_sentences() -> None:
    text = (
        "The U.S. said D.C. hosts it. [1] Two more. Sentences here [2][3]. And one uncited. Mr. Smith agreed."
    )
    assert answer_claims(text) == [
        ("The U.S. said D.C. hosts it.", (1,)),
        ("Two more. Sentences here", (2, 3)),
        ("And one uncited.", ()),
        ("Mr. Smith agreed.", ()),
    ]


def test_support_is_verbatim_or_most_content_units_present() -> None:
    assert supports("Engineers replaced 4,200 steel cables.", PASSAGE)
    assert supports("The engineers replaced 4,200 cables", PASSAGE)
    assert not supports("The mayor opened a library.", PASSAGE)
    assert supports(
        "도서관에는 책 30만권이 있다", "서울시는 새 도서관을 열었다. 도서관에는 책 30만 권이 있다."
    )


def test_citation_metrics_of_a_good_answer() -> None:
    c = check_citations(case(), answer("Engineers replaced 4,200 steel cables. [1]", (citation(1, PASSAGE),)))
    assert c.scores == {
        "markers_valid": 1.0,
        "evidence_hit": 1.0,
        "cited_sentences": 1.0,
        "citation_precision": 1.0,
    }


def test_citation_failures_are_named() -> None:
    text = "Engineers replaced 4,200 steel cables. [1] The mayor opened a library. [1] Tolls rose. [3]"
    c = check_citations(case(), answer(text + " Uncited claim.", (citation(1, PASSAGE),)))
    assert c.bad_markers == [3]
    assert c.scores["markers_valid"] == 0.0
    assert c.scores["cited_sentences"] == pytest.approx(3 / 4)
    assert c.scores["citation_precision"] == pytest.approx(1 / 2)  # marker 3 resolves to nothing: not a pair
    assert set(c.failures) == {"markers", "uncited", "unsupported"}


def test_citing_a_passage_without_the_evidence_misses() -> None:
    c = check_citations(
        case(), answer("Tolls stay at 1,500 won. [1]", (citation(1, "Tolls stay at 1,500 won."),))
    )
    assert c.scores["evidence_hit"] == 0.0 and "evidence" in c.failures


# Groups and selection ------------------------------------------------------------------------------


def test_groups_carry_counts_per_metric() -> None:
    good = score_case(
        case(id="a"), answer("Engineers replaced 4,200 steel cables. [1]", (citation(1, PASSAGE),)), None, []
    )
    ko = case(id="b", lang="ko", type="unanswerable", answerable=False, facts=(), evidence=(), sources=())
    refused = score_case(ko, answer("없습니다.", refused=True), None, [])
    summary = summarise([good, refused])
    assert summary["all"]["cases"] == 2 and summary["all"]["passed"] == 2
    assert summary["all"]["metrics"]["facts"] == {"mean": 1.0, "n": 1}
    assert summary["lang:ko"]["metrics"]["refusal_accuracy"] == {"mean": 1.0, "n": 1}
    assert "facts" not in summary["lang:ko"]["metrics"]
    assert list(summary)[:3] == ["all", "lang:en", "lang:ko"]


def test_metric_selection_by_name_or_family_and_unknown_names_refused() -> None:
    assert select(["answers"]) == ("facts", "refusal_accuracy", "false_refusal", "forbidden")
    assert select(["hit@1,mrr@10"]) == ("hit@1", "mrr@10")
    with pytest.raises(UnknownMetricError, match="unknown metric 'hit@7'"):
        select(["hit@7"])


def test_a_refusal_is_judged_on_the_passage_it_quotes_not_on_its_own_wording() -> None:
    text = "The documents don't say anything about Tokyo. The closest passage found: Engineers replaced 4,200 steel cables. [1]"
    c = check_citations(case(type="false-premise"), answer(text, (citation(1, PASSAGE),), refused=True))
    assert c.scores["citation_precision"] == 1.0
    assert "cited_sentences" not in c.scores  # refusal wording needs no source
