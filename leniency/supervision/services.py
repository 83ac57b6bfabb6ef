"""Approvals of the power list: the supervisor of the unit decides, the decision flows into the case."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from leniency.accounts.models import User
from leniency.audit import trail as audit
from leniency.cases import permissions as perm
from leniency.cases.errors import Conflict, Invalid, NotFound
from leniency.cases.models import Approval
from leniency.cases.services import apply_approval


def visible_approvals(user: User) -> QuerySet[Approval]:
    """Supervisors see their unit's approvals; a prosecutor sees the ones they requested."""
    qs = Approval.objects.select_related("case", "defendant", "requested_by", "decided_by")
    if user.role == User.Role.SUPERVISOR and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    if user.role == User.Role.PROSECUTOR and user.unit_id:
        return qs.filter(unit_id=user.unit_id, case__prosecutor_id=user.pk)
    return qs.none()


@transaction.atomic
def decide(
    actor: User, approval_id: int, version: int | None, approved: bool, note: str, address: str = ""
) -> Approval:
    approval = visible_approvals(actor).select_for_update(of=("self",)).filter(pk=approval_id).first()
    if approval is None:
        raise NotFound("审批事项不存在或无权查看。")
    perm.require_supervisor(actor, approval.unit_id, "审批")
    if version is not None and approval.version != version:
        raise Conflict(f"审批事项已被他人处理（当前版本 {approval.version}，您提交的版本 {version}），请刷新后重试。")
    if approval.status == Approval.Status.WITHDRAWN:
        raise Conflict("该审批事项已撤回：报批的量刑建议已被新版本取代。")
    if approval.status != Approval.Status.PENDING:
        raise Conflict("该事项已审批。")
    note = (note or "").strip()
    if not approved and not note:
        raise Invalid("不批准的，须写明审批意见（note）。", field="note")
    old = approval.version
    updated = Approval.objects.filter(pk=approval.pk, version=old).update(
        status=Approval.Status.APPROVED if approved else Approval.Status.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=note,
        version=old + 1,
    )
    if updated != 1:
        raise Conflict("审批事项已被他人处理，请刷新后重试。")
    approval.refresh_from_db()
    apply_approval(actor, approval, approved, address)
    audit.record(
        actor=actor,
        action="approval.decide",
        obj=approval,
        before={"status": Approval.Status.PENDING},
        after={"status": approval.status, "note": note},
        address=address,
    )
    return approval
