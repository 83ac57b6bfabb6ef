"""Procedural law of the plea procedure as pure functions over data (no Django).

- ``eligibility``: which procedure (fast_track / summary / ordinary) or discretionary non_prosecution
  the law allows for a defendant, with the legal reasons;
- ``deadlines``: periods computed by law, with overdue flags;
- ``holidays``: the 节假日 calendar (State Council arrangements per year) that 第105条第3款 moves last days past;
- ``departure``: whether a prosecutor's recommendation departs from the engine's range and needs a
  written reason or a supervisor's approval (the power list).

All numbers live in ``data/procedure.yaml`` (holidays in ``data/holidays.yaml``) with their citations.
"""

from leniency.procedure.deadlines import Deadline, add_days, add_months, compute_deadlines, in_custody_from_measure
from leniency.procedure.departure import DepartureCheck, check_departure
from leniency.procedure.eligibility import CaseProfile, Eligibility, ProcedureSuggestion, suggest_procedure
from leniency.procedure.holidays import HolidayCalendar, HolidayCalendarError, load_calendar
from leniency.procedure.rules import ProcedureRules, load_rules

__all__ = [
    "CaseProfile",
    "Deadline",
    "DepartureCheck",
    "Eligibility",
    "HolidayCalendar",
    "HolidayCalendarError",
    "ProcedureRules",
    "ProcedureSuggestion",
    "add_days",
    "add_months",
    "check_departure",
    "compute_deadlines",
    "in_custody_from_measure",
    "load_calendar",
    "load_rules",
    "suggest_procedure",
]
