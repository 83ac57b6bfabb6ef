"""Baselines the platform must beat, fitted on the same training folds as the platform itself.

- per-charge median with its interquartile range (the range is [Q1, Q3]);
- the TF-IDF character n-gram linear model (the CAIL2018 baseline's family), with a split-conformal range.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from leniency.judgments.empirical.conformal import residual_band
from leniency.judgments.empirical.text import TextModel, document
from leniency.judgments.evaluation.gold import GoldCase
from leniency.judgments.evaluation.metrics import ALPHA, Predicted
from leniency.sentencing.result import TERM_TYPES


class Predictor(Protocol):
    name: str

    def fit(self, cases: Sequence[GoldCase]) -> Predictor: ...

    def predict(self, cases: Sequence[GoldCase]) -> list[Predicted]: ...


def _charge_key(case: GoldCase) -> str:
    return case.charges[0] if case.charges else ""


def _majority(values: list) -> object:
    return Counter(values).most_common(1)[0][0]


class ChargeMedian:
    """Median sentence of the training defendants with the same (first) charge; range = interquartile range."""

    name = "罪名中位数+四分位距"

    def __init__(self, min_cases: int = 5) -> None:
        self.min_cases = min_cases
        self.table: dict[str, Predicted] = {}
        self.fallback: Predicted | None = None

    @staticmethod
    def _summarise(cases: list[GoldCase]) -> Predicted:
        known_types = [c.type for c in cases if c.type != "unknown"] or ["fixed_term"]
        sentence_type = str(_majority(known_types))
        probations = [c.probation for c in cases if c.probation is not None]
        probation = bool(_majority(probations)) if probations else False
        if sentence_type in ("life", "death"):
            return Predicted(type=sentence_type, months=0, low=0, high=0, probation=False)
        terms = np.asarray([c.term for c in cases if c.is_term], dtype=np.float64)
        if len(terms) == 0:
            return Predicted(type=sentence_type, months=0, low=0, high=0, probation=probation)
        q1, median, q3 = np.percentile(terms, [25, 50, 75])
        return Predicted(
            type=sentence_type,
            months=float(round(median)),
            low=float(round(q1)),
            high=float(round(q3)),
            probation=probation,
        )

    def fit(self, cases: Sequence[GoldCase]) -> ChargeMedian:
        groups: dict[str, list[GoldCase]] = defaultdict(list)
        for case in cases:
            groups[_charge_key(case)].append(case)
        self.table = {key: self._summarise(group) for key, group in groups.items() if len(group) >= self.min_cases}
        self.fallback = self._summarise(list(cases))
        return self

    def predict(self, cases: Sequence[GoldCase]) -> list[Predicted]:
        return [self.table.get(_charge_key(case), self.fallback) for case in cases]


def months_bounds_by_type(cases: Sequence[GoldCase]) -> dict[str, tuple[float, float]]:
    """Smallest and largest months seen per term type in the training data (keeps points plausible)."""
    seen: dict[str, list[float]] = defaultdict(list)
    for case in cases:
        if case.type in TERM_TYPES and case.months:
            seen[case.type].append(case.months)
    return {key: (min(values), max(values)) for key, values in seen.items()}


def assemble(
    sentence_type: str,
    log_point: float,
    band: tuple[float, float],
    probation: bool,
    bounds: dict[str, tuple[float, float]],
) -> Predicted:
    """Turn a log-months estimate and a residual band into a sentence of the chosen type."""
    if sentence_type in ("life", "death"):
        return Predicted(type=sentence_type, months=0, low=0, high=0, probation=False)
    if sentence_type in ("exempt", "fine_only"):
        return Predicted(type=sentence_type, months=0, low=0, high=0, probation=False)
    lowest, highest = bounds.get(sentence_type, (1.0, 300.0))
    point = float(np.clip(np.expm1(log_point), lowest, highest))
    low = float(np.clip(np.expm1(log_point + band[0]), lowest, point))
    high = float(np.clip(np.expm1(log_point + band[1]), point, highest))
    return Predicted(
        type=sentence_type,
        months=float(round(point)),
        low=float(np.floor(low)),
        high=float(np.ceil(high)),
        probation=probation,
    )


class TfidfLinear:
    """TF-IDF character 1–3-grams → logistic type, ridge log-months, conformal 80 % range from a held-out 20 %."""

    name = "TF-IDF 字符n元线性模型"

    def __init__(self, alpha: float = ALPHA, seed: int = 0) -> None:
        self.alpha = alpha
        self.seed = seed
        self.model: TextModel | None = None
        self.band = (0.0, 0.0)
        self.bounds: dict[str, tuple[float, float]] = {}

    def fit(self, cases: Sequence[GoldCase]) -> TfidfLinear:
        cases = list(cases)
        rng = np.random.default_rng(self.seed)
        held = rng.random(len(cases)) < 0.2
        fit_cases = [c for c, h in zip(cases, held) if not h]
        cal_cases = [c for c, h in zip(cases, held) if h and c.is_term and c.term > 0]
        # The band is measured on the held-out fifth, which the model never saw (split conformal).
        self.model = self._fit_model(fit_cases)
        if cal_cases:
            matrix = self.model.transform([document(c.fact, c.defendant, c.charges) for c in cal_cases])
            residuals = np.log1p([c.term for c in cal_cases]) - self.model.log_months(matrix)
            self.band = residual_band(residuals, self.alpha)
        self.bounds = months_bounds_by_type(cases)
        return self

    @staticmethod
    def _fit_model(cases: Sequence[GoldCase]) -> TextModel:
        return TextModel().fit(
            [document(c.fact, c.defendant, c.charges) for c in cases],
            [c.type for c in cases],
            [c.months if c.is_term else None for c in cases],
            [c.probation for c in cases],
        )

    def predict(self, cases: Sequence[GoldCase]) -> list[Predicted]:
        assert self.model is not None, "fit first"
        matrix = self.model.transform([document(c.fact, c.defendant, c.charges) for c in cases])
        classes, proba = self.model.type_proba(matrix)
        log_points = self.model.log_months(matrix)
        probation = self.model.probation_proba(matrix) >= 0.5
        return [
            assemble(classes[int(np.argmax(p))], lp, self.band, bool(pr), self.bounds)
            for p, lp, pr in zip(proba, log_points, probation)
        ]
