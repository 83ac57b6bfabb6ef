"""Crimes outside the guideline whose statutory ranges turn on amounts fixed by a judicial interpretation
(贪污罪、受贿罪 by 法释〔2016〕9号): the amount chooses the range, and the trace says which standard it reached."""

from __future__ import annotations

import pytest

from leniency.sentencing import recommend

DAY = "2018-05-01"


def _bribery(amount: float, **extra) -> object:
    return recommend({"decision_date": DAY, "charges": [{"charge": "受贿罪", "amount": amount, **extra}]})


@pytest.mark.parametrize(
    ("amount", "statutory_range", "citation"),
    [
        (50_000, (0, 36), None),  # 数额较大: the first range, no standard to cite
        (199_999, (0, 36), None),
        (200_000, (36, 120), "法释〔2016〕9号 第二条第一款"),  # 数额巨大 starts at 二十万元
        (2_999_999, (36, 120), "法释〔2016〕9号 第二条第一款"),
        (3_000_000, (120, 180), "法释〔2016〕9号 第三条第一款"),  # 数额特别巨大 starts at 三百万元
        (12_405_000, (120, 180), "法释〔2016〕9号 第三条第一款"),
    ],
)
def test_the_amount_chooses_the_statutory_range(amount, statutory_range, citation) -> None:
    rec = _bribery(amount)
    assert rec.charges[0].statutory_range == statutory_range
    assert rec.outside_guideline
    first = rec.trace[0]
    if citation is None:
        assert "法释〔2016〕9号" not in first.citation
    else:
        assert citation in first.citation
        assert "犯罪数额达到" in first.explanation
    low, high = statutory_range
    assert low <= rec.sentence.months <= high


def test_a_stated_gravity_still_applies_below_the_amount_standard() -> None:
    # 其他特别严重情节 (法释〔2016〕9号 第三条第三款) is stated, not read from the amount
    rec = _bribery(1_600_000, gravity="especially_serious")
    assert rec.charges[0].statutory_range == (120, 180)
    assert "法释〔2016〕9号" not in rec.trace[0].citation


def test_the_same_standards_hold_for_embezzlement_and_bribe_giving() -> None:
    embezzlement = recommend({"decision_date": DAY, "charges": [{"charge": "贪污罪", "amount": 250_000}]})
    assert embezzlement.charges[0].statutory_range == (36, 120)
    giving = recommend({"decision_date": DAY, "charges": [{"charge": "行贿罪", "amount": 5_000_000}]})
    assert giving.charges[0].statutory_range == (120, 180)
    assert "法释〔2016〕9号 第九条第一款第（一）项" in giving.trace[0].citation
    # 非国家工作人员受贿罪: five times the 受贿罪 standard (法释〔2016〕9号 第十一条)
    private = recommend({"decision_date": DAY, "charges": [{"charge": "非国家工作人员受贿罪", "amount": 999_999}]})
    assert private.charges[0].statutory_range == (0, 36)
    private = recommend({"decision_date": DAY, "charges": [{"charge": "非国家工作人员受贿罪", "amount": 1_000_000}]})
    assert private.charges[0].statutory_range == (36, 120)


def test_a_larger_amount_is_never_lighter() -> None:
    terms = [_bribery(amount).sentence.months for amount in (30_000, 150_000, 200_000, 1_000_000, 3_000_000, 9_000_000)]
    assert terms == sorted(terms)
