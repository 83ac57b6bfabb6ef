"""Two people saving the same defendant at the same moment: one wins, the other gets a conflict (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from leniency.cases import services
from leniency.cases.errors import Conflict
from leniency.cases.models import Defendant
from tests.cases.conftest import THEFT_FACTS, defendant_payload, today


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_the_same_version_conflict(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite 内存测试库不支持多线程并发写入；并发检测在 PostgreSQL 上测试（make test-postgres）")
    prosecutor = world["prosecutor"]
    case = services.create_case(
        prosecutor, {"number": "并发〔2026〕1号", "charges": ["盗窃罪"], "received_on": today()}
    )
    data = defendant_payload("并发甲", 41, THEFT_FACTS)
    data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
    d = services.add_defendant(prosecutor, case.pk, data)
    version = d.version
    barrier = threading.Barrier(2)
    results: list[str] = []

    def save(text: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.update_defendant(prosecutor, d.pk, version, {"prior_record": text})
            results.append("ok:" + text)
        except Conflict as exc:
            results.append("conflict:" + exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("甲的修改", "乙的修改")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(r.split(":")[0] for r in results) == ["conflict", "ok"], results
    winner = next(r for r in results if r.startswith("ok:")).removeprefix("ok:")
    loser = next(r for r in results if r.startswith("conflict:"))
    assert "已被他人修改" in loser
    stored = Defendant.objects.get(pk=d.pk)
    assert stored.prior_record == winner and stored.version == version + 1
