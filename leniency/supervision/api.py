"""REST API of supervision (/api/supervision): the approvals of the power list."""

from datetime import datetime
from typing import Any

from ninja import Router, Schema
from pydantic import Field

from leniency.audit import trail as audit
from leniency.cases.api import ERRORS, addr, domain_errors
from leniency.cases.models import Approval
from leniency.cases.schemas import Text, Version
from leniency.cases.serializers import ref
from leniency.supervision import services

router = Router(tags=["监督管理"])


class RefOut(Schema):
    id: int
    name: str


class ApprovalOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    case_id: int
    case_number: str
    defendant_id: int
    defendant_name: str
    target_type: str
    target_id: int
    citation: str
    request_reason: str
    requested_by: RefOut
    requested_at: datetime
    decided_by: RefOut | None
    decided_at: datetime | None
    decision_note: str
    version: int


class DecisionIn(Schema):
    version: Version | None = None
    approved: bool = Field(title="是否批准")
    note: Text() = Field(default="", title="审批意见")


def approval_out(a: Approval) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "status": a.status,
        "case_id": a.case_id,
        "case_number": a.case.number,
        "defendant_id": a.defendant_id,
        "defendant_name": a.defendant.name,
        "target_type": a.target_type,
        "target_id": a.target_id,
        "citation": a.citation,
        "request_reason": a.request_reason,
        "requested_by": ref(a.requested_by),
        "requested_at": a.requested_at,
        "decided_by": ref(a.decided_by),
        "decided_at": a.decided_at,
        "decision_note": a.decision_note,
        "version": a.version,
    }


@router.get("/approvals", response={200: list[ApprovalOut], **ERRORS}, summary="审批事项（部门负责人：本院全部）")
@domain_errors
def list_approvals(request, status: str | None = None):
    qs = services.visible_approvals(request.user)
    if status:
        qs = qs.filter(status=status)
    items = [approval_out(a) for a in qs.order_by("-id")[:500]]
    if items:
        # The list names defendants: reading it is a read of personal data.
        audit.record(
            actor=request.user,
            action="personal_data.read",
            object_type=Approval._meta.label_lower,
            object_id="list",
            after={"approvals": [a["id"] for a in items]},
            address=addr(request),
        )
    return 200, items


@router.post("/approvals/{int:approval_id}/decision", response={200: ApprovalOut, **ERRORS}, summary="批准或不批准")
@domain_errors
def decide(request, approval_id: int, payload: DecisionIn):
    approval = services.decide(
        request.user, approval_id, payload.version, payload.approved, payload.note, addr(request)
    )
    return 200, approval_out(approval)
