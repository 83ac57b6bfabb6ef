"""Law as data (pure Python, no Django): the sentencing rules as cited, dated YAML parameters."""

from leniency.law.loader import (
    CrimeRules,
    RuleBook,
    RuleDataError,
    calibrated_parameters,
    load_rulebook,
    read_rulebook,
)
from leniency.law.parameters import Parameter

__all__ = [
    "CrimeRules",
    "Parameter",
    "RuleBook",
    "RuleDataError",
    "calibrated_parameters",
    "load_rulebook",
    "read_rulebook",
]
