"""Moving the audit log to `audit` and Approval to `cases` changed the migration state only, never the data.

Rows written by the code before the move (through the historical `supervision` models) are read unchanged by
the code after it, the hash chain still verifies, and the tables are neither dropped nor recreated.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from leniency.audit import trail
from leniency.audit.models import AuditEvent, AuditHead
from leniency.cases.models import Approval, Case, Defendant

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_MOVE = [("supervision", "0001_initial"), ("cases", "0001_initial"), ("audit", None)]
TABLES = {"supervision_approval", "supervision_auditevent", "supervision_audithead"}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    state = executor.migrate(targets)
    state.clear_delayed_apps_cache()
    return state.apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _old_event(apps, user, seq: int, prev_hash: str) -> str:
    """What the code before the move appended: the same fields and hash as `trail.record`."""
    fields = {
        "seq": seq,
        "at": timezone.now(),
        "actor_id": user.pk,
        "actor": user.username,
        "role": user.role,
        "action": f"approval.request{seq}",
        "object_type": "supervision.approval",
        "object_id": "1",
        "before": None,
        "after": {"状态": "待审批", "n": seq},
        "address": "127.0.0.1",
        "prev_hash": prev_hash,
    }
    digest = trail.event_hash(**fields)
    apps.get_model("supervision", "AuditEvent").objects.create(hash=digest, **fields)
    return digest


def test_rows_written_before_the_move_survive_it(demo_users):
    prosecutor, supervisor = demo_users["prosecutor"], demo_users["supervisor"]
    case = Case.objects.create(unit=prosecutor.unit, number="迁移〔2026〕1号", prosecutor=prosecutor)
    defendant = Defendant.objects.create(
        case=case,
        name="迁移甲",
        national_id="330106198503010011",
        birth_date=dt.date(1985, 3, 1),
        custody_status="bail",
    )
    approval_type = ContentType.objects.get_for_model(Approval)
    event_type = ContentType.objects.get_for_model(AuditEvent)
    try:
        old = _migrate(BEFORE_MOVE)
        assert TABLES <= set(connection.introspection.table_names())
        assert ContentType.objects.get(pk=approval_type.pk).app_label == "supervision"
        OldApproval = old.get_model("supervision", "Approval")
        OldApproval.objects.create(
            kind="departure",
            unit_id=prosecutor.unit_id,
            case_id=case.pk,
            defendant_id=defendant.pk,
            target_type="recommendation",
            target_id=1,
            citation="《人民检察院办理认罪认罚案件开展量刑建议工作的指导意见》第三十五条",
            request_reason="偏离计算幅度",
            requested_by_id=prosecutor.pk,
        )
        last = trail.GENESIS
        for seq in (1, 2, 3):
            last = _old_event(old, prosecutor, seq, last)
        old.get_model("supervision", "AuditHead").objects.create(key="main", last_seq=3, last_hash=last)
    finally:
        _migrate(_latest())

    assert TABLES <= set(connection.introspection.table_names())
    approval = Approval.objects.get()
    assert (approval.case_id, approval.defendant_id, approval.status) == (case.pk, defendant.pk, "pending")
    assert list(defendant.approvals.all()) == [approval]
    assert AuditEvent.objects.count() == 3 and AuditHead.objects.get().last_seq == 3
    # Permissions and generic references keep pointing at the same content type, now under the new app.
    assert ContentType.objects.get(pk=approval_type.pk).app_label == "cases"
    assert ContentType.objects.get(pk=event_type.pk).app_label == "audit"

    # The chain written before the move verifies and grows after it.
    trail.record(actor=supervisor, action="approval.decide", obj=approval, after={"status": "approved"})
    result = trail.verify()
    assert result.ok, result.problems
    assert result.events == 4
    assert AuditEvent.objects.get(seq=4).object_type == "cases.approval"
