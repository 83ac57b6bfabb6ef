"""`leniency rules check` on the amount standards of statutory ranges (`amount_at_least`)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from leniency.law.validation import check_rules


def _set_standard(data_dir: Path, charge: str, bracket_id: str, ref: str) -> None:
    path = data_dir / "statutory.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(e for e in data["crimes"] if e["charge"] == charge)
    next(b for b in entry["brackets"] if b["id"] == bracket_id)["amount_at_least"] = ref
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_shipped_standards_pass() -> None:
    assert check_rules().errors == []


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("corruption.no_such_standard", "general.yaml 中没有参数 corruption.no_such_standard"),
        ("drug.large_quantity.heroin", "单位应为 yuan"),
        ("corruption.huge", "不大于较轻幅度的 corruption.huge"),  # the graver range needs a larger amount
    ],
)
def test_a_wrong_standard_is_refused(data_copy: Path, ref: str, message: str) -> None:
    _set_standard(data_copy, "受贿罪", "b3", ref)
    errors = check_rules(data_copy).errors
    assert any("受贿罪" in e and message in e for e in errors), errors
