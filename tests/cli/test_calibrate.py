"""`leniency calibrate` on a slice of the real judgments, writing into a copy of the rule data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leniency.cli import main
from leniency.law.loader import DATA_DIR, read_rulebook
from leniency.law.validation import check_rules
from tests.conftest import uncalibrated_rules


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    return uncalibrated_rules(tmp_path / "data")


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*.yaml"))}


def test_calibrate_writes_fitted_values_with_provenance(shared_data, rules, tmp_path, capsys) -> None:
    data = shared_data / "sentencing.dev.jsonl.xz"
    before = _snapshot(rules)
    params = tmp_path / "params.json"
    argv = ["calibrate", "--data", str(data), "--limit", "1000", "--rules", str(rules)]
    assert main([*argv, "--dry-run", "--params-out", str(params)]) == 0
    assert _snapshot(rules) == before  # --dry-run changes nothing
    fitted = json.loads(params.read_text(encoding="utf-8"))["national"]
    assert "theft.starting_point.position" in fitted
    # every kind the issue names: positions, increments, ratio points, and the placement of the range
    assert any(".increment." in pid for pid in fitted)
    assert any(pid.startswith("general.circumstance.") and pid.endswith(".point") for pid in fitted)
    assert "general.width.point_share" in fitted
    out = capsys.readouterr().out
    assert "general.width.point_share（全国）" in out and "1 − 平均 Winkler s" in out

    assert main(argv) == 0
    after = _snapshot(rules)
    changed = {name for name in before if after[name] != before[name]}
    assert "crimes/theft.yaml" in changed and "general.yaml" in changed and "statutory.yaml" not in changed
    book = read_rulebook(rules)
    previous = read_rulebook(DATA_DIR).pre_calibration()[0]
    # the fitted parameters carry provenance; the JSON also lists the pre-calibration value of the others
    assert set(book.calibration) <= set(fitted)
    assert all(pid in book.calibration for pid, value in fitted.items() if value != previous.get(pid, value))
    for pid in book.calibration:
        assert book.parameters[pid].default == fitted[pid]
        record = book.calibration[pid]
        assert record["previous"] == previous.get(pid, read_rulebook(DATA_DIR).parameters[pid].default)
        assert record["n"] >= 30 and "sha256" in record["source"] and "前 1000 行" in record["source"]
    assert check_rules(rules).ok
    # Same data, same files: a second run changes no byte (the writer keeps `previous` and re-renders the same).
    assert main(argv) == 0
    assert _snapshot(rules) == after
    assert "已写入 0 个规则文件" in capsys.readouterr().err


def test_calibrate_refuses_a_directory_without_rules(tmp_path, capsys) -> None:
    assert main(["calibrate", "--rules", str(tmp_path), "--limit", "10"]) == 2
    assert f"错误：规则数据目录 {tmp_path} 中没有 general.yaml" in capsys.readouterr().err
