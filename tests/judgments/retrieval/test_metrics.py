import math

import pytest

from leniency.judgments.retrieval.metrics import (
    average_precision,
    evaluate,
    ndcg_at_k,
    precision_at_k,
    query_metrics,
)

GRADES = {"a": 3, "b": 2, "c": 0, "d": 1}
RANKING = ["b", "a", "x", "d", "c"]  # x is an ungraded candidate of the pool


def test_ndcg_uses_linear_gains_and_log2_discounts():
    dcg = 2 / math.log2(2) + 3 / math.log2(3) + 0 + 1 / math.log2(5)
    ideal = 3 / math.log2(2) + 2 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(RANKING, GRADES, 10) == pytest.approx(dcg / ideal)
    assert ndcg_at_k(RANKING, GRADES, 1) == pytest.approx(2 / 3)
    assert ndcg_at_k(["a", "b", "d", "c"], GRADES, 30) == pytest.approx(1.0)


def test_ndcg_is_zero_without_positive_grades():
    assert ndcg_at_k(["a"], {"a": 0}, 10) == 0.0


def test_precision_divides_by_k_even_for_short_rankings():
    assert precision_at_k(RANKING, GRADES, 5) == pytest.approx(1 / 5)
    assert precision_at_k(RANKING, GRADES, 10) == pytest.approx(1 / 10)
    assert precision_at_k(["b", "a"], GRADES, 1) == 0.0


def test_average_precision_over_grade_three_documents():
    grades = {"a": 3, "b": 3, "c": 1}
    assert average_precision(["c", "a", "x", "b"], grades) == pytest.approx((1 / 2 + 2 / 4) / 2)
    assert average_precision(["c"], grades) == 0.0
    assert average_precision(["a", "b"], grades) == pytest.approx(1.0)


def test_graded_protocol_drops_ungraded_candidates_before_measuring():
    grades = {"a": 3, "b": 3, "c": 1}
    pool = query_metrics(["c", "a", "x", "b"], grades, "pool")
    graded = query_metrics(["c", "a", "x", "b"], grades, "graded")
    assert pool["MAP"] == pytest.approx(0.5)
    assert graded["MAP"] == pytest.approx((1 / 2 + 2 / 3) / 2)
    ideal = 3 + 3 / math.log2(3) + 1 / math.log2(4)
    assert pool["NDCG@10"] == pytest.approx((1 + 3 / math.log2(3) + 3 / math.log2(5)) / ideal)
    assert graded["NDCG@10"] == pytest.approx((1 + 3 / math.log2(3) + 3 / math.log2(4)) / ideal)
    assert pool["P@5"] == graded["P@5"] == pytest.approx(2 / 5)


def test_unknown_protocol_is_refused():
    with pytest.raises(ValueError, match="评测口径"):
        query_metrics([], GRADES, "all")


def test_evaluate_averages_over_labelled_queries_and_counts_missing_rankings_as_zero():
    labels = {"q1": {"a": 3, "b": 0}, "q2": {"c": 3}}
    result = evaluate({"q1": ["a", "b"]}, labels)
    for protocol in ("graded", "pool"):
        assert result[protocol]["MAP"] == pytest.approx(0.5)
        assert result[protocol]["NDCG@30"] == pytest.approx(0.5)
        assert result[protocol]["P@5"] == pytest.approx(0.1)
    perfect = evaluate({"q1": ["a", "b"], "q2": ["c"]}, labels)
    assert perfect["graded"]["MAP"] == pytest.approx(1.0)
    assert perfect["graded"]["NDCG@10"] == pytest.approx(1.0)
