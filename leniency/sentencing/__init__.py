"""The sentencing engine (pure Python, no Django): facts in, cited recommendation out."""

from leniency.sentencing.engine import recommend
from leniency.sentencing.errors import FactsError
from leniency.sentencing.facts import ChargeFacts, Circumstances, Facts, parse_facts
from leniency.sentencing.result import ChargeResult, Recommendation, Sentence, TraceStep

__all__ = [
    "ChargeFacts",
    "ChargeResult",
    "Circumstances",
    "Facts",
    "FactsError",
    "Recommendation",
    "Sentence",
    "TraceStep",
    "parse_facts",
    "recommend",
]
