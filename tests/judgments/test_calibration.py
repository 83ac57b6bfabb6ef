"""Calibration: deterministic fits inside the rule bounds, written into (a copy of) the rule data."""

from __future__ import annotations

import shutil

import pytest

from leniency.judgments.calibration import Calibration, Fit, calibrate, write_calibration
from leniency.judgments.evaluation.systems import FactsCache
from leniency.law.loader import DATA_DIR, load_rulebook, read_rulebook
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
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    calibration = Calibration(
        fits=[
            Fit("theft.starting_point.position", 0.7, 0.3, 120, 0.41, 0.55),
            Fit("theft.starting_point.position", 0.9, 0.3, 90, 0.38, 0.44, province="浙江省"),
            Fit("general.combined.position", 0.4, 0.5, 300, 0.6, 0.62),
        ],
        date="2026-11-22",
        source="sentencing.dev.jsonl.xz",
    )
    written = write_calibration(calibration, data)
    assert {p.name for p in written} == {"theft.yaml", "general.yaml"}
    book = read_rulebook(data)
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
