"""`leniency rules check` validates the life/death thresholds (heavier_penalties) of crime files and statutory.yaml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from leniency.law.validation import check_rules


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _bracket(data: dict[str, Any], bracket_id: str) -> dict[str, Any]:
    return next(b for b in data["brackets"] if b["id"] == bracket_id)


def _drug(data: dict[str, Any]) -> list[dict[str, Any]]:
    return _bracket(data, "b4")["heavier_penalties"]


def _homicide(data: dict[str, Any]) -> list[dict[str, Any]]:
    entry = next(e for e in data["crimes"] if e["charge"] == "故意杀人罪")
    return next(b for b in entry["brackets"] if b.get("heavier_penalties"))["heavier_penalties"]


def _set(getter, index: int, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        getter(data)[index][key] = value

    return change


def _drop(getter, index: int, key: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        del getter(data)[index][key]

    return change


def _uncalibrate(data: dict[str, Any]) -> None:
    del data["parameters"]["heavier.life.at_least"]["calibrated"]


def _death_for_fraud(data: dict[str, Any]) -> None:
    entry = dict(_bracket(data, "b3")["heavier_penalties"][0], id="fraud.heavier.death", type="death")
    _bracket(data, "b3")["heavier_penalties"].append(entry)


def _no_life_possible(data: dict[str, Any]) -> None:
    del _bracket(data, "b4")["life_possible"]


DRUG = "crimes/drug_trafficking.yaml"
STATUTORY = "statutory.yaml"


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        pytest.param(DRUG, _set(_drug, 0, "type", "fixed_term"), "type 只能是 life（无期徒刑）或 death", id="type"),
        pytest.param(DRUG, _drop(_drug, 1, "reference"), "缺少 reference", id="reference"),
        pytest.param(DRUG, _drop(_drug, 1, "at_least"), "缺少 at_least", id="threshold-missing"),
        pytest.param(DRUG, _set(_drug, 0, "at_least", "heavier.nothing"), "参数“heavier.nothing”不存在", id="dangling"),
        pytest.param(DRUG, _set(_drug, 0, "fact", "weight"), "fact “weight” 不是引擎的数值事实", id="fact"),
        pytest.param(DRUG, _set(_drug, 0, "deaths_min", 1), "未知的键 ['deaths_min']", id="old-key"),
        pytest.param(DRUG, _drop(_drug, 0, "calibrated"), "必须标注 calibrated: true", id="calibrated"),
        pytest.param(DRUG, _set(_drug, 0, "at_least", 0), "at_least 应为正数", id="zero"),
        pytest.param(DRUG, _set(_drug, 0, "leniency_max", 1.5), "应在 0 与 1 之间", id="leniency-range"),
        pytest.param(
            DRUG, _set(_drug, 0, "leniency_max", "heavier.life.at_least"), "单位应为 ratio", id="leniency-unit"
        ),
        pytest.param(DRUG, _set(_drug, 0, "at_least", 1), "高于死刑门槛 1", id="order"),
        pytest.param(DRUG, _uncalibrate, "须标注 calibrated: true 并给出 bounds", id="parameter-not-calibrated"),
        pytest.param(DRUG, _set(_drug, 0, "id", "drug_trafficking.heavier.life"), "id 重复", id="duplicate"),
        pytest.param(DRUG, _no_life_possible, "须标注 life_possible: true", id="life-possible"),
        pytest.param("crimes/fraud.yaml", _death_for_fraud, "没有死刑", id="death-not-in-statute"),
        pytest.param(STATUTORY, _set(_homicide, 0, "deaths_min", 2), "未知的键 ['deaths_min']", id="statutory-old"),
        pytest.param(STATUTORY, _set(_homicide, 0, "at_least", "x"), "只能写数字", id="statutory-parameter"),
        pytest.param(
            STATUTORY, _set(_homicide, 1, "at_least", 3), "无期徒刑门槛 3 高于死刑门槛 2", id="statutory-order"
        ),
        pytest.param(STATUTORY, _set(_homicide, 0, "type", "mandatory"), "type 只能是 life", id="statutory-type"),
    ],
)
def test_malformed_heavier_penalties_are_reported_in_chinese(
    data_copy: Path, file: str, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    _edit(data_copy / file, change)
    report = check_rules(data_copy)
    assert not report.ok
    assert any(message in error for error in report.errors), report.errors


def test_shipped_heavier_penalties_pass() -> None:
    report = check_rules()
    assert report.ok, report.errors
    assert not any("heavier" in error for error in report.errors)
