"""The deadlines endpoint applies 刑诉法 第105条第3款 by the defendant's compulsory measure."""

from __future__ import annotations

import pytest

from tests.cases.conftest import THEFT_FACTS, defendant_payload

pytestmark = pytest.mark.django_db


def _review(api, did):
    code, items = api.get(f"/cases/defendants/{did}/deadlines")
    assert code == 200, items
    return next(x for x in items if x["kind"] == "prosecution_review")


def test_deadline_on_a_holiday_moves_on_bail_and_not_in_custody(world, as_user):
    p = as_user("prosecutor")
    # 审查起诉一个月 from 2026年9月4日 ends on 10月4日, inside the National Day holiday (10月1日—7日).
    code, case = p.post(
        "/cases", {"number": "杭西检刑诉〔2026〕105号", "charges": ["盗窃罪"], "received_on": "2026-09-04"}
    )
    assert code == 201, case
    code, bailed = p.post(f"/cases/{case['id']}/defendants", defendant_payload("节甲", 31, THEFT_FACTS))
    assert code == 201, bailed
    review = _review(p, bailed["id"])
    assert review["due"] == "2026-10-08" and review["moved_from"] == "2026-10-04"
    assert "期满日2026年10月4日为节假日（国庆节假期），顺延至2026年10月8日" in review["explanation"]
    assert "刑诉法 第105条第3款" in review["explanation"]

    code, held = p.post(
        f"/cases/{case['id']}/defendants", defendant_payload("节乙", 32, THEFT_FACTS, custody_status="arrest")
    )
    assert code == 201, held
    review = _review(p, held["id"])
    assert (
        review["due"] == "2026-10-04"
        and review["moved_from"] is None
        and "被告人在押，不得因节假日而延长" in review["explanation"]
    )

    # Changing the measure changes the period: released on bail, the holiday counts again.
    code, current = p.get(f"/cases/defendants/{held['id']}")
    code, changed = p.patch(
        f"/cases/defendants/{held['id']}", {"version": current["version"], "custody_status": "bail"}
    )
    assert code == 200, changed
    assert _review(p, held["id"])["due"] == "2026-10-08"
    code, state = p.get(f"/cases/defendants/{held['id']}")
    assert next(x for x in state["deadlines"] if x["kind"] == "prosecution_review")["due"] == "2026-10-08"
