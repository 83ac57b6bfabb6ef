from datetime import date

from leniency.procedure import add_months, compute_deadlines
from leniency.procedure.deadlines import appeal_window_due


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
