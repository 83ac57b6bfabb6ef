"""Baselines on tiny synthetic data, with the per-charge median checked by hand."""

from __future__ import annotations

import numpy as np

from leniency.judgments.evaluation.baselines import ChargeMedian, TfidfLinear
from leniency.judgments.evaluation.crossval import blind_case
from leniency.judgments.evaluation.gold import GoldCase
from leniency.judgments.evaluation.metrics import aggregate, score_case
from tests.judgments.evaluation.synthetic import synthetic_cases


def case(i: int, charge: str, months: float, type_: str = "fixed_term", probation=None) -> GoldCase:
    return GoldCase(
        id=f"d{i}#1", doc_id=f"d{i}", source="t", charges=(charge,), type=type_, months=months,
        probation=probation, fine=None,
    )  # fmt: skip


def test_charge_median_by_hand():
    train = [case(i, "盗窃罪", m, probation=i < 3) for i, m in enumerate([2, 4, 6, 8, 10, 12, 14])]
    train += [case(10 + i, "诈骗罪", 36, probation=False) for i in range(5)]
    train += [case(20, "罕见罪", 100)]  # below min_cases: answered with the overall summary
    model = ChargeMedian(min_cases=5).fit(train)
    theft = model.predict([case(99, "盗窃罪", 0)])[0]
    # terms 2..14: median 8; numpy linear percentiles Q1 = 5, Q3 = 11
    assert (theft.months, theft.low, theft.high) == (8, 5, 11)
    assert theft.type == "fixed_term" and theft.probation is False  # 3 of 7 with probation
    fraud = model.predict([case(98, "诈骗罪", 0)])[0]
    assert (fraud.months, fraud.low, fraud.high) == (36, 36, 36)
    rare = model.predict([case(97, "罕见罪", 0)])[0]
    assert rare is model.fallback


def test_charge_median_life_majority():
    train = [case(i, "故意杀人罪", None, type_="life") for i in range(4)] + [case(9, "故意杀人罪", 180)]
    pred = ChargeMedian(min_cases=1).fit(train).predict([case(10, "故意杀人罪", 0)])[0]
    assert pred.type == "life"


def test_tfidf_baseline_learns_from_text():
    cases = synthetic_cases(240, seed=1)
    train, test = cases[:180], cases[180:]
    model = TfidfLinear().fit(train)
    preds = model.predict([blind_case(c) for c in test])
    assert all(p.low <= p.months <= p.high for p in preds)
    ours = aggregate([score_case(g, p) for g, p in zip(test, preds)])
    # a constant guess (the training median for everyone) must do worse on CAIL than the text model
    median = float(np.median([c.months for c in train]))
    constant = ChargeMedian(min_cases=10**6).fit(train).predict(test)
    assert constant[0].months == round(median)
    flat = aggregate([score_case(g, p) for g, p in zip(test, constant)])
    assert ours["cail"] > flat["cail"]
