"""Synthetic gold cases whose sentence is the engine's own at known parameter values (calibration must recover them)."""

from __future__ import annotations

from leniency.judgments.evaluation.gold import GoldCase
from leniency.law.loader import load_rulebook
from leniency.sentencing import recommend


def pre_calibration() -> dict[str, float]:
    """The national values before calibration: where calibration starts."""
    return dict(load_rulebook().pre_calibration()[0])


def engine_gold(case_id: str, item: dict, truth: dict[str, float]) -> GoldCase:
    """The gold case of ``item`` sentenced by the engine with ``truth`` over the pre-calibration values."""
    sentence = recommend(item, params={**pre_calibration(), **truth}).sentence
    return GoldCase(
        id=case_id,
        doc_id=case_id.split("#")[0],
        source="synthetic",
        charges=tuple(charge["charge"] for charge in item["charges"]),
        type=sentence.type,
        months=float(sentence.months) if sentence.type not in ("life", "death") else None,
        probation=None,
        fine=None,
        fact="",
        defendant=item["defendant"],
    )
