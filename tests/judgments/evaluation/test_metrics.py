"""Metrics checked against values computed by hand from the issue's definitions."""

from __future__ import annotations

import math

import pytest

from leniency.judgments.evaluation.gold import GoldCase, GoldError, gold_from_row, normalise_type, term_of
from leniency.judgments.evaluation.metrics import (
    Predicted,
    aggregate,
    cail_score,
    per_charge,
    prosecutor_as_prediction,
    prosecutor_range,
    prosecutor_record,
    score_case,
    winkler,
    winkler_s,
)


def gold(months, type_="fixed_term", probation=None, charges=("盗窃罪",), rec=None, id_="g") -> GoldCase:
    return GoldCase(
        id=id_,
        doc_id=id_,
        source="lecard",
        charges=tuple(charges),
        type=type_,
        months=None if type_ in ("life", "death") else months,
        probation=probation,
        fine=None,
        prosecutor_recommendation=rec,
    )


def pred(months, low=None, high=None, type_="fixed_term", probation=None) -> Predicted:
    return Predicted(
        type=type_,
        months=months,
        low=months if low is None else low,
        high=months if high is None else high,
        probation=probation,
    )


@pytest.mark.parametrize(
    ("y", "yhat", "expected"),
    [
        (12, 12, 1.0),  # v = 0
        (12, 14, 1.0),  # ln(15/13) = 0.143
        (12, 15, 0.8),  # ln(16/13) = 0.208
        (10, 13, 0.8),  # ln(14/11) = 0.241
        (10, 17, 0.6),  # ln(18/11) = 0.492
        (10, 21, 0.4),  # ln(22/11) = 0.693
        (10, 26, 0.2),  # ln(27/11) = 0.898
        (10, 40, 0.0),  # ln(41/11) = 1.316
        (0, 0, 1.0),
        (0, 1, 0.4),  # ln 2 = 0.693
    ],
)
def test_cail_score_steps(y, yhat, expected):
    assert cail_score(y, yhat) == expected


def test_cail_score_life_and_death_match_exactly_only():
    assert cail_score(-1, -1) == 1.0
    assert cail_score(-2, -2) == 1.0
    assert cail_score(-1, -2) == 0.0
    assert cail_score(-1, 180) == 0.0
    assert cail_score(180, -2) == 0.0


def test_winkler_by_hand():
    # inside: only the width counts
    assert winkler(12, 10, 14) == 4
    # below the range by 2 months: width 4 + (2/0.2)·2 = 24
    assert winkler(8, 10, 14) == pytest.approx(24)
    # above by 1 month: 4 + 10 = 14
    assert winkler(15, 10, 14) == pytest.approx(14)
    g = gold(8)
    assert winkler_s(g, pred(12, 10, 14)) == pytest.approx(1 / (1 + 24 / 10))
    assert winkler_s(gold(12), pred(12, 12, 12)) == 1.0


def test_life_and_death_in_interval_scores():
    assert winkler_s(gold(None, "life"), pred(0, type_="life")) == 1.0
    assert winkler_s(gold(None, "life"), pred(180, 170, 190)) == 0.0
    assert winkler_s(gold(180), pred(0, type_="death")) == 0.0


def test_score_case_point_measures():
    score = score_case(gold(10, probation=False), pred(12, 11, 13, probation=False))
    assert score.exact is False
    assert score.within_1 is False
    assert score.within_20pct is True  # |12 − 10| = 2 ≤ 0.2·10
    assert score.abs_error == 2
    assert score.hit is False
    assert score.width == 2
    assert score.type_correct is True
    assert score.probation_correct is True
    near = score_case(gold(10), pred(11))
    assert near.within_1 and not near.exact
    assert near.probation_correct is None  # gold probation unknown (CAIL)


def test_type_unknown_is_not_scored_for_type_accuracy():
    score = score_case(gold(6, type_="unknown"), pred(6, type_="detention"))
    assert score.type_correct is None
    assert score.cail == 1.0


def test_exempt_counts_as_zero_months():
    g = gold(0, type_="exempt")
    p = Predicted.from_sentence({"type": "exempt", "months": 5, "range": [1, 9], "probation": False})
    assert (p.months, p.low, p.high) == (0, 0, 0)
    score = score_case(g, p)
    assert score.cail == 1.0 and score.hit and score.type_correct


def test_aggregate_and_per_charge_by_hand():
    scores = [
        score_case(gold(10, charges=("盗窃罪",), id_="a"), pred(10, 8, 12)),  # cail 1, W 4 → s 1/1.4
        score_case(gold(20, charges=("盗窃罪", "诈骗罪"), id_="b"), pred(10, 9, 11)),  # ln(21/11)=0.647 → 0.4
    ]
    table = aggregate(scores)
    assert table["n"] == 2
    assert table["cail"] == pytest.approx((1.0 + 0.4) / 2)
    w_b = 2 + 10 * 9  # width 2, 9 months above
    assert table["winkler_s"] == pytest.approx((1 / 1.4 + 1 / (1 + w_b / 10)) / 2)
    assert table["hit"] == 0.5
    assert table["width"] == pytest.approx(3.0)
    assert table["mae"] == pytest.approx(5.0)
    charges = per_charge(scores)
    assert list(charges) == ["盗窃罪", "诈骗罪"]
    assert charges["盗窃罪"]["n"] == 2 and charges["诈骗罪"]["n"] == 1
    assert charges["诈骗罪"]["cail"] == pytest.approx(0.4)


def test_prosecutor_record_and_prediction():
    point = {"bound": "point", "low_months": 12, "high_months": 12, "type": "fixed", "probation": False}
    span = {"bound": "range", "low_months": 12, "high_months": 18, "type": "fixed", "probation": None}
    at_most = {"bound": "at_most", "low_months": None, "high_months": 9, "type": "unknown", "probation": None}
    at_least = {"bound": "at_least", "low_months": 36, "high_months": None, "type": "fixed", "probation": None}
    assert prosecutor_range(at_most) == (0.0, 9.0)
    assert prosecutor_range(at_least) == (36.0, math.inf)
    golds = [gold(12, rec=point), gold(20, rec=span), gold(8, rec=at_most), gold(40, rec=at_least), gold(5)]
    record = prosecutor_record(golds)
    assert record["n_all"] == 4
    assert record["inside_all"] == pytest.approx(3 / 4)
    assert record["inside_range"] == 0.0
    predicted = prosecutor_as_prediction(golds[1])
    assert (predicted.months, predicted.low, predicted.high, predicted.type) == (15, 12, 18, "fixed_term")
    assert prosecutor_as_prediction(golds[3]) is None
    # CAIL masks the penalty: a point of 4.5 months reads as 拘役
    assert prosecutor_as_prediction(golds[2]).type == "detention"


def test_gold_rows_read_like_the_data_files():
    row = {
        "id": "lecard:1#2",
        "doc_id": "lecard:1",
        "source": "lecard",
        "input": {
            "fact": "事实",
            "defendant": "张某",
            "charges": ["贩卖毒品罪"],
            "charges_canonical": ["走私、贩卖、运输、制造毒品罪"],
        },
        "gold": {"type": "fixed", "months": 9, "probation_months": 12, "fine": 2000, "life": False, "death": False},
        "prosecutor_recommendation": None,
    }
    case = gold_from_row(row)
    assert case.type == "fixed_term" and case.months == 9 and case.probation is True
    assert case.charges == ("走私、贩卖、运输、制造毒品罪",)
    assert case.predict_input() == {
        "id": "lecard:1#2",
        "fact": "事实",
        "defendant": "张某",
        "charges": list(case.charges),
    }
    cail = dict(row, gold={"type": "unknown", "months": 0, "probation_months": None, "probation_known": False})
    assert gold_from_row(cail).probation is None
    with pytest.raises(GoldError, match="gold.months"):
        gold_from_row(dict(row, gold={"type": "fixed"}))
    with pytest.raises(GoldError, match="input"):
        gold_from_row({"id": "x", "gold": {}})


def test_type_names_and_terms():
    assert normalise_type("fixed") == "fixed_term"
    assert normalise_type("acquitted") == "unknown"
    assert term_of("life", None) == -1 and term_of("death", None) == -2
    assert term_of("fine_only", 7) == 0


def test_no_answer_scores_zero():
    from leniency.judgments.evaluation.metrics import NO_ANSWER

    score = score_case(gold(10, probation=True), NO_ANSWER)
    assert (score.cail, score.winkler_s, score.hit, score.exact) == (0.0, 0.0, False, False)
    assert score.type_correct is False and score.probation_correct is False
