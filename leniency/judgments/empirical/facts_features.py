"""Numeric features from extracted facts (the dict `leniency.extraction` shapes for the engine's `Facts`).

Read defensively with `.get`: a field the extractor did not find is simply zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

INJURY_WEIGHTS = {
    "slight_injury": ("slight_injuries", 1),
    "minor_injury": ("minor_injuries", 1),
    "minor_injury_2": ("minor_injuries", 1),
    "minor_injury_1": ("minor_injuries", 1),
    "serious_injury": ("serious_injuries", 1),
    "serious_injury_2": ("serious_injuries", 1),
    "serious_injury_1": ("serious_injuries_1", 1),
}

FACT_FEATURE_NAMES = (
    "f_log_amount",
    "f_log_loss",
    "f_acts",
    "f_persons",
    "f_slight_injuries",
    "f_minor_injuries",
    "f_serious_injuries",
    "f_serious_injuries_1",
    "f_deaths",
    "f_disability_grade",
    "f_log_drug_grams",
    "f_n_drug_kinds",
    "f_blood_alcohol",
    "f_n_situations",
    "f_gravity",
    "f_surrender",
    "f_confession",
    "f_in_court_admission",
    "f_meritorious",
    "f_restitution",
    "f_restitution_ratio",
    "f_compensation",
    "f_forgiveness",
    "f_reconciliation",
    "f_recidivism",
    "f_prior_record",
    "f_plea",
    "f_plea_stage",
    "f_role_principal",
    "f_role_accessory",
    "f_attempt",
    "f_age",
    "f_minor",
)

_GRAVITY = {"ordinary": 0, "serious": 1, "especially_serious": 2}
_PLEA_STAGE = {"none": 0, "investigation": 1, "prosecution_review": 2, "trial": 3, "appeal_trial": 4}


def _log(value: Any) -> float:
    try:
        return math.log1p(max(float(value), 0.0))
    except (TypeError, ValueError):
        return 0.0


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def fact_features(facts: Mapping[str, Any] | None) -> np.ndarray:
    """A vector in the order of ``FACT_FEATURE_NAMES`` (all zeros for no facts)."""
    facts = facts or {}
    charges = [c for c in facts.get("charges") or [] if isinstance(c, Mapping)]
    injuries = {"slight_injuries": 0, "minor_injuries": 0, "serious_injuries": 0, "serious_injuries_1": 0}
    drug_grams = 0.0
    drug_kinds = set()
    for charge in charges:
        for injury in charge.get("injuries") or []:
            key = INJURY_WEIGHTS.get(str(injury))
            if key:
                injuries[key[0]] += key[1]
        for drug in charge.get("drugs") or []:
            if isinstance(drug, Mapping):
                drug_grams += _num(drug.get("heroin_equivalent_grams") or drug.get("grams"))
                drug_kinds.add(str(drug.get("type")))
    circ = facts.get("circumstances") or {}
    if not isinstance(circ, Mapping):
        circ = {}
    compensation = str(circ.get("compensation") or "none")
    age = facts.get("age_at_offence")
    row = [
        max((_log(c.get("amount")) for c in charges), default=0.0),
        max((_log(c.get("loss")) for c in charges), default=0.0),
        sum(_num(c.get("acts")) for c in charges),
        sum(_num(c.get("persons")) for c in charges),
        injuries["slight_injuries"],
        injuries["minor_injuries"],
        injuries["serious_injuries"],
        injuries["serious_injuries_1"],
        sum(_num(c.get("deaths")) for c in charges),
        min((_num(c.get("disability_grade")) for c in charges if c.get("disability_grade")), default=0.0),
        _log(drug_grams),
        len(drug_kinds),
        max((_num(c.get("blood_alcohol")) for c in charges), default=0.0),
        sum(len(c.get("situations") or []) for c in charges),
        max((_GRAVITY.get(str(c.get("gravity")), 0) for c in charges), default=0),
        float(bool(circ.get("surrender"))),
        float(str(circ.get("confession") or "none") != "none"),
        float(bool(circ.get("in_court_admission"))),
        {"none": 0.0, "ordinary": 1.0, "major": 2.0}.get(str(circ.get("meritorious_service") or "none"), 0.0),
        float(bool(circ.get("restitution"))),
        _num(circ.get("restitution_ratio")),
        float(compensation in ("compensated_forgiven", "compensated")),
        float(compensation in ("compensated_forgiven", "forgiven")),
        float(bool(circ.get("reconciliation"))),
        float(bool(circ.get("recidivism"))),
        float(bool(circ.get("prior_record"))),
        float(bool(facts.get("plea")) or str(facts.get("plea_stage") or "none") != "none"),
        float(_PLEA_STAGE.get(str(facts.get("plea_stage") or "none"), 0)),
        float(facts.get("role") == "principal"),
        float(facts.get("role") in ("accessory", "coerced")),
        float(facts.get("completion") in ("attempt", "abandonment", "preparation")),
        _num(age) if age is not None else float("nan"),
        float(age is not None and _num(age) < 18),
    ]
    return np.asarray(row, dtype=np.float32)
