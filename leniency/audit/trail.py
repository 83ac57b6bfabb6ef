"""The append-only, hash-chained audit log.

Each event's hash covers its own fields and the previous event's hash, so editing any row breaks its hash
and deleting one breaks the chain at the next (or, for the last row, the head). ``record`` must run inside
the transaction of the change it records, so the change and its event commit or roll back together.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from leniency.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _normalise(value: Any) -> Any:
    """What the JSON column gives back, so the hash is the same before storing and after reading."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _canonical_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor: str,
    role: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    address: str,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [
            seq,
            _canonical_time(at),
            actor_id,
            actor,
            role,
            action,
            object_type,
            object_id,
            before,
            after,
            address,
            prev_hash,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def client_address(request: Any) -> str:
    if request is None:
        return ""
    meta = getattr(request, "META", {})
    return str(meta.get("REMOTE_ADDR") or "")[:64]


def record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str | None = None,
    object_id: Any = None,
    before: Any = None,
    after: Any = None,
    address: str = "",
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change (it opens one if there is none)."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(key="main")
        # Microsecond precision survives every database backend unchanged.
        at = timezone.now()
        fields = {
            "seq": head.last_seq + 1,
            "at": at,
            "actor_id": getattr(actor, "pk", None),
            "actor": getattr(actor, "username", None) or "system",
            "role": getattr(actor, "role", "") or "",
            "action": action,
            "object_type": object_type or (obj._meta.label_lower if obj is not None else ""),
            "object_id": str(object_id if object_id is not None else getattr(obj, "pk", "") or ""),
            "before": _normalise(before),
            "after": _normalise(after),
            "address": address[:64],
            "prev_hash": head.last_hash,
        }
        digest = event_hash(**fields)
        event = AuditEvent.objects.create(hash=digest, **fields)
        AuditHead.objects.filter(pk=head.pk).update(last_seq=fields["seq"], last_hash=digest)
        return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    problems: list[str]


def _describe(event: AuditEvent) -> str:
    return f"审计事件 #{event.seq}（{timezone.localtime(event.at):%Y-%m-%d %H:%M:%S}，{event.actor}，{event.action}，{event.object_type}:{event.object_id}）"


def verify(batch: int = 2000) -> VerifyResult:
    """Walk the whole chain; every problem names the event (or the gap) where it is found."""
    problems: list[str] = []
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    last = 0
    while True:
        chunk = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not chunk:
            break
        for event in chunk:
            count += 1
            if event.seq != expected_seq:
                missing = (
                    f"#{expected_seq}" if event.seq == expected_seq + 1 else f"#{expected_seq} 至 #{event.seq - 1}"
                )
                problems.append(f"审计事件 {missing} 已被删除（{_describe(event)} 之前缺失）")
            elif event.prev_hash != expected_prev:
                problems.append(f"{_describe(event)} 的前一事件哈希与链不符：前一事件被篡改或删除")
            recomputed = event_hash(
                seq=event.seq,
                at=event.at,
                actor_id=event.actor_id,
                actor=event.actor,
                role=event.role,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                before=event.before,
                after=event.after,
                address=event.address,
                prev_hash=event.prev_hash,
            )
            if recomputed != event.hash:
                problems.append(f"{_describe(event)} 的内容已被篡改（哈希不符）")
            expected_prev = event.hash
            expected_seq = event.seq + 1
            last = event.seq
    head = AuditHead.objects.filter(key="main").first()
    if head is not None:
        if head.last_seq != last:
            if head.last_seq > last:
                problems.append(f"审计事件 #{last + 1} 至 #{head.last_seq} 已被删除（链尾缺失）")
            else:
                problems.append(f"审计链头记录的最后序号 #{head.last_seq} 与实际最后事件 #{last} 不符")
        elif head.last_hash != expected_prev and last:
            problems.append(f"审计事件 #{last} 与链头记录的哈希不符：该事件被篡改")
    elif count:
        problems.append("审计链头缺失：链头记录被删除")
    return VerifyResult(not problems, count, problems)
