"""`leniency rules check` on 没收财产: each bracket's `confiscation` matches its statute text and its `fine`, and the
general `property_penalty` rules are cited, name known sentence types and say when no document states them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from leniency.cli import main
from leniency.law import load_rulebook
from leniency.law.validation import check_rules


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _bracket(data: dict[str, Any], bid: str) -> dict[str, Any]:
    return next(b for b in data["brackets"] if b["id"] == bid)


def _statutory(data: dict[str, Any], charge: str, bid: str) -> dict[str, Any]:
    entry = next(e for e in data["crimes"] if e["charge"] == charge)
    return next(b for b in entry["brackets"] if b["id"] == bid)


def test_shipped_brackets_state_confiscation_as_the_statute_does() -> None:
    book = load_rulebook()
    drug = _bracket(book.crimes["走私、贩卖、运输、制造毒品罪"].raw, "b4")
    assert (drug["confiscation"], drug["fine"]) == ("mandatory", "none")
    theft = _bracket(book.crimes["盗窃罪"].raw, "b3")
    assert (theft["confiscation"], theft["fine"]) == ("alternative", "mandatory")
    gang = book.statutory["组织、领导、参加黑社会性质组织罪"]["brackets"]
    assert [(b.get("confiscation", "none"), b["fine"]) for b in gang] == [
        ("none", "optional"),
        ("alternative", "optional"),
        ("mandatory", "none"),
    ]
    rules = book.general["property_penalty"]
    assert rules["choice"]["unverified"] is True and rules["choice"]["note"]
    assert rules["extent"]["unverified"] is True and rules["extent"]["note"]
    assert rules["combined"]["reference"] == "刑法第六十九条第三款"


CRIME_CASES = [
    (lambda d: _bracket(d, "b4").update(confiscation="yes"), "未知没收财产方式 confiscation“yes”"),
    (lambda d: _bracket(d, "b4").pop("confiscation"), "有没收财产，须标注 confiscation: mandatory"),
    (lambda d: _bracket(d, "b4").update(fine="mandatory"), "只规定并处没收财产，不能判处罚金"),
    (lambda d: _bracket(d, "b4").update(confiscation="alternative"), "须对应法定刑原文“并处罚金或者没收财产”"),
    (lambda d: _bracket(d, "b3").update(confiscation="mandatory"), "须对应法定刑原文“并处没收财产”"),
]


@pytest.mark.parametrize(("mutate", "message"), CRIME_CASES)
def test_bad_bracket_confiscation_is_refused(data_copy: Path, mutate, message: str, capsys) -> None:
    _edit(data_copy / "crimes" / "drug_trafficking.yaml", mutate)
    assert main(["rules", "check", "--data-dir", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "drug_trafficking.yaml：法定刑幅度" in out and message in out


def test_statutory_alternative_needs_a_fine_key(data_copy: Path) -> None:
    _edit(
        data_copy / "statutory.yaml",
        lambda d: _statutory(d, "非法经营罪", "b2").update(fine="none"),
    )
    report = check_rules(data_copy)
    assert any("非法经营罪" in e and "fine 应为 mandatory（并处）或 optional（可以并处）" in e for e in report.errors)


GENERAL_CASES = [
    (lambda p: p["choice"].update(confiscation_with=["life", "probation"]), "含未知刑种 ['probation']"),
    (lambda p: p["extent"].update(all_with="life"), "all_with 应为刑种列表"),
    (lambda p: p["choice"].pop("reference"), "choice：缺少 reference（出处为必填项）"),
    (lambda p: p["extent"].pop("note"), "未经核实的规则须在 note 中说明"),
    (lambda p: p.pop("combined"), "combined：缺少或不是映射"),
]


@pytest.mark.parametrize(("mutate", "message"), GENERAL_CASES)
def test_bad_property_penalty_rule_is_refused(data_copy: Path, mutate, message: str) -> None:
    _edit(data_copy / "general.yaml", lambda d: mutate(d["property_penalty"]))
    report = check_rules(data_copy)
    assert not report.ok
    assert any(e.startswith("general.yaml：property_penalty（没收财产）") and message in e for e in report.errors), (
        report.errors
    )
