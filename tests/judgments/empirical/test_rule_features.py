"""Features from the rules: the engine at both ends of the discretion dial, on pre-calibration values."""

from __future__ import annotations

import math

import numpy as np

from leniency.judgments.empirical.rule_features import RULE_FEATURE_NAMES, rule_features
from leniency.law.loader import load_rulebook

THEFT = {"province": "浙江省", "decision_date": "2022-05-01", "charges": [{"charge": "盗窃罪", "amount": 30000}]}


def test_theft_row_carries_the_bracket_and_both_ends():
    row = dict(zip(RULE_FEATURE_NAMES, rule_features(THEFT)))
    assert row["r_computed"] == 1.0
    assert row["r_log_lenient"] < row["r_log_severe"]
    # 30000 元 in 浙江 is 数额较大, not 巨大: the bracket is 三年以下 (刑法第二百六十四条)
    assert row["r_log_statutory_high"] == math.log1p(36)
    assert row["r_log_statutory_low"] < row["r_log_lenient"] or row["r_log_statutory_low"] == 0.0


def test_facts_the_rules_cannot_compute_give_missing_values():
    for facts in ({}, {"charges": [{"charge": "没有这个罪"}]}, {"charges": [{"charge": "盗窃罪", "amount": -5}]}):
        row = rule_features(facts)
        assert row[-1] == 0.0 and np.isnan(row[:-1]).all()


def test_reference_values_are_the_pre_calibration_ones(monkeypatch):
    book = load_rulebook()
    monkeypatch.setattr(
        type(book), "pre_calibration", lambda self: ({"theft.starting_point.position": 0.1}, {"浙江省": {}})
    )
    assert book.pre_calibration_for("浙江省") == {"theft.starting_point.position": 0.1}
    assert book.pre_calibration_for("火星") == {"theft.starting_point.position": 0.1}
