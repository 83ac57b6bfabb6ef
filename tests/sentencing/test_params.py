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


def test_citation_says_when_the_value_in_force_was_fitted() -> None:
    import dataclasses
    import datetime as dt

    from leniency.law.loader import load_rulebook
    from leniency.sentencing.compiled import Resolver

    book = load_rulebook()
    pid = "theft.increment.large.amount"
    record = {"previous": 24, "n": 321, "date": "2026-11-22", "provinces": {"浙江省": {"n": 95}}}
    fitted = dataclasses.replace(book, calibration={pid: record}, parameters=dict(book.parameters))
    day = dt.date(2024, 6, 1)
    national = Resolver(fitted, "theft", day, (), {}).cite("increment.large.amount")
    assert national.startswith(book.parameters[pid].reference) and "依 321 名被告人的判决校准，2026-11-22" in national
    # an override (a fold's own fit, the discretion dial) is not the fitted value: no claim is made
    assert "校准" not in Resolver(fitted, "theft", day, (), {pid: 10.0}).cite("increment.large.amount")
    unfitted = dataclasses.replace(book, calibration={})
    assert "校准" not in Resolver(unfitted, "theft", day, (), {}).cite("increment.large.amount")
    # a province with its own fitted overlay names its own count
    overlay = dataclasses.replace(book.parameters[pid], overlays={"浙江省": book.parameters[pid].values})
    fitted.parameters[pid] = overlay
    local = Resolver(fitted, "theft", day, ("浙江省",), {}).cite("increment.large.amount")
    assert "浙江省取值依 95 名被告人" in local


def test_crime_rules_read_only_their_own_parameters(monkeypatch) -> None:
    """The compiled-rule cache keys a crime's rules by that crime's overrides only; this keeps that true."""
    import datetime as dt

    from leniency.law.loader import load_rulebook
    from leniency.sentencing import compiled

    book = load_rulebook()
    read: set[tuple[str, str]] = set()
    original = compiled.Resolver.parameter

    def logged(self, ref):
        parameter = original(self, ref)
        read.add((self.prefix, parameter.id))
        return parameter

    monkeypatch.setattr(compiled.Resolver, "parameter", logged)
    cache = compiled.RuleCache(book)
    for charge in book.crimes:
        for regions in ((), ("浙江省",), ("广东省", "广东省一类")):
            cache.crime(charge, dt.date(2022, 1, 1), regions, ())
    assert read and all(pid.startswith(prefix + ".") for prefix, pid in read)
