"""Statutory term limits of the empirical opinion: by type and by number of charges, read from the rule data."""

from __future__ import annotations

import numpy as np
import pytest

from leniency.judgments.empirical.limits import distinct_charges, statutory_limits
from leniency.judgments.empirical.model import EmpiricalModel
from leniency.law.loader import load_rulebook


def _param(local_id: str) -> float:
    import datetime as dt

    return float(load_rulebook().general_param(local_id).at(dt.date.today()))


@pytest.mark.parametrize(
    ("sentence_type", "n", "low", "high", "article"),
    [
        ("detention", 1, 1, 6, "第四十二条"),
        ("detention", 2, 1, 12, "第六十九条"),
        ("detention", 3, 1, 12, "第六十九条"),
        ("control", 1, 3, 24, "第三十八条"),
        ("control", 2, 3, 36, "第六十九条"),
        ("fixed_term", 1, 6, 180, "第四十五条"),
        ("fixed_term", 2, 6, 240, "第六十九条"),  # 15 + 15 years < 35: at most 20 years
        ("fixed_term", 3, 6, 300, "第六十九条"),  # the sum can reach 35 years: at most 25 years
    ],
)
def test_limits_follow_the_criminal_law(sentence_type, n, low, high, article):
    limits = statutory_limits(sentence_type, n)
    assert (limits.low, limits.high) == (low, high)
    assert article in limits.citation
    assert f"{low:g}至{high:g}个月" in limits.explanation()


def test_limits_are_read_from_the_rule_data():
    assert statutory_limits("detention", 1).high == _param("terms.detention.max")
    assert statutory_limits("detention", 2).high == _param("combined.detention.cap")
    assert statutory_limits("fixed_term", 2).high == _param("combined.fixed_term.cap")
    assert statutory_limits("fixed_term", 3).high == _param("combined.fixed_term.cap_high")


def test_types_without_a_term_and_bad_counts_are_chinese_errors():
    with pytest.raises(ValueError, match="刑种"):
        statutory_limits("exempt", 1)
    with pytest.raises(ValueError, match="罪名数"):
        statutory_limits("detention", 0)


def test_repeated_charges_count_once():
    assert distinct_charges(["盗窃罪", "盗窃罪"]) == 1
    assert distinct_charges(["盗窃罪", "诈骗罪"]) == 2
    assert distinct_charges([]) == 1
    assert distinct_charges(["制造、贩卖、传播淫秽物品罪", "制作、复制、出版、贩卖、传播淫秽物品牟利罪"]) == 1


def _model_with_training_range(sentence_type: str, lowest: float, highest: float) -> EmpiricalModel:
    model = EmpiricalModel()
    model.bounds = {sentence_type: (lowest, highest)}
    return model


def test_detention_opinion_keeps_to_six_months_for_one_charge():
    # The training data held 拘役 of up to 9 months (combined sentences); one charge may not exceed six.
    model = _model_with_training_range("detention", 1, 9)
    opinion = model._opinion("detention", 0.9, np.log1p(5), np.log1p(7.4), np.log1p(9), 0.0, n_charges=1)
    assert opinion.months == 6 and opinion.high == 6 and opinion.low <= 6
    assert "第四十二条" in opinion.limits.citation
    two = model._opinion("detention", 0.9, np.log1p(5), np.log1p(7.4), np.log1p(9), 0.0, n_charges=2)
    assert two.months == 7 and two.high == 9


def test_fixed_term_opinion_keeps_to_fifteen_years_for_one_charge():
    model = _model_with_training_range("fixed_term", 6, 300)
    opinion = model._opinion("fixed_term", 0.9, np.log1p(150), np.log1p(200), np.log1p(260), 0.0, n_charges=1)
    assert opinion.months == 180 and opinion.high == 180
    combined = model._opinion("fixed_term", 0.9, np.log1p(150), np.log1p(200), np.log1p(260), 0.0, n_charges=2)
    assert combined.months == 200 and combined.high == 240


def test_control_opinion_is_at_least_three_months():
    model = _model_with_training_range("control", 1, 30)
    opinion = model._opinion("control", 0.9, np.log1p(1), np.log1p(2), np.log1p(30), 0.0, n_charges=1)
    assert opinion.low == 3 and opinion.months == 3 and opinion.high == 24
