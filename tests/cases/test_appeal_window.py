"""The appeal filing check uses the same 第105条 due date as the deadlines screen."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from leniency.cases.errors import Invalid
from leniency.cases.services import _check_window

# Served 2025年9月21日: the tenth day, 10月1日, falls in the National Day holiday (10月1日—8日).
SERVED = dt.date(2025, 9, 21)
MOVED_DUE = dt.date(2025, 10, 9)


def _defendant(custody_status: str) -> SimpleNamespace:
    return SimpleNamespace(outcome=SimpleNamespace(served_on=SERVED), custody_status=custody_status)


def test_on_bail_an_appeal_on_the_first_working_day_after_the_holiday_is_in_time():
    _check_window(_defendant("bail"), MOVED_DUE)


def test_in_custody_the_period_is_not_extended():
    with pytest.raises(Invalid) as error:
        _check_window(_defendant("arrest"), MOVED_DUE)
    assert "2025-10-01" in str(error.value)


def test_after_the_moved_due_date_the_appeal_is_late_on_bail_too():
    with pytest.raises(Invalid) as error:
        _check_window(_defendant("bail"), MOVED_DUE + dt.timedelta(days=1))
    assert "2025-10-09" in str(error.value)
