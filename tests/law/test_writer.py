"""Writing fitted values into (a copy of) the rule data: minimal diff, idempotent, validated, all or nothing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from leniency.cli import main
from leniency.judgments.calibration import METHOD_ID
from leniency.law import writer
from leniency.law.loader import DATA_DIR, read_rulebook
from leniency.law.validation import check_rules
from leniency.law.writer import FittedValue, Provenance, RuleWriteError, plan_fitted_values, write_fitted_values
from tests.conftest import uncalibrated_rules

PROVENANCE = Provenance(dt.date(2026, 11, 22), "sentencing.dev.jsonl.xz（sha256 0123456789abcdef）", METHOD_ID)
DAY = dt.date(2024, 1, 1)
THEFT_POSITION = FittedValue("theft.starting_point.position", 0.7, 412, 0.41, 0.55)
THEFT_ZHEJIANG = FittedValue("theft.starting_point.position", 0.9, 95, 0.38, 0.44, province="浙江省")
COMBINED = FittedValue("general.combined.position", 0.4, 300, 0.6, 0.62)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return uncalibrated_rules(tmp_path / "data")


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*.yaml"))}


def _parameter_span(lines: list[str], local_id: str) -> tuple[int, int]:
    """Lines of one parameter block (its key line up to the next key at indent ≤ 2), found independently."""
    start = lines.index(f"  {local_id}:\n")
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" ")) > 2):
        end += 1
    return start, end


def _without(lines: list[str], local_ids: list[str]) -> list[str]:
    out = list(lines)
    for local_id in local_ids:
        start, end = _parameter_span(out, local_id)
        out[start:end] = [f"<{local_id}>\n"]
    return out


def test_only_the_fitted_parameters_change(data: Path) -> None:
    before = _snapshot(data)
    written = write_fitted_values([THEFT_POSITION, THEFT_ZHEJIANG, COMBINED], PROVENANCE, data)
    assert {p.name for p in written} == {"theft.yaml", "general.yaml"}
    after = _snapshot(data)
    for name in before:
        if name not in ("crimes/theft.yaml", "general.yaml"):
            assert after[name] == before[name], name
    for name, local_id in (("crimes/theft.yaml", "starting_point.position"), ("general.yaml", "combined.position")):
        old = before[name].decode("utf-8").splitlines(keepends=True)
        new = after[name].decode("utf-8").splitlines(keepends=True)
        # Every byte outside the parameter's own block is unchanged (comments, flow lists, order, quoting).
        assert _without(new, [local_id]) == _without(old, [local_id])
        old_block = old[slice(*_parameter_span(old, local_id))]
        new_block = new[slice(*_parameter_span(new, local_id))]
        # Inside the block the existing lines stay in place except the value in force.
        assert [line for line in old_block if line not in new_block] == [
            line for line in old_block if line.startswith("      20")
        ]
    theft = after["crimes/theft.yaml"].decode("utf-8")
    assert "      2021-07-01: 0.7\n" in theft
    assert "    overlays:\n      浙江省:\n        2021-07-01: 0.9\n" in theft
    block = theft[theft.index("    calibration:\n") :].split("  starting_point.large:")[0]
    assert block == (
        "    calibration:\n"
        "      previous: 0.3\n"
        "      n: 412\n"
        "      error: 0.41\n"
        "      default_error: 0.55\n"
        "      date: 2026-11-22\n"
        '      source: "sentencing.dev.jsonl.xz（sha256 0123456789abcdef）"\n'
        f'      method: "{METHOD_ID}"\n'
        "      provinces:\n"
        "        浙江省:\n"
        "          n: 95\n"
        "          error: 0.38\n"
        "          default_error: 0.44\n"
    )


def test_loader_and_rules_check_read_the_written_values(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_fitted_values([THEFT_POSITION, THEFT_ZHEJIANG, COMBINED], PROVENANCE, data)
    book = read_rulebook(data)
    parameter = book.parameters["theft.starting_point.position"]
    assert parameter.at(DAY) == 0.7
    assert parameter.at(DAY, ("浙江省",)) == 0.9
    assert parameter.at(DAY, ("江苏省",)) == 0.7
    assert parameter.reference == read_rulebook(DATA_DIR).parameters[parameter.id].reference
    assert book.parameters["general.combined.position"].at(DAY) == 0.4
    assert book.calibration["theft.starting_point.position"]["n"] == 412
    assert book.calibration["theft.starting_point.position"]["date"] == dt.date(2026, 11, 22)
    national, provinces = book.pre_calibration()
    assert national == {"theft.starting_point.position": 0.3, "general.combined.position": 0.5}
    assert provinces == {}  # the 浙江省 overlay came from calibration: the national override masks it
    report = check_rules(data)
    assert report.ok, report.errors
    assert main(["rules", "check", "--data-dir", str(data)]) == 0
    assert "规则数据检查通过" in capsys.readouterr().out


def test_rewrite_is_idempotent_and_revert_restores_every_byte(data: Path) -> None:
    original = _snapshot(data)
    fits = [THEFT_POSITION, THEFT_ZHEJIANG, COMBINED]
    write_fitted_values(fits, PROVENANCE, data)
    once = _snapshot(data)
    assert plan_fitted_values(fits, PROVENANCE, data) == {}
    assert write_fitted_values(fits, PROVENANCE, data) == []
    assert _snapshot(data) == once
    # A new run keeps `previous` (the value before the first calibration), not the value fitted last time.
    write_fitted_values([FittedValue("theft.starting_point.position", 0.5, 400, 0.4, 0.5)], PROVENANCE, data)
    book = read_rulebook(data)
    assert book.parameters["theft.starting_point.position"].at(DAY, ("浙江省",)) == 0.5  # stale overlay removed
    assert book.calibration["theft.starting_point.position"]["previous"] == 0.3
    assert book.parameters["general.combined.position"].at(DAY) == 0.5  # not fitted this time: reverted
    assert "general.combined.position" not in book.calibration
    write_fitted_values([], PROVENANCE, data)
    assert _snapshot(data) == original


def test_every_calibrated_parameter_can_be_written(data: Path) -> None:
    book = read_rulebook(data)
    fits = []
    for parameter in book.parameters.values():
        if parameter.calibrated:
            low, high = parameter.bounds
            fits.append(FittedValue(parameter.id, round(low + 0.37 * (high - low), 4), 100, 0.3, 0.4))
            fits.append(FittedValue(parameter.id, round(low + 0.6 * (high - low), 4), 90, 0.2, 0.3, "广东省"))
    assert len(fits) > 100
    write_fitted_values(fits, PROVENANCE, data)
    written = read_rulebook(data)
    for fit in fits:
        regions = (fit.province,) if fit.province else ()
        assert written.parameters[fit.parameter].at(DAY, regions) == fit.value, fit
    assert check_rules(data).ok


def test_previous_document_overlay_is_kept_and_restored(data: Path) -> None:
    path = data / "crimes" / "theft.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "    note: 文本只给起点幅度；默认取靠下的位置，由校准拟合\n"
    # A provincial document's own value for this parameter (with a comment), as a later edition might add.
    seeded = text.replace(anchor, anchor + "    overlays:\n      浙江省:\n        2021-07-01: 0.2  # 省级细则\n", 1)
    path.write_text(seeded, encoding="utf-8")
    before = _snapshot(data)
    write_fitted_values([THEFT_POSITION, THEFT_ZHEJIANG], PROVENANCE, data)
    written = path.read_text(encoding="utf-8")
    assert "        2021-07-01: 0.9  # 省级细则\n" in written
    book = read_rulebook(data)
    assert book.calibration["theft.starting_point.position"]["provinces"]["浙江省"]["previous"] == 0.2
    assert book.pre_calibration()[1] == {"浙江省": {"theft.starting_point.position": 0.2}}
    write_fitted_values([], PROVENANCE, data)
    assert _snapshot(data) == before


def test_comments_between_parameters_stay_in_place(data: Path) -> None:
    path = data / "crimes" / "theft.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  starting_point.large:\n", "\n  # 以下为量刑起点幅度\n  starting_point.large:\n", 1)
    path.write_text(text, encoding="utf-8")
    write_fitted_values([THEFT_POSITION], PROVENANCE, data)
    new = path.read_text(encoding="utf-8")
    assert f'      method: "{METHOD_ID}"\n\n  # 以下为量刑起点幅度\n  starting_point.large:\n' in new


def test_bad_fits_change_no_file(data: Path) -> None:
    before = _snapshot(data)
    out_of_bounds = FittedValue("general.combined.position", 1.5, 300, 0.6, 0.62)
    with pytest.raises(RuleWriteError, match="未通过检查，未修改任何文件.*general.yaml.*combined.position"):
        write_fitted_values([THEFT_POSITION, out_of_bounds], PROVENANCE, data)
    with pytest.raises(RuleWriteError, match="theft.yaml：参数 threshold.large 不是待校准参数"):
        write_fitted_values([COMBINED, FittedValue("theft.threshold.large", 3000, 100, 0.1, 0.2)], PROVENANCE, data)
    with pytest.raises(RuleWriteError, match="参数 nosuch.position 找不到对应的规则文件"):
        write_fitted_values([FittedValue("nosuch.position", 0.5, 100, 0.1, 0.2)], PROVENANCE, data)
    with pytest.raises(RuleWriteError, match="只有省级拟合值，缺少全国拟合值"):
        write_fitted_values([THEFT_ZHEJIANG], PROVENANCE, data)
    assert _snapshot(data) == before


def test_unsupported_layout_is_refused(data: Path) -> None:
    path = data / "crimes" / "theft.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    values:\n      2021-07-01: 0.3\n", "    values: {2021-07-01: 0.3}\n", 1), "utf-8")
    before = _snapshot(data)
    with pytest.raises(RuleWriteError, match="values 不是块格式"):
        write_fitted_values([THEFT_POSITION, COMBINED], PROVENANCE, data)
    assert _snapshot(data) == before


def test_failed_replacement_restores_the_files_already_replaced(data: Path, monkeypatch) -> None:
    before = _snapshot(data)
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("磁盘已满")
        return real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", failing_replace)
    with pytest.raises(RuleWriteError, match="替换规则文件失败，已恢复原文件"):
        write_fitted_values([THEFT_POSITION, COMBINED], PROVENANCE, data)
    assert len(calls) == 2
    assert _snapshot(data) == before
    assert not [p for p in data.rglob("*") if p.name.startswith(".")]  # no staged file left behind


@pytest.mark.parametrize(
    ("value", "like", "text"),
    [
        (0.7, 0.3, "0.7"),
        (24.0, 60, "24"),
        (24.5, 60, "24.5"),
        (0.0, 0.3, "0.0"),
        (1e-05, 0.3, "0.00001"),
        (3, 0.5, "3"),
    ],
)
def test_number_text_reads_back_exactly(value: float, like: object, text: str) -> None:
    import yaml

    assert writer.number_text(value, like) == text
    assert yaml.safe_load(f"v: {text}")["v"] == value
