"""The discretion dial: bounds, orientation, the value in force in the middle, and the search for a target."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from leniency.judgments import discretion as dial
from leniency.judgments.empirical.model import Opinion
from leniency.judgments.predict import Pipeline
from leniency.law.loader import load_rulebook
from leniency.sentencing import recommend

FACTS = {
    "province": "浙江省",
    "decision_date": "2022-05-01",
    "charges": [{"charge": "盗窃罪", "amount": 30000}],
    "circumstances": {"confession": "ordinary"},
    "plea": True,
    "plea_stage": "prosecution_review",
}


@pytest.fixture(scope="module")
def book():
    return load_rulebook()


def test_parameters_are_calibrated_and_depend_on_the_charges(book):
    one = dial.discretion_parameters(book, ["盗窃罪"])
    two = dial.discretion_parameters(book, ["盗窃罪", "诈骗罪"])
    assert one[0] == "theft.starting_point.position"
    assert "general.combined.position" not in one and "general.combined.position" in two
    assert any(pid.startswith("fraud.starting_point.position") for pid in two)
    assert "general.plea.stage.prosecution_review" in one
    assert all(book.parameters[pid].calibrated for pid in two)
    assert "general.outside.starting_point_position" in dial.discretion_parameters(book, ["开设赌场罪"])


def test_dial_runs_from_lenient_bound_through_value_in_force_to_severe_bound(book):
    found = dial.dial_for(book, FACTS, {"theft.starting_point.position": 0.3})
    lenient, middle, severe = (found.values(step) for step in (0, dial.MIDDLE, dial.STEPS))
    assert middle["theft.starting_point.position"] == 0.3  # the calibrated value given wins over the data
    assert lenient["theft.starting_point.position"] == 0.0 and severe["theft.starting_point.position"] == 1.0
    # a reduction ratio: most lenient is its most negative bound; a plea-stage ratio is the other way round
    low, high = book.parameters["general.circumstance.surrender.point"].bounds
    assert (
        lenient["general.circumstance.surrender.point"] == low
        and severe["general.circumstance.surrender.point"] == high
    )
    low, high = book.parameters["general.plea.stage.prosecution_review"].bounds
    assert lenient["general.plea.stage.prosecution_review"] == high
    assert severe["general.plea.stage.prosecution_review"] == low
    for step in range(dial.STEPS + 1):
        for pid, value in found.values(step).items():
            low, high = book.parameters[pid].bounds
            assert low <= value <= high, (step, pid)


def test_engine_grows_with_the_dial_and_the_middle_is_the_rules_alone(book):
    found = dial.dial_for(book, FACTS, {})
    terms = [recommend(FACTS, params=found.values(step)).sentence.months for step in range(0, dial.STEPS + 1, 4)]
    assert terms == sorted(terms) and terms[0] < terms[-1]
    assert recommend(FACTS, params=found.values(dial.MIDDLE)).sentence == recommend(FACTS).sentence


@pytest.mark.parametrize(
    ("target", "expected"),
    [(-1.0, dial.STEPS), (0.0, 0), (1000.0, dial.STEPS), (20.0, 20), (20.4, 20), (16.2, dial.MIDDLE)],
)
def test_nearest_step_by_bisection(target, expected):
    calls = []

    def term_at(step: int) -> float:
        calls.append(step)
        return float(step)

    assert dial.nearest(term_at, target) == expected
    assert len(set(calls)) <= 9  # bisection, not a scan of all 33 positions


def test_nearest_treats_life_as_above_every_term():
    assert dial.nearest(lambda step: math.inf if step > 30 else float(step), 400.0) == 30


class _FixedOpinion:
    """A stand-in empirical model whose median is a fixed term."""

    def __init__(self, months: float, sentence_type: str = "fixed_term") -> None:
        self.opinion = Opinion(sentence_type, months, months * 0.8, months * 1.25, False, 0.9)

    def opinions(self, cases, facts=None):
        return [self.opinion for _ in cases]


TEXT = (
    "浙江省杭州市西湖区人民检察院指控：2021年3月1日，被告人张某在杭州市西湖区某小区盗窃他人财物，价值人民币30000元。"
    "被告人张某到案后如实供述了自己的罪行，自愿认罪认罚。"
)


def test_pipeline_moves_the_dial_toward_the_opinion_and_says_so():
    line = {"id": 1, "fact": TEXT, "defendant": "张某", "charges": ["盗窃罪"]}
    alone = Pipeline(model=None).predict(line)["sentence"]["months"]
    for months in (alone * 0.6, alone * 1.5):
        out = Pipeline(model=_FixedOpinion(months)).predict(line)
        got = out["sentence"]["months"]
        assert abs(math.log1p(got) - math.log1p(months)) < abs(math.log1p(alone) - math.log1p(months))
        assert "裁量范围" in out["discretion"]["explanation"]


def test_detention_opinion_keeps_the_dial_below_six_months():
    pipeline = Pipeline(model=_FixedOpinion(7, "detention"))
    assert pipeline._target(pipeline.model.opinion) == 5
    pipeline = Pipeline(model=_FixedOpinion(4, "fixed_term"))
    assert pipeline._target(pipeline.model.opinion) == 6


def test_a_dated_crime_file_turns_its_own_positions_only_from_its_date(book) -> None:
    # 非法经营罪 follows 法〔2024〕132号 from 2024-07-01; a case decided before is computed from the statute alone,
    # so the dial turns the statute-only position, not the crime file's.
    before = dial.discretion_parameters(book, ["非法经营罪"], dt.date(2023, 5, 10))
    after = dial.discretion_parameters(book, ["非法经营罪"], dt.date(2024, 7, 1))
    assert "general.outside.starting_point_position" in before
    assert not any(pid.startswith("illegal_business.") for pid in before)
    assert "general.outside.starting_point_position" not in after
    assert any(pid.startswith("illegal_business.starting_point.position") for pid in after)
