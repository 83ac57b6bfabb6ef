"""Result types of the extractor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """One extracted value and where it was read: `text == input[start:end]`."""

    field: str
    value: Any
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Extraction:
    """Facts read from a case text for one defendant.

    `fields` holds the flat extracted values (see `FIELDS` in `leniency.extraction.fields`); `facts`
    is the same information shaped for the sentencing engine's `Facts` model.
    """

    defendant: str
    charges: list[str]
    fields: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_facts(self):
        """The engine's `Facts` (raises the engine's `FactsError` if the engine rejects them)."""
        from leniency.sentencing import Facts

        return Facts.model_validate(self.facts)

    def evidence_for(self, name: str) -> list[Evidence]:
        return [e for e in self.evidence if e.field == name]
