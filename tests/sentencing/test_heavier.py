"""Life and death come only from a bracket's own cited, calibrated thresholds (statutory.yaml heavier_penalties)."""

from __future__ import annotations

from typing import Any

import pytest

from leniency.sentencing.compiled import _bracket


def _raw(**penalty: Any) -> dict[str, Any]:
    entry = {
        "id": "test.life",
        "type": "life",
        "label": "测试",
        "deaths_min": 1,
        "reference": "刑法第二百三十二条",
        "calibrated": True,
    }
    entry.update(penalty)
    return {
        "id": "b2",
        "label": "死刑、无期徒刑或者十年以上有期徒刑",
        "min": 120,
        "max": 180,
        "types": ["fixed_term"],
        "reference": "刑法第二百三十二条",
        "life_possible": True,
        "heavier_penalties": [{k: v for k, v in entry.items() if v is not None}],
    }


def test_valid_threshold_is_compiled() -> None:
    bracket = _bracket(_raw(deaths_min=2, type="death"))
    (penalty,) = bracket.heavier
    assert (penalty.type, penalty.deaths_min, penalty.citation) == ("death", 2, "刑法第二百三十二条")


def test_bracket_without_thresholds_has_none() -> None:
    raw = _raw()
    del raw["heavier_penalties"]
    assert _bracket(raw).heavier == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "fixed_term"}, "type 只能是 life 或 death"),
        ({"calibrated": None}, "calibrated: true"),
        ({"reference": None}, "缺少 reference"),
        ({"deaths_min": 0}, "deaths_min"),
        ({"deaths_min": "1"}, "deaths_min"),
    ],
)
def test_bad_threshold_is_rejected_in_chinese(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _bracket(_raw(**change))


def test_threshold_needs_a_bracket_that_provides_life() -> None:
    raw = _raw()
    raw["life_possible"] = False
    with pytest.raises(ValueError, match="life_possible"):
        _bracket(raw)
