"""The two crimes of 法〔2024〕132号 whose text we have: their rule files, their start date, and the checks on them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from leniency.law import load_rulebook, read_rulebook
from leniency.law.loader import RuleDataError
from leniency.law.validation import check_rules

START = dt.date(2024, 7, 1)
CRIMES = {"非法经营罪": "illegal_business", "猥亵儿童罪": "child_molestation"}


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_rules_check_passes_with_both_crimes() -> None:
    report = check_rules()
    assert report.ok, report.errors
    book = load_rulebook()
    for charge, cid in CRIMES.items():
        rules = book.crimes[charge]
        assert rules.id == cid and rules.guideline
        assert rules.effective == START
        assert charge in book.statutory  # the computation for cases decided before 2024-07-01


@pytest.mark.parametrize(
    ("pid", "low", "high", "citation"),
    [
        ("illegal_business.starting_point.serious", 1, 24, "法〔2024〕132号 一(一)1(1)"),
        ("illegal_business.starting_point.especially_serious", 60, 72, "法〔2024〕132号 一(一)1(2)"),
        ("child_molestation.starting_point.base", 12, 36, "法〔2024〕132号 一(二)1(1)"),
        ("child_molestation.starting_point.aggravated", 60, 84, "法〔2024〕132号 一(二)1(2)"),
    ],
)
def test_starting_point_ranges_are_the_guidelines(pid: str, low: int, high: int, citation: str) -> None:
    parameter = load_rulebook().parameters[pid]
    assert parameter.values.dates == (START,)
    assert list(parameter.at(START)) == [low, high]
    assert parameter.reference.startswith(citation)
    assert not parameter.calibrated and not parameter.unverified  # the text gives these ranges


def test_what_the_text_does_not_give_is_calibrated_and_unverified() -> None:
    book = load_rulebook()
    for cid in CRIMES.values():
        own = {pid: p for pid, p in book.parameters.items() if pid.startswith(cid + ".")}
        increments = [p for pid, p in own.items() if ".increment." in pid and p.unit == "months"]
        assert increments
        for parameter in increments:
            # fitted by `leniency calibrate`; not zero, or no trace would cite it and calibration would never see it
            assert parameter.calibrated and parameter.unverified and parameter.bounds, parameter.id
            assert parameter.bounds[0] < parameter.default <= parameter.bounds[1], parameter.id
            assert "法〔2024〕132号" in parameter.reference
        for pid, parameter in own.items():
            if ".threshold." in pid or ".fine." in pid or pid.endswith("amount_unit") or "amount_unit_" in pid:
                assert parameter.unverified, pid
        for pid, parameter in own.items():
            assert parameter.values.dates[0] >= START, pid  # nothing of 法〔2024〕132号 before it started


def test_no_amount_threshold_is_invented_for_illegal_business() -> None:
    rules = load_rulebook().crimes["非法经营罪"]
    assert not [pid for pid in rules.parameters if ".threshold." in pid]
    tiers = {t["id"]: t["when"] for t in rules.raw["tiers"]}
    assert tiers == {"especially_serious": {"gravity": "especially_serious"}, "serious": {"always": True}}


def test_guideline_crime_depends_on_the_day() -> None:
    book = load_rulebook()
    for charge in CRIMES:
        assert book.guideline_crime(charge, START - dt.timedelta(days=1)) is None
        assert book.guideline_crime(charge, dt.date(2023, 5, 10)) is None
        assert book.guideline_crime(charge, START) is book.crimes[charge]
        assert book.guideline_crime(charge, dt.date(2026, 1, 1)) is book.crimes[charge]
    assert book.guideline_crime("盗窃罪", dt.date(2015, 1, 1)) is book.crimes["盗窃罪"]  # no effective date
    assert book.guideline_crime("开设赌场罪", dt.date(2026, 1, 1)) is None  # statutory only
    assert START in book.breakpoints  # compiled rules change on that day


def test_dated_crime_without_statutory_entry_is_rejected(data_copy: Path) -> None:
    def drop(data):
        data["crimes"] = [entry for entry in data["crimes"] if entry["charge"] != "非法经营罪"]

    _edit(data_copy / "statutory.yaml", drop)
    report = check_rules(data_copy)
    assert not report.ok
    assert any("illegal_business.yaml：非法经营罪的规则自 effective 日期起施行" in e for e in report.errors), (
        report.errors
    )


def test_crime_in_both_files_needs_an_effective_date(data_copy: Path) -> None:
    _edit(data_copy / "crimes" / "child_molestation.yaml", lambda data: data.pop("effective"))
    report = check_rules(data_copy)
    assert any("child_molestation.yaml：猥亵儿童罪同时见于 statutory.yaml" in e for e in report.errors), report.errors


def test_bad_effective_date_is_reported_in_chinese(data_copy: Path) -> None:
    path = data_copy / "crimes" / "illegal_business.yaml"
    _edit(path, lambda data: data.update(effective="2024-13-01"))
    report = check_rules(data_copy)
    assert any("effective（本罪规则的施行日期）“2024-13-01”不是有效日期" in e for e in report.errors), report.errors
    with pytest.raises(RuleDataError, match="illegal_business.yaml：effective"):
        read_rulebook(data_copy)


def test_calibration_fits_the_new_parameters() -> None:
    from leniency.judgments.calibration import fitted_parameters

    targets = {t.id: t for t in fitted_parameters() if t.crime in CRIMES.values()}
    assert set(targets) == {
        "illegal_business.starting_point.position",
        "illegal_business.increment.amount",
        "illegal_business.increment.amount_especially_serious",
        "child_molestation.starting_point.position",
        "child_molestation.increment.person",
        "child_molestation.increment.act",
        "child_molestation.increment.injury",
        "child_molestation.increment.serious_injury",
    }
    assert all(t.provincial and not t.interval for t in targets.values())  # provincial 实施细则 set these
