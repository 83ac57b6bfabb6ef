"""Calibration: deterministic fits inside the rule bounds, written into (a copy of) the rule data."""

from __future__ import annotations

import dataclasses

import pytest

from leniency.judgments.calibration import METHOD_ID, Calibration, Fit, calibrate, write_calibration
from leniency.judgments.evaluation.systems import FactsCache
from leniency.judgments.predict import CalibratedParams
from leniency.law.loader import DATA_DIR, load_rulebook, read_rulebook
from tests.conftest import uncalibrated_rules
from tests.judgments.engine_gold import engine_gold, pre_calibration
from tests.judgments.evaluation.synthetic import synthetic_cases


@pytest.fixture(scope="module")
def theft_cases():
    return [c for c in synthetic_cases(150, seed=11) if c.charges == ("盗窃罪",)]


def test_calibration_is_reproducible_and_bounded(theft_cases):
    first = calibrate(theft_cases, FactsCache())
    second = calibrate(theft_cases, FactsCache())
    assert [(f.parameter, f.value, f.n, f.error) for f in first.fits] == [
        (f.parameter, f.value, f.n, f.error) for f in second.fits
    ]
    theft = [f for f in first.fits if f.parameter == "theft.starting_point.position"]
    assert theft, "the theft position must be fitted from 100 theft defendants"
    fit = theft[0]
    low, high = load_rulebook().parameters[fit.parameter].bounds
    assert low <= fit.value <= high
    assert fit.error <= fit.default_error  # never worse than the shipped value on the fitting data
    assert fit.n >= 30
    assert first.params().national[fit.parameter] == fit.value


def test_write_calibration_into_rule_data(tmp_path):
    data = uncalibrated_rules(tmp_path / "data")
    calibration = Calibration(
        fits=[
            Fit("theft.starting_point.position", 0.7, 0.3, 120, 0.41, 0.55),
            Fit("theft.starting_point.position", 0.9, 0.3, 90, 0.38, 0.44, province="浙江省"),
            Fit("general.combined.position", 0.4, 0.5, 300, 0.6, 0.62),
        ],
        date="2026-11-22",
        source="sentencing.dev.jsonl.xz",
    )
    before = read_rulebook(data)
    written = write_calibration(calibration, data)
    # a run defines the whole calibration: values an earlier run fitted and this one did not go back to `previous`
    reverted = {
        pid: record["previous"]
        for pid, record in before.calibration.items()
        if pid not in {"theft.starting_point.position", "general.combined.position"}
    }
    assert {"theft.yaml", "general.yaml"} <= {p.name for p in written}
    book = read_rulebook(data)
    for pid, previous in reverted.items():
        assert book.parameters[pid].default == previous, pid
        assert pid not in book.calibration
    parameter = book.parameters["theft.starting_point.position"]
    import datetime as dt

    day = dt.date(2024, 1, 1)
    assert parameter.at(day) == 0.7
    assert parameter.at(day, ("浙江省",)) == 0.9
    assert book.parameters["general.combined.position"].at(day) == 0.4
    text = (data / "crimes" / "theft.yaml").read_text(encoding="utf-8")
    assert text.startswith("#")  # the header comment survives
    assert "n: 120" in text and "error: 0.41" in text and "2026-11-22" in text
    # unrelated parameters are untouched
    original = read_rulebook(DATA_DIR)
    assert book.parameters["theft.threshold.large"].at(day) == original.parameters["theft.threshold.large"].at(day)


# ------------------------------------------------------------------------------------- reproducibility on real data
def _fit_rows(calibration: Calibration) -> list[tuple]:
    return [(f.parameter, f.province, f.value, f.default, f.n, f.error, f.default_error) for f in calibration.fits]


def test_same_real_data_gives_the_same_numbers(shared_data, monkeypatch) -> None:
    import hashlib

    from leniency.judgments import calibration as module
    from leniency.judgments.evaluation.gold import read_gold

    def province_of(case):
        # Few lines of a small slice name their province: split the defendants by a stable hash of their id
        # instead, so that the per-province path runs as well.
        return ("北京市", "上海市", "浙江省")[int(hashlib.sha256(case.id.encode()).hexdigest(), 16) % 3]

    monkeypatch.setattr(module, "MIN_PROVINCE", 40)
    cases = list(read_gold(shared_data / "sentencing.dev.jsonl.xz", limit=2000))
    first = calibrate(cases, FactsCache(), province_of=province_of)
    # A fresh extraction and the defendants in the opposite order: the fit must not depend on either.
    second = calibrate(list(reversed(cases)), FactsCache(), province_of=province_of)
    assert _fit_rows(first) == _fit_rows(second)
    assert len([f for f in first.fits if f.province is None]) >= 5
    assert any(f.province for f in first.fits)
    assert first.params() == second.params()


def test_calibrate_command_is_reproducible_across_processes(shared_data, tmp_path) -> None:
    """Another interpreter with another hash seed prints the same fitted values as this one."""
    import json
    import os
    import subprocess
    import sys

    from leniency.judgments.evaluation.gold import read_gold

    data = shared_data / "sentencing.dev.jsonl.xz"
    cache = FactsCache()
    here = calibrate(list(read_gold(data, limit=1000)), cache, province_of=cache.province)
    out = tmp_path / "params.json"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    entry = "import sys; from leniency.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", entry, "calibrate", "--dry-run", "--limit", "1000"]
    done = subprocess.run(
        [*command, "--data", str(data), "--params-out", str(out)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    there = json.loads(out.read_text(encoding="utf-8"))
    assert {"national": there["national"], "provinces": there["provinces"]} == here.params().to_json()
    assert here.fits and there["national"]


# ------------------------------------------------------------------------------------------------- no leakage
@pytest.fixture
def rules_in_force(monkeypatch):
    """Point the loader and the engine at another rule data directory for one test."""
    from leniency.law import loader
    from leniency.sentencing import engine

    def use(directory):
        monkeypatch.setattr(loader, "DATA_DIR", directory)
        loader.load_rulebook.cache_clear()
        monkeypatch.setattr(engine, "_cache", None)

    yield use
    loader.load_rulebook.cache_clear()


def _sentences(facts_list, params=None):
    from leniency.sentencing import recommend

    out = []
    for facts in facts_list:
        s = recommend(facts, params=params).sentence
        out.append((s.type, s.months, tuple(s.range), s.probation, s.fine))
    return out


def _citations(facts, params=None) -> list[tuple[str, str]]:
    from leniency.sentencing import recommend

    return [(step.rule_id, step.citation) for step in recommend(facts, params=params).trace]


def test_values_fitted_on_all_data_never_reach_a_fold(tmp_path, theft_cases, rules_in_force) -> None:
    import datetime as dt

    from leniency.law.writer import FittedValue, Provenance, write_fitted_values

    cache = FactsCache()
    reference = calibrate(theft_cases, cache)  # the repository's data, before any calibration
    sample = [{**cache(c), "province": "浙江省"} for c in theft_cases[:25]]
    expected = _sentences(sample, reference.params().for_province("浙江省"))
    citations = _citations(sample[0], reference.params().for_province("浙江省"))

    # The repository after `leniency calibrate` on all data: fitted values that differ from the fold's.
    data = uncalibrated_rules(tmp_path / "data")
    full = [
        FittedValue("theft.starting_point.position", 1.0, 5000, 0.3, 0.5),
        FittedValue("theft.starting_point.position", 0.0, 900, 0.3, 0.5, province="浙江省"),
        FittedValue("theft.increment.large.amount", 100, 5000, 0.3, 0.5),
        FittedValue("general.combined.position", 0.9, 5000, 0.3, 0.5),
    ]
    write_fitted_values(full, Provenance(dt.date(2026, 11, 22), "全部开发数据", METHOD_ID), data)
    rules_in_force(data)
    book = load_rulebook()
    assert book.parameters["theft.starting_point.position"].default == 1.0  # the written data are in force
    assert _sentences(sample) != expected  # …and change the engine when nothing masks them
    noted = dict(_citations(sample[0]))
    assert "5000 名被告人的判决校准" in noted["theft.increment.large.amount"]  # the trace names the calibration

    fold = calibrate(theft_cases, FactsCache())
    assert _fit_rows(fold) == _fit_rows(reference)  # same start (calibration.previous), same numbers
    params = fold.params()
    increment = [f for f in fold.fits if f.parameter == "theft.increment.large.amount"]
    assert increment and increment[0].default == 24  # fitted on the fold from the previous value, not from 100
    assert (
        params.national["theft.increment.large.amount"] == reference.params().national["theft.increment.large.amount"]
    )
    assert params.national["general.combined.position"] == 0.5  # not fitted on the fold: the previous value
    assert _sentences(sample, params.for_province("浙江省")) == expected
    # Under the fold's values the trace cites the documents only, not the calibration on all data.
    assert _citations(sample[0], params.for_province("浙江省")) == citations


# ------------------------------------------------------------------------------- what is fitted, and on whom
def test_fitted_parameters_cover_every_kind_the_issue_names() -> None:
    from leniency.judgments.calibration import POINT_SHARE, fitted_parameters

    targets = fitted_parameters()
    ids = [t.id for t in targets]
    assert len(ids) == len(set(ids))
    book = load_rulebook()
    for pid in ids:
        assert book.parameters[pid].calibrated and book.parameters[pid].bounds
    # positions, increments per amount / act / injury / gram, ratio points, plea stages, the range placement
    for pid in (
        "theft.starting_point.position",
        "dangerous_driving.starting_point.position.drunk",
        "theft.increment.large.amount",
        "theft.increment.act",
        "injury.increment.minor_person",
        "drug_trafficking.increment.small",
        "theft.adjustment.repeated_acts.point",
        "general.circumstance.surrender.point",
        "general.plea.stage.prosecution_review",
        "general.combined.position",
        "general.outside.starting_point_position",
    ):
        assert pid in ids, pid
    assert ids[-1] == POINT_SHARE and targets[-1].interval
    # the unit an increment counts in, fines, thresholds and the widths themselves (legal limits) are not fitted
    for pid in ids:
        assert not pid.endswith("_unit") and ".fine." not in pid and ".threshold." not in pid
        assert not pid.startswith("general.width.") or pid == POINT_SHARE
    provincial = {t.id for t in targets if t.provincial}
    assert "theft.increment.huge.amount" in provincial and "theft.starting_point.position" in provincial
    assert not any(pid.startswith("general.") for pid in provincial)
    assert fitted_parameters() == targets  # a fixed order


def _engine_cases(count: int, truth_of, seed: int = 5):
    """Theft defendants whose gold sentence is the engine's at known values (``truth_of(facts)``)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    facts, cases = {}, []
    for i in range(count):
        # two thirds in the 数额较大 tier, one third in the 数额巨大 tier; every other defendant surrendered
        amount = float(rng.integers(35, 300) * 100) if i % 3 else float(rng.integers(100, 390) * 1000)
        item = {"defendant": "张某", "charges": [{"charge": "盗窃罪", "amount": amount}]}
        item["circumstances"] = {"surrender": bool(i % 2)}
        if i % 4 == 3:
            item["province"] = "浙江省"
        # the truth differs from the values before calibration only where the test says so (calibration starts there)
        case_id = f"engine:{i}#1"
        facts[case_id] = item
        cases.append(engine_gold(case_id, item, truth_of(item)))
    return cases, facts


def test_coordinate_descent_recovers_known_increments_and_ratio_points() -> None:
    truth = {"theft.increment.huge.amount": 36.0, "general.circumstance.surrender.point": -0.12}
    cases, facts = _engine_cases(150, lambda item: truth)
    result = calibrate(cases, lambda case: facts[case.id])
    fits = {f.parameter: f for f in result.fits if f.province is None}
    for pid, value in truth.items():
        assert fits[pid].value == value, pid
        assert fits[pid].error == 0 < fits[pid].default_error
    assert fits["theft.starting_point.position"].value == 0.3  # already right: kept
    # Each value is fitted only on the defendants it can affect: the 数额巨大 tier, those who surrendered.
    huge = {c.id for c in cases if facts[c.id]["charges"][0]["amount"] >= 100000}
    assert set(fits["theft.increment.huge.amount"].cases) == huge
    assert fits["theft.increment.huge.amount"].n == len(huge)
    surrendered = {c.id for c in cases if facts[c.id]["circumstances"]["surrender"]}
    assert set(fits["general.circumstance.surrender.point"].cases) == surrendered
    assert result.params().national["theft.increment.huge.amount"] == 36.0


def test_increments_are_fitted_per_province_where_data_allow(monkeypatch) -> None:
    from leniency.judgments import calibration as module

    monkeypatch.setattr(module, "MIN_PROVINCE", 20)
    pid = "theft.increment.huge.amount"

    def truth_of(item):
        return {pid: 84.0 if item.get("province") == "浙江省" else 36.0}

    cases, facts = _engine_cases(300, truth_of, seed=7)
    result = calibrate(cases, lambda case: facts[case.id], province_of=lambda case: facts[case.id].get("province"))
    params = result.params()
    assert params.for_province("浙江省")[pid] == 84.0 and params.for_province("北京市")[pid] == 36.0
    local = [f for f in result.fits if f.province == "浙江省" and f.parameter == pid]
    assert local and local[0].n >= 20 and local[0].error == 0 < local[0].default_error
    # ratio points and the range placement stay national
    assert all(f.parameter.startswith("theft.") for f in result.fits if f.province)


def test_range_placement_is_fitted_on_the_winkler_score(monkeypatch) -> None:
    from leniency.judgments import calibration as module
    from leniency.judgments.evaluation.metrics import Predicted, winkler_s
    from leniency.sentencing import recommend

    cases, facts = _engine_cases(90, lambda item: {})
    # The court always gave the top of a range that starts at the point (the engine's point + the full width).
    shifted = []
    for case in cases:
        sentence = recommend(facts[case.id], params=pre_calibration()).sentence
        width = sentence.range[1] - sentence.range[0]
        shifted.append(dataclasses.replace(case, months=float(sentence.months + width)))
    point_share = [t for t in module.fitted_parameters() if t.id == module.POINT_SHARE]
    monkeypatch.setattr(module, "fitted_parameters", lambda book=None: point_share)
    result = calibrate(shifted, lambda case: facts[case.id])
    (fit,) = result.fits
    assert fit.parameter == module.POINT_SHARE and fit.value == 0.0 and fit.default == 0.5
    by_id = {c.id: c for c in shifted}
    scores = []
    for case_id in fit.cases:
        s = recommend(facts[case_id], params={**pre_calibration(), module.POINT_SHARE: 0.0}).sentence
        predicted = Predicted.from_sentence({"type": s.type, "months": s.months, "range": s.range})
        scores.append(winkler_s(by_id[case_id], predicted))
    assert fit.n == len(scores) >= 30
    assert fit.error == round(1 - sum(scores) / len(scores), 4) < fit.default_error


def test_values_keep_to_the_orderings_of_the_rule_data():
    from leniency.judgments.calibration import _Fitter, orderings

    book = load_rulebook()
    stages = ("appeal_trial", "trial", "prosecution_review", "investigation")
    sequence = tuple(f"general.plea.stage.{s}" for s in stages)
    assert sequence in orderings(book)
    fitter = _Fitter([], CalibratedParams({pid: v for pid, v in zip(sequence, (0.05, 0.1, 0.2, 0.3))}), book)
    assert fitter.allowed("general.plea.stage.trial") == (0.05, 0.2)
    assert fitter.allowed("general.plea.stage.investigation") == (0.2, float("inf"))
    assert fitter.allowed("theft.starting_point.position") == (float("-inf"), float("inf"))
