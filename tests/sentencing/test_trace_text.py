"""Wording of the starting-point step of the trace."""

from __future__ import annotations

from leniency.sentencing import recommend


def _starting_point_step(facts: dict):
    rec = recommend(facts)
    return next(step for step in rec.trace if ".starting_point." in step.rule_id)


def test_a_starting_point_range_is_named():
    step = _starting_point_step({"decision_date": "2023-05-01", "charges": [{"charge": "盗窃罪", "amount": 80000}]})
    assert "幅度内确定量刑起点为" in step.explanation


def test_a_one_point_starting_point_is_not_called_a_range():
    # 毒品数量大 (刑法第三百四十七条第二款): the guideline fixes the starting point at fifteen years
    step = _starting_point_step(
        {
            "decision_date": "2023-05-01",
            "charges": [{"charge": "走私、贩卖、运输、制造毒品罪", "drugs": [{"type": "heroin", "grams": 60}]}],
        }
    )
    assert "15年至15年" not in step.explanation
    assert "依指导意见确定量刑起点为15年" in step.explanation
