"""Periods computed by law, with overdue flags.

Counting follows 刑诉法 第105条: the day a period starts is not counted, so a period of N days that starts
on day D ends at the end of day D+N, and a period of N months ends on the same date N months later
(the last day of that month when it has no such date). A last day that is a 节假日 moves to the first
working day after it (第105条第3款, calendar in ``holidays``), except while the defendant is in custody; when the
record does not say whether the defendant is in custody the period is not extended (the earlier date is safe).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from leniency.procedure.holidays import HolidayCalendar, HolidayShift, apply_holiday_rule
from leniency.procedure.rules import ProcedureRules, load_rules


def add_days(start: date, days: int) -> date:
    return start + timedelta(days=days)


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


@dataclass(frozen=True)
class Deadline:
    kind: str  # prosecution_review | trial | appeal_window | appeal_trial
    label: str
    start: date
    due: date
    citation: str
    explanation: str
    done_on: date | None
    overdue: bool
    days_left: int | None  # None once done
    moved_from: date | None = None  # the last day before 第105条第3款 moved it past a holiday

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("start", "due", "done_on", "moved_from"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def in_custody_from_measure(measure: str | None, rules: ProcedureRules | None = None) -> bool | None:
    """Whether a compulsory measure (强制措施) means 在押; None when there is none or it is not in the data."""
    rules = rules or load_rules()
    table = rules.section("period_counting", "holiday_extension", "in_custody_by_measure")
    value = table.get(measure) if measure else None
    return bool(value) if value is not None else None


def _with_note(text: str, note: str) -> str:
    return f"{text}。{note}" if note else text


def _make(
    kind: str,
    label: str,
    start: date,
    due: date,
    citation: str,
    text: str,
    done_on: date | None,
    today: date,
    shift_rule: Callable[[date], HolidayShift],
) -> Deadline:
    shift = shift_rule(due)
    overdue = (done_on or today) > shift.due
    days_left = None if done_on else (shift.due - today).days
    return Deadline(
        kind,
        label,
        start,
        shift.due,
        citation,
        _with_note(text, shift.note),
        done_on,
        overdue,
        days_left,
        shift.moved_from,
    )


def _fast_days(section: dict, possible_sentence_months: int) -> tuple[int, str]:
    if possible_sentence_months > int(section["extension_threshold_months"]):
        return int(section["extended_days"]), "（可能判处的有期徒刑超过一年，按延长后的期限计）"
    return int(section["days"]), ""


def compute_deadlines(
    *,
    procedure: str,
    possible_sentence_months: int,
    today: date,
    review_received: date | None = None,
    review_done: date | None = None,
    review_extended: bool = False,
    trial_received: date | None = None,
    judgment_date: date | None = None,
    trial_extended: bool = False,
    judgment_served: date | None = None,
    appeal_filed: date | None = None,
    appeal_trial_received: date | None = None,
    second_instance_done: date | None = None,
    in_custody: bool | None = None,
    rules: ProcedureRules | None = None,
    holiday_calendar: HolidayCalendar | None = None,
) -> list[Deadline]:
    """Every period that has started for one defendant, in procedural order.

    ``in_custody``: True while the defendant is 在押 (no holiday extension), False when not, None when unknown
    (treated like custody: not extended, and the text says why).
    """
    rules = rules or load_rules()
    out: list[Deadline] = []

    def shift_rule(due: date) -> HolidayShift:
        return apply_holiday_rule(due, in_custody, holiday_calendar)

    if review_received:
        if procedure == "fast_track":
            sec = rules.section("deadlines", "prosecution_review", "fast_track")
            days, note = _fast_days(sec, possible_sentence_months)
            due = add_days(review_received, days)
            text = f"{sec['text']}{note}"
        else:
            sec = rules.section("deadlines", "prosecution_review", "ordinary")
            due = add_months(review_received, int(sec["months"]))
            text = sec["text"]
            if review_extended:
                due = add_days(due, int(sec["extension_days"]))
                text += "（重大、复杂案件，已延长十五日）"
        out.append(
            _make(
                "prosecution_review",
                "审查起诉期限",
                review_received,
                due,
                sec["citation"],
                text,
                review_done,
                today,
                shift_rule,
            )
        )
    if trial_received:
        sec = rules.section("deadlines", "trial", procedure if procedure in ("fast_track", "summary") else "ordinary")
        if procedure == "fast_track":
            days, note = _fast_days(sec, possible_sentence_months)
            due, text = add_days(trial_received, days), f"{sec['text']}{note}"
        elif procedure == "summary":
            long = possible_sentence_months > int(sec["extension_threshold_months"])
            due = add_days(trial_received, int(sec["extended_days"] if long else sec["days"]))
            text = sec["text"] + ("（可能判处的有期徒刑超过三年，按一个半月计）" if long else "")
        else:
            due = add_months(trial_received, int(sec["extended_months"] if trial_extended else sec["months"]))
            text = sec["text"] + ("（已延长至三个月）" if trial_extended else "")
        out.append(
            _make("trial", "一审审理期限", trial_received, due, sec["citation"], text, judgment_date, today, shift_rule)
        )
    if judgment_served:
        sec = rules.section("deadlines", "appeal_window")
        shift = shift_rule(add_days(judgment_served, int(sec["days"])))
        due = shift.due
        # The window is not "overdue" when nobody appeals: it simply closes; it is done when it has closed.
        done = appeal_filed or (due if today > due else None)
        out.append(
            Deadline(
                "appeal_window",
                "上诉、抗诉期限",
                judgment_served,
                due,
                sec["citation"],
                _with_note(sec["text"], shift.note),
                done,
                bool(appeal_filed and appeal_filed > due),
                None if done else (due - today).days,
                shift.moved_from,
            )
        )
    if appeal_trial_received:
        sec = rules.section("deadlines", "appeal_trial")
        due = add_months(appeal_trial_received, int(sec["months"]))
        out.append(
            _make(
                "appeal_trial",
                "二审审理期限",
                appeal_trial_received,
                due,
                sec["citation"],
                sec["text"],
                second_instance_done,
                today,
                shift_rule,
            )
        )
    return out


def appeal_window_due(
    judgment_served: date,
    rules: ProcedureRules | None = None,
    *,
    in_custody: bool | None = None,
    holiday_calendar: HolidayCalendar | None = None,
) -> date:
    """The last day an appeal or protest can be lodged (刑诉法 第230条, moved past holidays per 第105条第3款
    unless the defendant is in custody or that is unknown)."""
    rules = rules or load_rules()
    due = add_days(judgment_served, int(rules.section("deadlines", "appeal_window", "days")))
    return apply_holiday_rule(due, in_custody, holiday_calendar).due
