"""The systems compared by the cross-validation, sharing one set of extracted facts per run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from leniency.judgments.calibration import Calibration, calibrate
from leniency.judgments.empirical.model import EmpiricalModel, extracted_facts
from leniency.judgments.evaluation.gold import GoldCase
from leniency.judgments.evaluation.metrics import NO_ANSWER, Predicted
from leniency.judgments.predict import CalibratedParams, Pipeline


class FactsCache:
    """Extracted facts by case id; extraction reads only the text, so sharing it across folds leaks nothing."""

    def __init__(self) -> None:
        self.facts: dict[str, dict[str, Any]] = {}

    def __call__(self, case: GoldCase) -> dict[str, Any]:
        found = self.facts.get(case.id)
        if found is None:
            found = self.facts[case.id] = extracted_facts(case)
        return found

    def many(self, cases: Sequence[GoldCase]) -> list[dict[str, Any]]:
        return [self(c) for c in cases]

    def province(self, case: GoldCase) -> str | None:
        from leniency.law.loader import load_rulebook

        value = self(case).get("province")
        return load_rulebook().province(str(value)) if value else None


def fit_empirical(train: Sequence[GoldCase], cache: FactsCache) -> EmpiricalModel:
    return EmpiricalModel().fit(train, cache.many(train))


def empirical_predictions(model: EmpiricalModel, cases: Sequence[GoldCase], cache: FactsCache) -> list[Predicted]:
    return [o.as_predicted() for o in model.opinions(cases, cache.many(cases))]


def fit_calibration(train: Sequence[GoldCase], cache: FactsCache, source: str = "") -> Calibration:
    return calibrate(train, cache, province_of=cache.province, source=source)


def pipeline_predictions(
    cases: Sequence[GoldCase], params: CalibratedParams, model: EmpiricalModel | None
) -> tuple[list[Predicted], list[Mapping[str, Any]]]:
    """The platform's answers (NO_ANSWER for an error line) and the raw output lines."""
    pipeline = Pipeline(params=params, model=model)
    outputs = pipeline.predict_many([c.predict_input() for c in cases])
    predicted = [Predicted.from_sentence(o["sentence"]) if "sentence" in o else NO_ANSWER for o in outputs]
    return predicted, outputs
