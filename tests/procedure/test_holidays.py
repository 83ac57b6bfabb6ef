"""The 节假日 calendar of 刑诉法 第105条第3款: the shipped data and the loader's validation."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from leniency.procedure.holidays import (
    CALENDAR_FILE,
    HolidayCalendarError,
    apply_holiday_rule,
    load_calendar,
    parse_calendar,
)


def _raw() -> dict:
    with open(CALENDAR_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_shipped_calendar_covers_2024_to_2026_each_year_citing_its_notice():
    cal = load_calendar()
    assert set(cal.years) >= {2024, 2025, 2026}
    for year, arrangement in cal.years.items():
        assert arrangement.reference == f"国务院办公厅关于{year}年部分节假日安排的通知"
        # No year may claim to be checked while the notice texts are not in ../shared/law.
        assert arrangement.verified is False and "核对" in arrangement.note
    assert cal.citation == "刑诉法 第105条第3款"


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2024, 2, 10), "春节假期"),
        (date(2025, 1, 28), "春节假期"),  # 除夕, a holiday since the 2025 arrangement
        (date(2025, 10, 8), "国庆节、中秋节假期"),
        (date(2026, 10, 1), "国庆节假期"),
        (date(2026, 3, 14), "星期六"),
        (date(2026, 3, 15), "星期日"),
        (date(2026, 9, 20), None),  # 调休上班的星期日
        (date(2025, 4, 27), None),  # 调休上班的星期日
        (date(2026, 3, 16), None),
    ],
)
def test_rest_reason(day, reason):
    assert load_calendar().rest_reason(day) == reason


def test_every_make_up_working_day_is_a_weekend_day_outside_every_holiday():
    cal = load_calendar()
    assert cal.working and all(d.isoweekday() in (6, 7) and d not in cal.rest for d in cal.working)


def _broken(edit) -> dict:
    data = copy.deepcopy(_raw())
    edit(data)
    return data


def _set(path, value):
    def edit(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (_set(["years", 2026, "rest", 0, "start"], "2026-02-30"), "years.2026.rest[0].start", "日期无效"),
        (_set(["years", 2026, "rest", 0, "end"], "明年"), "years.2026.rest[0].end", "日期无效"),
        (_set(["years", 2026, "working", 0, "date"], "2026-10-03"), "years.2026.working[0].date", "不能重叠"),
        (_set(["years", 2025, "reference"], ""), "years.2025.reference", "通知标题"),
        (lambda d: d["years"][2024].pop("reference"), "years.2024.reference", "通知标题"),
        (lambda d: d["years"][2024].pop("verified"), "years.2024.verified", "true 或 false"),
        (_set(["years", 2026, "working", 0, "date"], "2026-01-05"), "years.2026.working[0].date", "本是工作日"),
        (_set(["years", 2026, "rest", 1, "end"], "2026-02-01"), "years.2026.rest[1].end", "不早于开始日期"),
        (_set(["years", 2026, "rest", 1, "start"], "2029-02-15"), "years.2026.rest[1].start", "不属于 2026 年度"),
        (_set(["years", 2026, "rest", 2, "name"], " "), "years.2026.rest[2].name", "节日名称"),
        (_set(["years", 2026, "rest"], "元旦"), "years.2026.rest", "列表"),
        (_set(["years", "二〇二六"], {}), "years.二〇二六", "四位整数"),
        (_set(["weekly_rest_days"], [6, 8]), "weekly_rest_days", "星期序号"),
        (_set(["citation"], None), "citation", "法律依据"),
    ],
)
def test_malformed_calendar_is_refused_in_chinese_naming_the_field(edit, field, words):
    with pytest.raises(HolidayCalendarError) as caught:
        parse_calendar(_broken(edit), "test.yaml")
    assert caught.value.field == field
    assert (
        field in str(caught.value) and words in str(caught.value) and "节假日安排数据（test.yaml）" in str(caught.value)
    )


def test_unreadable_files_give_chinese_errors(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("years: [2026:\n", encoding="utf-8")
    with pytest.raises(HolidayCalendarError, match="不是有效的 YAML"):
        load_calendar(broken)
    with pytest.raises(HolidayCalendarError, match="找不到节假日安排数据文件"):
        load_calendar(tmp_path / "missing.yaml")
    with pytest.raises(HolidayCalendarError, match="应为映射"):
        parse_calendar(["2026-10-01"])


def test_a_valid_calendar_from_elsewhere_is_used_as_given(tmp_path):
    data = {
        "citation": "刑诉法 第105条第3款",
        "weekly_rest_days": [6, 7],
        "years": {
            2030: {
                "reference": "国务院办公厅关于2030年部分节假日安排的通知",
                "verified": False,
                "rest": [{"name": "测试节", "start": "2030-03-04", "end": "2030-03-05"}],
                "working": [{"date": "2030-03-09", "for": "测试节"}],
            }
        },
    }
    path = tmp_path / "h.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    cal = load_calendar(path)
    shift = apply_holiday_rule(date(2030, 3, 2), in_custody=False, calendar=cal)  # Sat, Sun, 测试节 ×2
    assert shift.due == date(2030, 3, 6) and "未载入" not in shift.note
    assert apply_holiday_rule(date(2030, 3, 9), in_custody=False, calendar=cal).due == date(2030, 3, 9)


@given(st.dates(min_value=date(2023, 1, 1), max_value=date(2028, 12, 31)), st.sampled_from([True, False, None]))
def test_moved_date_is_the_first_working_day_and_custody_never_moves(day, in_custody):
    cal = load_calendar()
    shift = apply_holiday_rule(day, in_custody, cal)
    if in_custody is not False:
        assert shift.due == day and shift.moved_from is None
        return
    assert shift.due >= day and not cal.is_rest_day(shift.due)
    assert all(cal.is_rest_day(date.fromordinal(n)) for n in range(day.toordinal(), shift.due.toordinal()))
    assert (shift.moved_from is None) == (shift.due == day)
