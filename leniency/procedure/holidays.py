"""The holiday calendar of 刑诉法 第105条第3款 (``data/holidays.yaml``): which days are 节假日.

A day is a rest day when the State Council's notice for its year puts it in a holiday period, or when it is a
Saturday or Sunday that the notice does not turn into a make-up working day (调休上班). For a year the calendar
does not cover only the weekly rest days are known, and callers must say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CALENDAR_FILE = Path(__file__).resolve().parent / "data" / "holidays.yaml"
_WEEKDAY_NAMES = {1: "星期一", 2: "星期二", 3: "星期三", 4: "星期四", 5: "星期五", 6: "星期六", 7: "星期日"}
# A rest period longer than this is surely a typo (the longest arrangement so far is 9 days).
_MAX_PERIOD_DAYS = 31


class HolidayCalendarError(ValueError):
    """A malformed calendar; ``field`` is the dotted path of the offending entry."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class YearArrangement:
    year: int
    reference: str
    verified: bool
    note: str


class HolidayCalendar:
    """Rest days and make-up working days per year, each year citing its notice."""

    def __init__(
        self,
        years: dict[int, YearArrangement],
        rest: dict[date, str],
        working: dict[date, str],
        weekly_rest_days: frozenset[int],
        citation: str,
    ) -> None:
        self.years = years
        self.rest = rest
        self.working = working
        self.weekly_rest_days = weekly_rest_days
        self.citation = citation

    def covers(self, day: date) -> bool:
        return day.year in self.years

    def rest_reason(self, day: date) -> str | None:
        """Why ``day`` is a 节假日 (holiday name or weekday), or None for a working day."""
        if day in self.rest:
            return self.rest[day]
        if day in self.working:
            return None
        if day.isoweekday() in self.weekly_rest_days:
            return _WEEKDAY_NAMES[day.isoweekday()]
        return None

    def is_rest_day(self, day: date) -> bool:
        return self.rest_reason(day) is not None


def _fail(source: str, field: str, problem: str) -> HolidayCalendarError:
    return HolidayCalendarError(f"节假日安排数据（{source}）{field}：{problem}", field)


def _date(value: Any, source: str, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _fail(source, field, f"日期无效（应为 YYYY-MM-DD 格式的有效日期）：{value!r}")


def _text(value: Any, source: str, field: str, problem: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, field, problem)
    return value.strip()


def _near_year(day: date, year: int, source: str, field: str) -> None:
    # A notice may reach into the neighbouring year (e.g. 元旦 starting on 12月31日), never further.
    if abs(day.year - year) > 1:
        raise _fail(source, field, f"日期 {day.isoformat()} 不属于 {year} 年度的节假日安排")


def parse_calendar(data: Any, source: str = "holidays.yaml") -> HolidayCalendar:
    """Validate the raw YAML mapping and build the calendar; every problem names its field in Chinese."""
    if not isinstance(data, dict):
        raise _fail(source, "（根）", "应为映射（键值对）")
    citation = _text(data.get("citation"), source, "citation", "须注明法律依据（如 刑诉法 第105条第3款）")
    weekly = data.get("weekly_rest_days")
    if not isinstance(weekly, list) or not weekly or any(not isinstance(d, int) or not 1 <= d <= 7 for d in weekly):
        raise _fail(source, "weekly_rest_days", "应为 1 至 7 之间的星期序号列表（6=星期六，7=星期日）")
    raw_years = data.get("years")
    if not isinstance(raw_years, dict):
        raise _fail(source, "years", "应为以年份为键的映射")
    years: dict[int, YearArrangement] = {}
    rest: dict[date, str] = {}
    rest_field: dict[date, str] = {}
    working: dict[date, str] = {}
    working_field: dict[date, str] = {}
    for key, entry in raw_years.items():
        where = f"years.{key}"
        try:
            year = int(key)
        except (TypeError, ValueError):
            raise _fail(source, where, "年份应为四位整数") from None
        if not 1900 <= year <= 2100 or year in years:
            raise _fail(source, where, "年份应在1900年至2100年之间且不得重复")
        if not isinstance(entry, dict):
            raise _fail(source, where, "应为映射，含 reference、verified、rest、working")
        reference = _text(entry.get("reference"), source, f"{where}.reference", "每个年度须注明所依据的通知标题")
        verified = entry.get("verified")
        if not isinstance(verified, bool):
            raise _fail(source, f"{where}.verified", "须为 true 或 false（是否已与通知原文核对）")
        periods = entry.get("rest")
        if not isinstance(periods, list):
            raise _fail(source, f"{where}.rest", "应为放假时段列表")
        for i, period in enumerate(periods):
            at = f"{where}.rest[{i}]"
            if not isinstance(period, dict):
                raise _fail(source, at, "应为含 name、start、end 的映射")
            name = _text(period.get("name"), source, f"{at}.name", "须写明节日名称")
            start = _date(period.get("start"), source, f"{at}.start")
            end = _date(period.get("end"), source, f"{at}.end")
            _near_year(start, year, source, f"{at}.start")
            _near_year(end, year, source, f"{at}.end")
            if end < start or (end - start).days >= _MAX_PERIOD_DAYS:
                raise _fail(source, f"{at}.end", f"结束日期应不早于开始日期且时段不超过{_MAX_PERIOD_DAYS}日")
            day = start
            while day <= end:
                rest[day] = f"{name}假期"
                rest_field.setdefault(day, at)
                day += timedelta(days=1)
        days = entry.get("working", [])
        if not isinstance(days, list):
            raise _fail(source, f"{where}.working", "应为调休上班日列表")
        for i, item in enumerate(days):
            at = f"{where}.working[{i}]"
            if not isinstance(item, dict):
                raise _fail(source, at, "应为含 date、for 的映射")
            day = _date(item.get("date"), source, f"{at}.date")
            _near_year(day, year, source, f"{at}.date")
            if day.isoweekday() not in weekly:
                raise _fail(source, f"{at}.date", f"{day.isoformat()} 本是工作日，不能作为调休上班日")
            working[day] = _text(item.get("for"), source, f"{at}.for", "须写明为哪个节日调休")
            working_field.setdefault(day, f"{at}.date")
        years[year] = YearArrangement(year, reference, verified, str(entry.get("note") or ""))
    clashes = sorted(set(rest) & set(working))
    if clashes:
        day = clashes[0]
        raise _fail(
            source,
            working_field[day],
            f"{day.isoformat()} 同时列为放假日（{rest_field[day]}）和调休上班日，二者不能重叠",
        )
    return HolidayCalendar(years, rest, working, frozenset(weekly), citation)


@lru_cache(maxsize=4)
def _load(path: str) -> HolidayCalendar:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError:
        raise HolidayCalendarError(f"找不到节假日安排数据文件：{path}", "path") from None
    except yaml.YAMLError as exc:
        raise HolidayCalendarError(f"节假日安排数据（{Path(path).name}）不是有效的 YAML：{exc}", "path") from None
    return parse_calendar(data, Path(path).name)


def load_calendar(path: Path | None = None) -> HolidayCalendar:
    return _load(str(path or CALENDAR_FILE))


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class HolidayShift:
    """The due date after 第105条第3款, the legal date it was moved from, and the Chinese note ('' if none)."""

    due: date
    moved_from: date | None
    note: str


def apply_holiday_rule(due: date, in_custody: bool | None, calendar: HolidayCalendar | None = None) -> HolidayShift:
    """Move a last day that is a 节假日 to the first working day after it, unless the defendant is in custody.

    ``in_custody`` None means the record does not say: the period is then not extended, since the earlier
    date can never make an act late.
    """
    calendar = calendar or load_calendar()
    reason = calendar.rest_reason(due)
    if in_custody is not False:
        if reason is None:
            return HolidayShift(due, None, "")
        why = "被告人在押，不得因节假日而延长" if in_custody else "因未载明是否在押，不予顺延，按较早日期计"
        return HolidayShift(due, None, f"期满日{chinese_date(due)}为节假日（{reason}），{why}（刑诉法 第105条第3款）")
    day = due
    uncovered = {day.year} - set(calendar.years)
    while calendar.is_rest_day(day):
        day += timedelta(days=1)
        if not calendar.covers(day):
            uncovered.add(day.year)
    fallback = ""
    if uncovered:
        years = "、".join(str(y) for y in sorted(uncovered))
        fallback = f"未载入{years}年度节假日安排，仅按双休日顺延"
    if day == due:
        note = f"{fallback}（刑诉法 第105条第3款）" if fallback else ""
        return HolidayShift(due, None, note)
    note = f"期满日{chinese_date(due)}为节假日（{reason}），顺延至{chinese_date(day)}（刑诉法 第105条第3款）"
    if fallback:
        note += f"；{fallback}"
    return HolidayShift(day, due, note)
