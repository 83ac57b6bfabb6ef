"""Features from the rules: what the engine says about the extracted facts at both ends of the discretion dial.

The statutory bracket and the engine's most lenient and most severe answer carry the law's structure (amount
thresholds per province, brackets, 减轻 below the floor) that a tree model would otherwise have to learn from few
cases. Only the dial's bounds are used, never the calibrated middle, and the engine runs with the rule data's
pre-calibration values, so features of a cross-validation test fold never carry values fitted on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from leniency.judgments import discretion as dial

RULE_FEATURE_NAMES = (
    "r_log_lenient",
    "r_log_severe",
    "r_log_statutory_low",
    "r_log_statutory_high",
    "r_type_lenient",
    "r_computed",
)
_TYPE_CODES = {"fixed_term": 1, "detention": 2, "control": 3, "exempt": 4, "fine_only": 5, "life": 6, "death": 7}
LIFE_MONTHS = 400.0  # stands for life and death on the log scale, above any fixed term (最高 25 年 = 300 个月)


def _log_term(sentence) -> float:
    if sentence.type in ("life", "death"):
        return math.log1p(LIFE_MONTHS)
    if sentence.type in ("exempt", "fine_only"):
        return 0.0
    return math.log1p(sentence.months)


def rule_features(facts: Mapping[str, Any]) -> np.ndarray:
    """One row of `RULE_FEATURE_NAMES`; NaN (and r_computed 0) when the engine cannot compute the facts."""
    from leniency.law.loader import load_rulebook
    from leniency.sentencing import recommend

    missing = np.full(len(RULE_FEATURE_NAMES), np.nan, dtype=np.float32)
    missing[-1] = 0.0
    if not facts.get("charges"):
        return missing
    book = load_rulebook()
    reference = book.pre_calibration_for(facts.get("province"))
    try:
        found = dial.dial_for(book, facts, reference)
        ends = [found.values(step) if found else {} for step in (0, dial.STEPS)]
        lenient = recommend(facts, params={**reference, **ends[0]} or None)
        severe = recommend(facts, params={**reference, **ends[1]} or None)
    except (ValueError, KeyError):  # FactsError is a ValueError: the rules cannot compute these facts
        return missing
    lows = [c.statutory_range[0] for c in lenient.charges] or [0]
    highs = [c.statutory_range[1] if c.statutory_range[1] is not None else LIFE_MONTHS for c in lenient.charges]
    return np.asarray(
        [
            _log_term(lenient.sentence),
            _log_term(severe.sentence),
            math.log1p(max(lows)),
            math.log1p(max(highs or [0])),
            _TYPE_CODES.get(lenient.sentence.type, 0),
            1.0,
        ],
        dtype=np.float32,
    )
