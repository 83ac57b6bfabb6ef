"""非法经营罪 and 猥亵儿童罪 under 法〔2024〕132号: starting points, worked examples, and the 2024-07-01 switch."""

from __future__ import annotations

from typing import Any

import pytest

from leniency.sentencing import recommend

AFTER = "2025-03-01"


def _recommend(charge: dict[str, Any], params: dict[str, float] | None = None, **facts: Any):
    return recommend({"decision_date": AFTER, "charges": [charge], **facts}, params=params)


@pytest.mark.parametrize(
    ("charge", "rule", "low", "high", "citation"),
    [
        ({"charge": "非法经营罪"}, "illegal_business.starting_point.serious", 1, 24, "法〔2024〕132号 一(一)1(1)"),
        (
            {"charge": "非法经营罪", "gravity": "especially_serious", "amount": 2_000_000},
            "illegal_business.starting_point.especially_serious",
            60,
            72,
            "法〔2024〕132号 一(一)1(2)",
        ),
        (
            {"charge": "猥亵儿童罪", "persons": 1},
            "child_molestation.starting_point.base",
            12,
            36,
            "法〔2024〕132号 一(二)1(1)",
        ),
        (
            {"charge": "猥亵儿童罪", "persons": 3},
            "child_molestation.starting_point.aggravated",
            60,
            84,
            "法〔2024〕132号 一(二)1(2)",
        ),
        (
            {"charge": "猥亵儿童罪", "persons": 1, "acts": 3},
            "child_molestation.starting_point.aggravated",
            60,
            84,
            "法〔2024〕132号 一(二)1(2)",
        ),
        (
            {"charge": "猥亵儿童罪", "persons": 1, "gravity": "serious"},
            "child_molestation.starting_point.aggravated",
            60,
            84,
            "法〔2024〕132号 一(二)1(2)",
        ),
    ],
)
@pytest.mark.parametrize("position", [0.0, 0.3, 1.0])
def test_starting_point_lies_in_the_guideline_range(
    charge: dict[str, Any], rule: str, low: int, high: int, citation: str, position: float
) -> None:
    crime = rule.split(".", 1)[0]
    rec = _recommend(charge, params={f"{crime}.starting_point.position": position})
    step = rec.trace[0]
    assert step.rule_id == rule
    assert step.citation.startswith(citation)
    assert step.inputs["起点幅度"] == [low, high]
    assert rec.charges[0].starting_point == pytest.approx(low + position * (high - low))
    assert not rec.outside_guideline and "（指导意见以外罪名" not in step.explanation
    baseline = next(s for s in rec.trace if s.rule_id == f"{crime}.baseline")
    assert "法〔2024〕132号" in baseline.citation


def test_worked_example_illegal_business() -> None:
    # By hand, 情节严重 (no gravity stated), 非法经营数额 30 万元, 自首, decided 2025-03-01:
    #   starting point  1 + 0.3 × (24 − 1)            = 7.9 months   (法〔2024〕132号 一(一)1(1))
    #   increment       300000 / 100000 × 1           = 3 months     (一(一)2, calibrated working value)
    #   baseline        7.9 + 3                       = 10.9 months
    #   自首 −20%       10.9 × 0.8                    = 8.72 → 9 months 有期徒刑 (≥ 6 months, so not 拘役)
    #   fine            1000 + 1000 × 9               = 10000 yuan  (一(一)3, calibrated working value)
    #   probation       9 months ≤ 3 years, remorse (自首), no record → 缓刑
    params = {
        "illegal_business.starting_point.position": 0.3,
        "illegal_business.increment.amount_unit": 100000,
        "illegal_business.increment.amount": 1,
        "illegal_business.fine.base": 1000,
        "illegal_business.fine.per_month": 1000,
        "general.circumstance.surrender.point": -0.2,
    }
    rec = _recommend({"charge": "非法经营罪", "amount": 300000}, params=params, circumstances={"surrender": True})
    result = rec.charges[0]
    assert result.starting_point == pytest.approx(7.9)
    assert result.baseline == pytest.approx(10.9)
    assert result.adjusted == pytest.approx(8.72)
    assert (rec.sentence.type, rec.sentence.months, rec.sentence.fine) == ("fixed_term", 9, 10000)
    assert rec.sentence.probation is True
    assert rec.sentence.range[0] <= 9 <= rec.sentence.range[1]
    assert result.statutory_range == (0, 60)
    steps = {s.rule_id: s for s in rec.trace}
    assert steps["illegal_business.increment.amount"].result == pytest.approx(3)
    assert steps["illegal_business.fine"].citation.startswith("法〔2024〕132号 一(一)3")


def test_worked_example_child_molestation() -> None:
    # By hand, 猥亵儿童三人、四次, 坦白, decided 2025-03-01:
    #   三人 reaches “多人” (3, unverified) → 五年至七年 tier (法〔2024〕132号 一(二)1(2))
    #   starting point  60 + 0.3 × (84 − 60)          = 67.2 months
    #   persons         (3 − 1) × 6                   = 12 months    (一(二)2, calibrated working value)
    #   extra acts      (4 − 3) × 3                   = 3 months     (acts beyond one per child)
    #   baseline        67.2 + 12 + 3                 = 82.2 months
    #   坦白 −10%       82.2 × 0.9                    = 73.98 → 74 months 有期徒刑, no fine, no probation (> 3 years)
    params = {
        "child_molestation.starting_point.position": 0.3,
        "child_molestation.increment.person": 6,
        "child_molestation.increment.act": 3,
        "general.circumstance.confession_ordinary.point": -0.1,
    }
    rec = _recommend(
        {"charge": "猥亵儿童罪", "persons": 3, "acts": 4}, params=params, circumstances={"confession": "ordinary"}
    )
    result = rec.charges[0]
    assert rec.trace[0].rule_id == "child_molestation.starting_point.aggravated"
    assert result.starting_point == pytest.approx(67.2)
    assert result.baseline == pytest.approx(82.2)
    assert result.adjusted == pytest.approx(73.98)
    assert (rec.sentence.type, rec.sentence.months, rec.sentence.fine) == ("fixed_term", 74, None)
    assert rec.sentence.probation is False
    assert result.statutory_range == (60, 180)


def test_two_children_stay_in_the_ordinary_tier() -> None:
    rec = _recommend({"charge": "猥亵儿童罪", "persons": 2, "acts": 2})
    assert rec.trace[0].rule_id == "child_molestation.starting_point.base"
    assert rec.charges[0].statutory_range == (6, 60)


def test_from_the_guidelines_start_the_guideline_applies() -> None:
    for charge, rule in (("非法经营罪", "illegal_business"), ("猥亵儿童罪", "child_molestation")):
        rec = recommend({"decision_date": "2024-07-01", "charges": [{"charge": charge}]})
        assert rec.trace[0].rule_id.startswith(f"{rule}.starting_point.")
        assert not rec.outside_guideline


@pytest.mark.parametrize(("charge", "statutory"), [("非法经营罪", (0, 60)), ("猥亵儿童罪", (6, 60))])
def test_before_the_guidelines_start_the_statute_only_rule_applies(charge: str, statutory: tuple[int, int]) -> None:
    # A case decided in 2023 (and on 2024-06-30) gets the old computation: the statutory range, marked 指导意见以外.
    for day in ("2023-05-10", "2024-06-30"):
        rec = recommend({"decision_date": day, "charges": [{"charge": charge}]})
        assert rec.outside_guideline
        assert rec.trace[0].rule_id == "general.outside.starting_point_position"
        assert rec.charges[0].statutory_range == statutory
        assert all("2024〕132号" not in step.citation for step in rec.trace)
