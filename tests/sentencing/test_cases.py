"""Worked cases from the guideline's own wording, kept as data a lawyer can read (tests/sentencing/cases/*.yaml).

Each case gives the facts of one defendant and what the guideline requires of the result: the starting-point
tier and range, the statutory range, bounds on the adjustment ratio (caps of 三), sentence type, probation, fine.
The cases run on the rule data's values before calibration (the values the wording was worked with); values fitted
by `leniency calibrate` change the numbers a case computes, not the method it checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from leniency.law import load_rulebook
from leniency.sentencing import FactsError, recommend

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            params.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
    return params


def _within(value: float, expected: Any) -> bool:
    if isinstance(expected, list):
        return expected[0] - 1e-9 <= value <= expected[1] + 1e-9
    return value == expected


def _facts(case: dict[str, Any]) -> dict[str, Any]:
    facts = dict(case["facts"])
    if "decision_date" in facts:
        facts["decision_date"] = str(facts["decision_date"])
    return facts


@pytest.mark.parametrize("case", _load_cases())
def test_guideline_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    facts = _facts(case)
    params = (
        load_rulebook().pre_calibration_for(facts.get("province"))
        if "error_field" not in expect and "error_contains" not in expect
        else {}
    )
    if "error_field" in expect or "error_contains" in expect:
        with pytest.raises(FactsError) as info:
            recommend(facts)
        if "error_field" in expect:
            assert info.value.field == expect["error_field"], str(info.value)
            label = expect["error_field"].rsplit(".", 1)[-1]
            assert label in str(info.value)
        if "error_contains" in expect:
            assert expect["error_contains"] in str(info.value)
        return
    rec = recommend(facts, params=params or None)
    first = rec.charges[0]
    sentence = rec.sentence
    if "tier" in expect:
        assert rec.trace[0].rule_id == expect["tier"], rec.trace[0].explanation
    if "starting_point" in expect:
        assert _within(first.starting_point, expect["starting_point"]), first.starting_point
    if "statutory_range" in expect:
        assert list(first.statutory_range) == expect["statutory_range"]
    if "adjusted_ratio" in expect:
        ratio = first.adjusted / first.baseline
        assert _within(ratio, expect["adjusted_ratio"]), ratio
    if "type" in expect:
        wanted = expect["type"] if isinstance(expect["type"], list) else [expect["type"]]
        assert sentence.type in wanted
    if "months" in expect:
        assert _within(sentence.months, expect["months"]), sentence.months
    if "range_within" in expect:
        low, high = sentence.range
        assert expect["range_within"][0] <= low <= sentence.months <= high <= expect["range_within"][1]
    if "probation" in expect:
        assert sentence.probation is expect["probation"], [s.explanation for s in rec.trace[-1:]]
    if "fine" in expect:
        if expect["fine"] is None:
            assert sentence.fine is None
        else:
            assert sentence.fine is not None and _within(sentence.fine, expect["fine"]), sentence.fine
    if "trace_contains" in expect:
        ids = {step.rule_id for step in rec.trace}
        for rule_id in expect["trace_contains"]:
            assert rule_id in ids, sorted(ids)
    if "outside_guideline" in expect:
        assert rec.outside_guideline is expect["outside_guideline"]
    if "warning_contains" in expect:
        assert any(expect["warning_contains"] in w for w in rec.warnings), rec.warnings
    if "rule_edition" in expect:
        assert rec.rule_edition == expect["rule_edition"]
    if expect.get("combined_between_max_and_sum"):
        terms = [c.sentence.months for c in rec.charges]
        assert max(terms) <= sentence.months <= sum(terms)
        assert sentence.range[0] >= max(terms)
    # Every step of every case is explained and cited.
    for step in rec.trace:
        assert step.rule_id and step.citation and step.explanation


def test_every_guideline_crime_has_three_worked_cases() -> None:
    book = load_rulebook()
    counts: dict[str, int] = {}
    for path in CASES_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            for charge in case["facts"]["charges"]:
                name = book.canonical_charge(charge["charge"]) or charge["charge"]
                counts[name] = counts.get(name, 0) + 1
    guideline = [c for c, rules in book.crimes.items() if rules.guideline]
    assert len(guideline) == 25  # the 23 of 法发〔2021〕21号 and 非法经营罪、猥亵儿童罪 of 法〔2024〕132号
    missing = {c: counts.get(c, 0) for c in guideline if counts.get(c, 0) < 3}
    assert not missing, missing
