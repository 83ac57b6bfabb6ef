"""Calibration hook: calibrated parameters can be overridden by id; others cannot."""

from __future__ import annotations

import pytest

from leniency.law import calibrated_parameters
from leniency.sentencing import recommend

FACTS = {"decision_date": "2024-06-01", "province": "北京", "charges": [{"charge": "盗窃罪", "amount": 30000}]}


def test_calibrated_parameters_have_defaults_within_bounds() -> None:
    params = calibrated_parameters()
    ids = {p["id"] for p in params}
    assert "theft.starting_point.position" in ids
    assert "general.plea.stage.investigation" in ids
    for p in params:
        low, high = p["bounds"]
        assert low <= p["default"] <= high, p["id"]
        assert p["reference"]
    # law-fixed values (e.g. the 30% cap) are not open to calibration
    assert "general.plea.cap" not in ids


def test_override_changes_the_result_and_is_traced() -> None:
    base = recommend(FACTS)
    higher = recommend(FACTS, params={"theft.starting_point.position": 1.0})
    assert higher.charges[0].starting_point == 12.0
    assert base.charges[0].starting_point < 12.0
    assert higher.sentence.months > base.sentence.months
    # the default cache is not polluted by the override
    assert recommend(FACTS).sentence == base.sentence


def test_override_rejects_non_calibrated_or_out_of_bounds() -> None:
    with pytest.raises(ValueError, match="不是可校准参数"):
        recommend(FACTS, params={"general.plea.cap": 0.5})
    with pytest.raises(ValueError, match="超出范围"):
        recommend(FACTS, params={"theft.starting_point.position": 2.0})
