from datetime import date

from leniency.procedure import add_months, compute_deadlines
from leniency.procedure.deadlines import appeal_window_due, in_custody_from_measure


def _one(items, kind):
    return next(d for d in items if d.kind == kind)


def test_fast_track_review_is_ten_days_or_fifteen_over_one_year():
    start = date(2026, 3, 1)
    short = compute_deadlines(procedure="fast_track", possible_sentence_months=6, today=start, review_received=start)
    assert _one(short, "prosecution_review").due == date(2026, 3, 11)  # start day not counted (第105条)
    long = compute_deadlines(procedure="fast_track", possible_sentence_months=13, today=start, review_received=start)
    assert _one(long, "prosecution_review").due == date(2026, 3, 16)
    assert "第172条" in _one(long, "prosecution_review").citation


def test_ordinary_review_one_month_plus_fifteen_days_when_extended():
    start = date(2026, 1, 31)
    d = compute_deadlines(procedure="ordinary", possible_sentence_months=60, today=start, review_received=start)
    assert _one(d, "prosecution_review").due == date(2026, 2, 28)  # month end clamps
    d = compute_deadlines(
        procedure="summary", possible_sentence_months=60, today=start, review_received=start, review_extended=True
    )
    assert _one(d, "prosecution_review").due == date(2026, 3, 15)


def test_overdue_flag_and_days_left():
    start = date(2026, 3, 1)
    d = compute_deadlines(
        procedure="fast_track", possible_sentence_months=6, today=date(2026, 3, 12), review_received=start
    )
    review = _one(d, "prosecution_review")
    assert review.overdue and review.days_left == -1
    done = compute_deadlines(
        procedure="fast_track",
        possible_sentence_months=6,
        today=date(2026, 4, 1),
        review_received=start,
        review_done=date(2026, 3, 10),
    )
    assert not _one(done, "prosecution_review").overdue and _one(done, "prosecution_review").days_left is None


def test_trial_periods_by_procedure():
    start = date(2026, 5, 10)
    kw = {"today": start, "trial_received": start}
    assert _one(compute_deadlines(procedure="fast_track", possible_sentence_months=12, **kw), "trial").due == date(
        2026, 5, 20
    )
    assert _one(compute_deadlines(procedure="fast_track", possible_sentence_months=18, **kw), "trial").due == date(
        2026, 5, 25
    )
    assert _one(compute_deadlines(procedure="summary", possible_sentence_months=30, **kw), "trial").due == date(
        2026, 5, 30
    )
    assert _one(compute_deadlines(procedure="summary", possible_sentence_months=40, **kw), "trial").due == date(
        2026, 6, 24
    )
    assert _one(compute_deadlines(procedure="ordinary", possible_sentence_months=40, **kw), "trial").due == date(
        2026, 7, 10
    )


def test_appeal_window_and_second_instance():
    served = date(2026, 6, 1)
    assert appeal_window_due(served) == date(2026, 6, 11)
    d = compute_deadlines(
        procedure="fast_track",
        possible_sentence_months=6,
        today=date(2026, 6, 5),
        judgment_served=served,
        appeal_filed=date(2026, 6, 5),
        appeal_trial_received=date(2026, 6, 5),
    )
    assert not _one(d, "appeal_window").overdue
    assert _one(d, "appeal_trial").due == date(2026, 8, 5)


def test_add_months_leap_year():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


# ----------------------------------------------------------------------------- 刑诉法 第105条第3款


def _review(received: date, in_custody, today: date | None = None):
    items = compute_deadlines(
        procedure="fast_track",
        possible_sentence_months=6,
        today=today or received,
        review_received=received,
        in_custody=in_custody,
    )
    return _one(items, "prosecution_review")


def test_period_ending_on_a_saturday_moves_to_monday_when_not_in_custody():
    review = _review(date(2026, 3, 4), in_custody=False)  # 3月14日 is a plain Saturday
    assert review.due == date(2026, 3, 16) and review.moved_from == date(2026, 3, 14)
    assert "期满日2026年3月14日为节假日（星期六），顺延至2026年3月16日" in review.explanation
    assert "刑诉法 第105条第3款" in review.explanation
    assert review.to_dict()["moved_from"] == "2026-03-14"


def test_period_ending_in_the_national_day_holiday_moves_past_it():
    review = _review(date(2026, 9, 24), in_custody=False)  # last day 10月4日, holiday 10月1日—7日
    assert review.due == date(2026, 10, 8)
    assert "国庆节假期" in review.explanation and "顺延至2026年10月8日" in review.explanation
    # The overdue flag follows the moved date: on 10月8日 the period still runs.
    assert not _review(date(2026, 9, 24), in_custody=False, today=date(2026, 10, 8)).overdue
    assert _review(date(2026, 9, 24), in_custody=False, today=date(2026, 10, 9)).overdue
    # A month-based period too: 二个月 from 8月4日 ends on 10月4日.
    trial = _one(
        compute_deadlines(
            procedure="ordinary",
            possible_sentence_months=40,
            today=date(2026, 8, 4),
            trial_received=date(2026, 8, 4),
            in_custody=False,
        ),
        "trial",
    )
    assert trial.due == date(2026, 10, 8) and trial.moved_from == date(2026, 10, 4)


def test_spring_festival_moves_to_the_first_working_day_after_the_whole_holiday():
    review = _review(date(2026, 2, 5), in_custody=False)  # 2月15日, the first day of 春节 (15日—23日)
    assert review.due == date(2026, 2, 24)


def test_make_up_working_weekend_days_are_not_holidays():
    sunday = _review(date(2026, 9, 10), in_custody=False)  # 9月20日 (Sunday) is a 调休上班日
    assert sunday.due == date(2026, 9, 20) and sunday.moved_from is None
    assert "第105条" not in sunday.explanation
    saturday = _review(date(2026, 2, 4), in_custody=False)  # 2月14日 (Saturday) is a 调休上班日
    assert saturday.due == date(2026, 2, 14)


def test_no_extension_while_in_custody():
    review = _review(date(2026, 9, 24), in_custody=True)
    assert review.due == date(2026, 10, 4) and review.moved_from is None
    assert "被告人在押，不得因节假日而延长" in review.explanation and "第105条第3款" in review.explanation
    assert _review(date(2026, 9, 24), in_custody=True, today=date(2026, 10, 5)).overdue


def test_unknown_custody_is_not_extended_and_says_why():
    review = _review(date(2026, 3, 4), in_custody=None)
    assert review.due == date(2026, 3, 14)
    assert "未载明是否在押" in review.explanation and "按较早日期计" in review.explanation
    # Without a holiday on the last day there is nothing to say.
    assert "第105条" not in _review(date(2026, 3, 6), in_custody=None).explanation  # 3月16日, Monday


def test_year_outside_the_calendar_falls_back_to_weekends_and_says_so():
    saturday = _review(date(2027, 10, 6), in_custody=False)  # 2027年10月16日 is a Saturday
    assert saturday.due == date(2027, 10, 18)
    assert "未载入2027年度节假日安排，仅按双休日顺延" in saturday.explanation
    weekday = _review(date(2027, 9, 21), in_custody=False)  # 2027年10月1日, a Friday: unknown holiday
    assert weekday.due == date(2027, 10, 1) and weekday.moved_from is None
    assert "未载入2027年度节假日安排" in weekday.explanation


def test_moving_across_the_new_year_uses_the_next_years_calendar():
    # 2023年12月30日 (Saturday) → 31日 (Sunday) → 2024年1月1日 (元旦) → 1月2日.
    review = _review(date(2023, 12, 20), in_custody=False)
    assert review.due == date(2024, 1, 2)
    assert "未载入2023年度节假日安排" in review.explanation


def test_appeal_window_follows_the_same_rule():
    served = date(2026, 9, 24)  # ten days end on 10月4日
    assert appeal_window_due(served) == date(2026, 10, 4)  # custody unknown: earlier date
    assert appeal_window_due(served, in_custody=True) == date(2026, 10, 4)
    assert appeal_window_due(served, in_custody=False) == date(2026, 10, 8)
    assert appeal_window_due(date(2026, 9, 30), in_custody=False) == date(2026, 10, 10)  # 调休上班的周六
    items = compute_deadlines(
        procedure="fast_track",
        possible_sentence_months=6,
        today=date(2026, 10, 9),
        judgment_served=served,
        appeal_filed=date(2026, 10, 8),
        in_custody=False,
    )
    window = _one(items, "appeal_window")
    assert window.due == date(2026, 10, 8) and not window.overdue and "顺延" in window.explanation


def test_custody_by_compulsory_measure():
    assert in_custody_from_measure("custody") is True
    assert in_custody_from_measure("arrest") is True
    assert in_custody_from_measure("bail") is False
    assert in_custody_from_measure("residential_surveillance") is False
    assert in_custody_from_measure("") is None
    assert in_custody_from_measure(None) is None
    assert in_custody_from_measure("unknown_measure") is None
