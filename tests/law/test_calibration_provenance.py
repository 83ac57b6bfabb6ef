"""`leniency rules check` validates the provenance blocks that `leniency calibrate` writes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from leniency.cli import main
from leniency.judgments.calibration import METHOD_ID
from leniency.law.validation import check_rules
from leniency.law.writer import FittedValue, Provenance, write_fitted_values
from tests.conftest import uncalibrated_rules

PROVENANCE = Provenance(dt.date(2026, 11, 22), "sentencing.dev.jsonl.xz", METHOD_ID)


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory) -> Path:
    """A copy of the rule data with one national and one provincial fitted value."""
    target = uncalibrated_rules(tmp_path_factory.mktemp("rules") / "data")
    fits = [
        FittedValue("theft.starting_point.position", 0.7, 412, 0.41, 0.55),
        FittedValue("theft.starting_point.position", 0.9, 95, 0.38, 0.44, province="浙江省"),
    ]
    write_fitted_values(fits, PROVENANCE, target)
    return target


@pytest.fixture
def data(calibrated: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(calibrated, target)
    return target


def _edit(data: Path, old: str, new: str) -> None:
    path = data / "crimes" / "theft.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(data: Path) -> list[str]:
    report = check_rules(data)
    assert not report.ok
    return report.errors


def test_written_provenance_passes(calibrated: Path) -> None:
    assert check_rules(calibrated).ok


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      n: 412\n", "", "calibration（校准来源）：缺少 n"),
        ("      n: 412\n", "      n: 0\n", "n（拟合所用判决的被告人数）应为正整数，实际为 0"),
        ("      error: 0.41\n", "      error: -1\n", "error（平均绝对对数误差）应为非负数"),
        ("      date: 2026-11-22\n", '      date: "2026-13-01"\n', "date“2026-13-01”不是有效日期"),
        (
            f'      method: "{METHOD_ID}"\n',
            "      method: 网格搜索\n",
            "method“网格搜索”未在 general.yaml 的 calibration_methods 中说明",
        ),
        ('      source: "sentencing.dev.jsonl.xz"\n', '      source: ""\n', "source 不能为空"),
        ("      previous: 0.3\n", "      previous: 1.3\n", "校准前取值 previous 1.3 不在 bounds [0.0, 1.0] 内"),
        ("        2021-07-01: 0.9\n", "        2021-07-01: 1.9\n", "浙江省拟合值 1.9 不在 bounds [0.0, 1.0] 内"),
        ("          n: 95\n", "          n: 95\n          weight: 2\n", "（浙江省）：未知字段 ['weight']"),
        ("      source:", "      seed: 1\n      source:", "未知字段 ['seed']"),
        (
            "    overlays:\n      浙江省:\n        2021-07-01: 0.9\n",
            "",
            "浙江省有拟合记录，但 overlays 中没有浙江省的取值",
        ),
    ],
)
def test_broken_provenance_is_reported(data: Path, old: str, new: str, message: str) -> None:
    _edit(data, old, new)
    errors = _errors(data)
    assert any("theft.yaml：参数 starting_point.position" in e and message in e for e in errors), errors


def test_fitted_value_out_of_bounds_is_reported(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(data, "      2021-07-01: 0.7\n", "      2021-07-01: 1.7\n")
    assert main(["rules", "check", "--data-dir", str(data)]) == 1
    assert "theft.yaml：参数 starting_point.position：默认值 1.7 不在 bounds [0.0, 1.0] 内" in capsys.readouterr().out


def test_provenance_only_on_calibrated_parameters(data: Path) -> None:
    block = "    calibration:\n      previous: 2\n      n: 5\n      error: 0.1\n      default_error: 0.2\n"
    block += '      date: 2026-11-22\n      source: "x"\n      method: "y"\n'
    note = "    note: 无省份时取全国默认值（各省最常见的标准）\n"
    _edit(data, note + "  threshold.huge:\n", note + block + "  threshold.huge:\n")
    errors = _errors(data)
    assert any("参数 threshold.large 的 calibration（校准来源）：只有待校准参数" in e for e in errors), errors


def test_impossible_date_is_an_error_not_a_crash(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(data, "      date: 2026-11-22\n", "      date: 2026-13-01\n")
    assert main(["rules", "check", "--data-dir", str(data)]) == 1
    assert "theft.yaml：日期无效" in capsys.readouterr().out


def test_the_method_is_described_once_in_general_yaml() -> None:
    from leniency.judgments.calibration import METHOD
    from leniency.law.loader import DATA_DIR, read_rulebook

    methods = read_rulebook(DATA_DIR).general["calibration_methods"]
    # the text lawyers read is the one the code runs
    assert methods[METHOD_ID] == METHOD


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        ("calibration_methods: [坐标下降]\n", "calibration_methods 应为“方法编号: 说明”的映射"),
        (f'calibration_methods:\n  {METHOD_ID}: ""\n', f"calibration_methods 中 {METHOD_ID} 的说明不能为空"),
    ],
)
def test_malformed_method_descriptions_are_reported(data: Path, replacement: str, message: str) -> None:
    path = data / "general.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("calibration_methods:\n")
    end = text.index("\n\n", start) + 1
    path.write_text(text[:start] + replacement + text[end:], encoding="utf-8")
    errors = _errors(data)
    assert any(message in e for e in errors), errors
    # the blocks naming the method are then reported too, not silently accepted
    assert any("未在 general.yaml 的 calibration_methods 中说明" in e for e in errors), errors
