"""Scores of a sentence recommendation against the court's sentence.

Definitions (issue 4, "Honest evaluation"):
- CAIL2018 prison-term score: v = |ln(y+1) − ln(ŷ+1)| scored 1 / 0.8 / 0.6 / 0.4 / 0.2 / 0 at
  v ≤ 0.2 / 0.4 / 0.6 / 0.8 / 1.0 / above; life (−1) and death (−2) score 1 on an exact match only.
- Winkler interval score with α = 0.2 for the range [l, u]: W = (u − l) + (2/α)·(l − y) if y < l,
  + (2/α)·(y − u) if y > u; per case s = 1 / (1 + W/10). Life/death: s = 1 on a type match, else 0.
- Range hit (l ≤ y ≤ u), mean width u − l, exact / ±1 month / ±20 % points, mean absolute error in months
  (term sentences on both sides), sentence-type accuracy (gold type known), probation accuracy (gold 缓刑 known).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from leniency.judgments.evaluation.gold import GoldCase, normalise_type, term_of

ALPHA = 0.2
CAIL_STEPS = ((0.2, 1.0), (0.4, 0.8), (0.6, 0.6), (0.8, 0.4), (1.0, 0.2))


@dataclass(frozen=True)
class Predicted:
    """A recommended sentence in the platform's output shape."""

    type: str
    months: float
    low: float
    high: float
    probation: bool | None = None
    fine: int | None = None

    @property
    def term(self) -> float:
        return term_of(self.type, self.months)

    @classmethod
    def from_sentence(cls, sentence: Mapping[str, Any]) -> Predicted:
        """Read ``{"type", "months", "range", "probation", "fine"}`` as written by `leniency predict`."""
        sentence_type = normalise_type(sentence.get("type"))
        months = sentence.get("months") or 0
        if sentence_type in ("exempt", "fine_only"):
            months = 0
        bounds = sentence.get("range") or [months, months]
        low, high = float(bounds[0]), float(bounds[1])
        if sentence_type in ("exempt", "fine_only"):
            low = high = 0.0
        return cls(
            type=sentence_type,
            months=float(months),
            low=min(low, high),
            high=max(low, high),
            probation=sentence.get("probation"),
            fine=sentence.get("fine"),
        )


def cail_score(gold_term: float, pred_term: float) -> float:
    if gold_term < 0 or pred_term < 0:
        return 1.0 if gold_term == pred_term else 0.0
    v = abs(math.log(gold_term + 1) - math.log(pred_term + 1))
    for limit, score in CAIL_STEPS:
        if v <= limit + 1e-12:
            return score
    return 0.0


def winkler(y: float, low: float, high: float, alpha: float = ALPHA) -> float:
    width = high - low
    if y < low:
        return width + (2 / alpha) * (low - y)
    if y > high:
        return width + (2 / alpha) * (y - high)
    return width


def winkler_s(gold: GoldCase, pred: Predicted) -> float:
    if not gold.is_term or pred.type in ("life", "death"):
        return 1.0 if gold.type == pred.type else 0.0
    return 1.0 / (1.0 + winkler(gold.term, pred.low, pred.high) / 10.0)


def in_range(gold: GoldCase, pred: Predicted) -> bool:
    if not gold.is_term or pred.type in ("life", "death"):
        return gold.type == pred.type
    return pred.low <= gold.term <= pred.high


@dataclass(frozen=True)
class CaseScore:
    """Every per-case number the tables average."""

    id: str
    charges: tuple[str, ...]
    cail: float
    winkler_s: float
    hit: bool
    width: float | None  # None when either side is life/death
    exact: bool
    within_1: bool
    within_20pct: bool
    abs_error: float | None
    type_correct: bool | None  # None: gold type unknown
    probation_correct: bool | None  # None: gold probation unknown or not predicted


NO_ANSWER = Predicted(type="unknown", months=0, low=0, high=0)


def score_case(gold: GoldCase, pred: Predicted) -> CaseScore:
    """Score one prediction; a prediction of type "unknown" is no answer and scores zero everywhere."""
    if pred.type == "unknown":
        return CaseScore(
            id=gold.id,
            charges=gold.charges,
            cail=0.0,
            winkler_s=0.0,
            hit=False,
            width=None,
            exact=False,
            within_1=False,
            within_20pct=False,
            abs_error=None,
            type_correct=None if gold.type == "unknown" else False,
            probation_correct=None if gold.probation is None else False,
        )
    both_terms = gold.is_term and pred.type not in ("life", "death")
    if both_terms:
        error = abs(gold.term - pred.term)
        exact = error < 0.5
        within_1 = error <= 1.0 + 1e-9
        within_20 = error <= 0.2 * gold.term + 1e-9
    else:
        error = None
        exact = within_1 = within_20 = gold.type == pred.type
    type_correct = None if gold.type == "unknown" else gold.type == pred.type
    probation_correct = None
    if gold.probation is not None and pred.probation is not None:
        probation_correct = bool(pred.probation) == gold.probation
    return CaseScore(
        id=gold.id,
        charges=gold.charges,
        cail=cail_score(gold.term, pred.term),
        winkler_s=winkler_s(gold, pred),
        hit=in_range(gold, pred),
        width=(pred.high - pred.low) if both_terms else None,
        exact=exact,
        within_1=within_1,
        within_20pct=within_20,
        abs_error=error,
        type_correct=type_correct,
        probation_correct=probation_correct,
    )


METRIC_NAMES = {
    "n": "案例数",
    "cail": "CAIL2018 刑期分",
    "winkler_s": "Winkler s (α=0.2)",
    "hit": "幅度命中率",
    "width": "平均幅度宽度(月)",
    "exact": "点刑完全一致",
    "within_1": "点刑±1个月",
    "within_20pct": "点刑±20%",
    "mae": "平均绝对误差(月)",
    "type_accuracy": "刑种准确率",
    "probation_accuracy": "缓刑准确率",
}


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def aggregate(scores: list[CaseScore]) -> dict[str, float | None]:
    """Average the per-case scores; rates are fractions in [0, 1], None when nothing to average."""
    return {
        "n": len(scores),
        "cail": _mean(s.cail for s in scores),
        "winkler_s": _mean(s.winkler_s for s in scores),
        "hit": _mean(float(s.hit) for s in scores),
        "width": _mean(s.width for s in scores if s.width is not None),
        "exact": _mean(float(s.exact) for s in scores),
        "within_1": _mean(float(s.within_1) for s in scores),
        "within_20pct": _mean(float(s.within_20pct) for s in scores),
        "mae": _mean(s.abs_error for s in scores if s.abs_error is not None),
        "type_accuracy": _mean(float(s.type_correct) for s in scores if s.type_correct is not None),
        "probation_accuracy": _mean(float(s.probation_correct) for s in scores if s.probation_correct is not None),
    }


def per_charge(scores: list[CaseScore], min_cases: int = 1) -> dict[str, dict[str, float | None]]:
    """Aggregate per charge; a defendant with several charges counts under each of them."""
    groups: dict[str, list[CaseScore]] = defaultdict(list)
    for score in scores:
        for charge in dict.fromkeys(score.charges):
            groups[charge].append(score)
    table = {charge: aggregate(group) for charge, group in groups.items() if len(group) >= min_cases}
    return dict(sorted(table.items(), key=lambda item: (-item[1]["n"], item[0])))


def prosecutor_range(recommendation: Mapping[str, Any] | None) -> tuple[float, float] | None:
    """The months interval of a parsed prosecutor recommendation (``at_most``: from 0; ``at_least``: no upper end)."""
    if not recommendation:
        return None
    low, high = recommendation.get("low_months"), recommendation.get("high_months")
    if low is None and high is None:
        return None
    bound = recommendation.get("bound")
    if bound == "at_least" or high is None:
        return float(low), math.inf
    if bound == "at_most" or low is None:
        return 0.0, float(high)
    return float(min(low, high)), float(max(low, high))


def prosecutor_record(golds: Iterable[GoldCase]) -> dict[str, float | None]:
    """How often the court's sentence fell inside the prosecutor's recommendation, per bound kind."""
    counts: dict[str, list[bool]] = defaultdict(list)
    for gold in golds:
        interval = prosecutor_range(gold.prosecutor_recommendation)
        if interval is None or not gold.is_term:
            continue
        inside = interval[0] <= gold.term <= interval[1]
        counts["all"].append(inside)
        counts[str(gold.prosecutor_recommendation.get("bound"))].append(inside)
    result: dict[str, float | None] = {}
    for key, values in sorted(counts.items()):
        result[f"n_{key}"] = len(values)
        result[f"inside_{key}"] = _mean(float(v) for v in values)
    return result


def prosecutor_as_prediction(gold: GoldCase) -> Predicted | None:
    """The prosecutor's recommendation read as a prediction (point = middle of a finite interval), if usable.

    ``at_least`` has no upper end and is not scored as a prediction; ``at_most`` runs from 0 months.
    The recommended type is taken when stated, else 有期徒刑 (CAIL masks the penalty names).
    """
    interval = prosecutor_range(gold.prosecutor_recommendation)
    if interval is None or math.isinf(interval[1]):
        return None
    rec = gold.prosecutor_recommendation or {}
    rec_type = normalise_type(rec.get("type"))
    point = (interval[0] + interval[1]) / 2
    if rec_type == "unknown":
        rec_type = "fixed_term" if point >= 6 else "detention"
    return Predicted(
        type=rec_type, months=point, low=interval[0], high=interval[1], probation=rec.get("probation"), fine=None
    )
