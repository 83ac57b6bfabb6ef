"""Calibration fits the life/death thresholds (``<crime>.heavier.*``) like every other calibrated parameter."""

from __future__ import annotations

import pytest

from leniency.judgments import calibration as module
from leniency.judgments.calibration import calibrate, fitted_parameters, orderings
from leniency.law.loader import load_rulebook
from leniency.sentencing import recommend
from tests.judgments.engine_gold import engine_gold, pre_calibration

LIFE = "drug_trafficking.heavier.life.at_least"
DEATH = "drug_trafficking.heavier.death.at_least"
LIFE_LENIENCY = "drug_trafficking.heavier.life.leniency_max"
DEATH_LENIENCY = "drug_trafficking.heavier.death.leniency_max"
TRUTH = {LIFE: 1000.0, DEATH: 4500.0, LIFE_LENIENCY: 0.3, DEATH_LENIENCY: 0.3}


def _drug_cases(count: int):
    """Trafficking defendants from 60 g to about 6 kg of methamphetamine, every third one having confessed, whose
    gold sentence is the engine's at the thresholds ``TRUTH``."""
    facts, cases = {}, []
    for i in range(count):
        grams = 60.0 + i * 6000.0 / count
        item = {"defendant": "张某", "charges": [{"charge": "走私、贩卖、运输、制造毒品罪", "drugs": [{"type": "methamphetamine", "grams": grams}]}]}  # fmt: skip
        if i % 3 == 1:
            item["circumstances"] = {"confession": "ordinary"}
        case_id = f"drug:{i}#1"
        facts[case_id] = item
        cases.append(engine_gold(case_id, item, TRUTH))
    return cases, facts


def test_heavier_thresholds_are_fitted_national_whole_and_ordered() -> None:
    targets = {t.id: t for t in fitted_parameters()}
    for crime in ("drug_trafficking", "injury", "robbery", "fraud", "contract_fraud", "fundraising_fraud"):
        assert f"{crime}.heavier.life.at_least" in targets and f"{crime}.heavier.life.leniency_max" in targets
        assert not targets[f"{crime}.heavier.life.at_least"].provincial
    assert targets["injury.heavier.life.at_least"].integer and not targets[LIFE].integer
    assert (LIFE, DEATH) in orderings(load_rulebook())


@pytest.fixture(scope="module")
def fitted():
    cases, facts = _drug_cases(240)
    assert {c.type for c in cases} >= {"fixed_term", "life", "death"}
    only_heavier = [t for t in fitted_parameters() if t.id.startswith("drug_trafficking.heavier.")]
    patch = pytest.MonkeyPatch()
    patch.setattr(module, "fitted_parameters", lambda book=None: only_heavier)
    try:
        result = calibrate(cases, lambda case: facts[case.id], source="synthetic")
    finally:
        patch.undo()
    return result, cases, facts


def test_calibration_recovers_known_thresholds(fitted) -> None:
    result, cases, facts = fitted
    fits = {f.parameter: f for f in result.fits}
    assert fits[LIFE].value == TRUTH[LIFE] and fits[DEATH].value == TRUTH[DEATH]
    for pid in (LIFE, DEATH):
        low, high = load_rulebook().parameters[pid].bounds
        assert low <= fits[pid].value <= high
        assert fits[pid].n >= module.MIN_CASES and fits[pid].error == 0 < fits[pid].default_error
        assert fits[pid].default == pre_calibration().get(pid, load_rulebook().parameters[pid].default)
    # the fitted thresholds reproduce every gold sentence type
    params = {**pre_calibration(), **result.params().national}
    for case in cases:
        assert recommend(facts[case.id], params=params).sentence.type == case.type, case.id


def test_calibration_learns_that_some_leniency_is_tolerated(fitted) -> None:
    result, _, _ = fitted
    fits = {f.parameter: f for f in result.fits}
    # by default any leniency excludes life and death; the confessed defendants got them all the same
    assert 0 < fits[LIFE_LENIENCY].value <= 0.5 and fits[LIFE_LENIENCY].error < fits[LIFE_LENIENCY].default_error
