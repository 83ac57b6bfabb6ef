"""Structured facts of each defendant of a judgment, and the index document built from them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leniency.judgments.index import IndexDoc, IndexedDefendant
from leniency.judgments.records import DefendantRecord, JudgmentRecord
from leniency.judgments.summary import FactSummary, summarize_facts

Extractor = Callable[[str, str, list[str]], Any]


def default_extractor() -> Extractor | None:
    """`leniency.extraction.extract` when that package provides it, else None (facts stay empty)."""
    try:
        from leniency.extraction import extract
    except ImportError:
        return None
    return extract


def defendant_facts(record: JudgmentRecord, defendant: DefendantRecord, extractor: Extractor | None) -> dict:
    """The `Facts`-shaped dict of one defendant; {} for units, without an extractor, or if it fails."""
    if extractor is None or defendant.is_unit or not defendant.charges:
        return {}
    try:
        return dict(extractor(record.case_text, defendant.name, list(defendant.charges)).facts or {})
    except Exception:  # one odd text must not stop an import; the extractor promises not to raise anyway
        return {}


def index_doc(record: JudgmentRecord, facts: list[dict]) -> IndexDoc:
    defendants = []
    for defendant, item in zip(record.defendants, facts):
        summary = summarize_facts(item) if item else FactSummary()
        defendants.append(
            IndexedDefendant(
                name=defendant.name,
                charges=defendant.charges,
                outcome=defendant.outcome.to_dict(),
                probation_known=defendant.probation_known,
                combined_with_prior=defendant.combined_with_prior,
                summary=summary,
            )
        )
    return IndexDoc(**index_header(record), defendants=defendants)


def index_header(judgment) -> dict:
    """The judgment-level fields of an index document, from a `JudgmentRecord` or the stored `Judgment` row
    (both name them alike)."""
    return {
        "doc_id": judgment.doc_id,
        "text": judgment.facts,
        "title": judgment.title or judgment.case_number,
        "source": judgment.source,
        "province": judgment.province,
        "court_level": judgment.court_level,
        "year": judgment.year,
        "procedure": judgment.procedure,
    }
