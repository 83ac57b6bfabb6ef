"""The bridge to the sentencing engine: the facts as the engine reads them, and its snapshot."""

from __future__ import annotations

import logging
from typing import Any

from leniency.cases.errors import EngineUnavailable, Invalid

log = logging.getLogger(__name__)

PLEA_STAGES = {"investigation", "prosecution_review", "trial", "appeal_trial"}


def facts_with_plea(facts: dict[str, Any], *, plea: bool, stage: str) -> dict[str, Any]:
    """The stored facts with the plea set from the procedure (a withdrawal removes it)."""
    data = dict(facts or {})
    if plea:
        data["plea"] = True
        if data.get("plea_stage") in (None, "none"):
            data["plea_stage"] = stage if stage in PLEA_STAGES else "prosecution_review"
    else:
        data["plea"] = False
        data["plea_stage"] = "none"
    return data


def run_engine(facts: dict[str, Any]) -> dict[str, Any]:
    """Validate the facts and run the engine; returns the JSON snapshot (facts, output, edition)."""
    from leniency.sentencing import FactsError, parse_facts, recommend

    try:
        parsed = parse_facts(facts)
    except FactsError as exc:
        raise Invalid(f"量刑事实（facts）有误：{exc}", field="facts") from None
    try:
        result = recommend(parsed)
    except FactsError as exc:
        raise Invalid(f"量刑事实（facts）有误：{exc}", field="facts") from None
    except NotImplementedError:
        raise EngineUnavailable("量刑引擎暂不可用，无法计算量刑建议。") from None
    except Exception as exc:  # an engine defect must not become a 500 in the middle of a procedure step
        log.exception("sentencing engine failed on stored facts")
        raise Invalid(f"量刑引擎无法根据这些事实计算量刑建议（facts）：{exc}", field="facts") from None
    return {
        "facts": parsed.model_dump(mode="json"),
        "output": result.model_dump(mode="json"),
        "rule_edition": result.rule_edition,
    }


def validate_facts(facts: dict[str, Any]) -> dict[str, Any]:
    from leniency.sentencing import FactsError, parse_facts

    try:
        return parse_facts(facts).model_dump(mode="json", exclude_defaults=True)
    except FactsError as exc:
        raise Invalid(f"量刑事实（facts）有误：{exc}", field="facts") from None
