"""The audit log is append-only and hash-chained; `leniency audit verify` names the altered or deleted event."""

from __future__ import annotations

import pytest
from django.db import connection

from leniency.audit import trail as audit
from leniency.audit.models import AuditEvent
from leniency.cli import main

pytestmark = pytest.mark.django_db


def _events(user, n=5):
    for i in range(n):
        audit.record(
            actor=user,
            action=f"test.action{i}",
            object_type="cases.case",
            object_id=i,
            before={"v": i},
            after={"v": i + 1, "名称": "中文"},
            address="127.0.0.1",
        )


def test_clean_chain_verifies(demo_users, capsys):
    _events(demo_users["prosecutor"])
    result = audit.verify()
    assert result.ok and result.events == 5
    assert main(["audit", "verify"]) == 0
    assert "审计日志校验通过：共 5 个事件" in capsys.readouterr().out


def test_empty_chain_verifies(db):
    assert audit.verify().ok


def test_direct_edit_is_detected_and_named(demo_users, capsys):
    _events(demo_users["prosecutor"])
    target = AuditEvent.objects.get(seq=3)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET actor = %s WHERE id = %s", ["someone_else", target.pk])
    result = audit.verify()
    assert not result.ok
    assert any("审计事件 #3" in p and "篡改" in p for p in result.problems), result.problems
    assert main(["audit", "verify"]) == 2
    out = capsys.readouterr()
    assert "#3" in out.out and "审计日志校验失败" in out.err


def test_json_edit_is_detected(demo_users):
    _events(demo_users["prosecutor"])
    target = AuditEvent.objects.get(seq=2)
    AuditEvent.objects.filter(pk=target.pk).update(after={"v": 99})
    problems = audit.verify().problems
    assert any("#2" in p for p in problems)


def test_deleted_event_is_detected_and_named(demo_users):
    _events(demo_users["prosecutor"])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 2")
    problems = audit.verify().problems
    assert any("#2" in p and "删除" in p for p in problems), problems


def test_deleted_tail_is_detected(demo_users):
    _events(demo_users["prosecutor"])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 5")
    problems = audit.verify().problems
    assert any("#5" in p and "删除" in p for p in problems), problems


def test_rows_cannot_be_changed_through_the_orm(demo_users):
    _events(demo_users["prosecutor"], 1)
    event = AuditEvent.objects.get()
    event.action = "x"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
