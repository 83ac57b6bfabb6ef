"""REST API of the plea procedure (/api/cases). Views only translate: the services decide and audit."""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import DataError, IntegrityError
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from leniency.audit.trail import client_address
from leniency.cases import permissions as perm
from leniency.cases import serializers as ser
from leniency.cases import services
from leniency.cases.errors import DomainError
from leniency.cases.schemas import (
    MAX_ID,
    AdjustmentOut,
    AdjustmentRequestIn,
    AdjustmentResponseIn,
    AgreementIn,
    AgreementOut,
    AppealIn,
    CaseDetailOut,
    CaseIn,
    CaseOut,
    CasePatch,
    ChallengeOut,
    CheckOut,
    ConsultationIn,
    ConsultationOut,
    CounselIn,
    DeadlineOut,
    DefendantIn,
    DefendantOut,
    DefendantPatch,
    ErrorOut,
    NotificationIn,
    NotificationOut,
    OpinionIn,
    OpinionOut,
    OutcomeIn,
    OutcomeOut,
    ProcedureIn,
    ProtestIn,
    RecommendationIn,
    RecommendationOut,
    RecordingOut,
    SecondInstanceIn,
    SecondInstanceOut,
    TransferIn,
    VerifyOut,
    VoluntarinessIn,
    WithdrawalIn,
    WithdrawalOut,
)

log = logging.getLogger(__name__)

router = Router(tags=["案件办理"])

ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 503: ErrorOut}


def responses(status: int, schema: Any) -> dict[int, Any]:
    return {status: schema, **ERRORS}


def domain_errors(view: Callable) -> Callable:
    """Domain errors become their HTTP status with a Chinese message; database refusals never become a 500."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if any(isinstance(v, int) and not 0 < v <= MAX_ID for k, v in kwargs.items() if k.endswith("_id")):
            return Status(404, {"detail": "记录不存在或无权查看。", "field": None})
        try:
            status, body = view(request, *args, **kwargs)
        except DomainError as exc:
            return Status(exc.status, {"detail": exc.message, "field": exc.field})
        except IntegrityError:
            log.warning("integrity error in %s", view.__name__, exc_info=True)
            return Status(409, {"detail": "数据已被他人同时修改或与已有记录冲突，请刷新后重试。", "field": None})
        except DataError:
            log.warning("data error in %s", view.__name__, exc_info=True)
            return Status(422, {"detail": "输入的数据超出数据库允许的范围或包含无法保存的字符。", "field": None})
        return Status(status, body)

    return wrapper


def addr(request) -> str:
    return client_address(request)


def _defendant(request, defendant_id: int) -> dict:
    d = perm.get_defendant(request.user, defendant_id)
    return ser.defendant_out(d, request.user)


# ----------------------------------------------------------------------------- cases


@router.get("", response=responses(200, list[CaseOut]), summary="我可以查看的案件")
@domain_errors
def list_cases(request):
    qs = perm.visible_cases(request.user).select_related("unit", "court", "appeal_court", "prosecutor")
    return 200, [ser.case_out(c) for c in qs.order_by("-id")[:500]]


@router.post("", response=responses(201, CaseOut), summary="登记案件")
@domain_errors
def create_case(request, payload: CaseIn):
    case = services.create_case(request.user, payload.model_dump(), addr(request))
    return 201, ser.case_out(case)


@router.get("/{int:case_id}", response=responses(200, CaseDetailOut), summary="案件详情（读取个人信息，留痕）")
@domain_errors
def get_case(request, case_id: int):
    case = services.read_case(request.user, case_id, addr(request))
    return 200, ser.case_detail_out(case, request.user)


@router.patch("/{int:case_id}", response=responses(200, CaseOut), summary="修改案件信息（须提交版本号）")
@domain_errors
def update_case(request, case_id: int, payload: CasePatch):
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    case = services.update_case(request.user, case_id, version, data, addr(request))
    return 200, ser.case_out(case)


@router.post("/{int:case_id}/transfer", response=responses(200, CaseOut), summary="提起公诉，移送法院")
@domain_errors
def transfer_case(request, case_id: int, payload: TransferIn):
    case = services.transfer_case(
        request.user, case_id, payload.version, payload.court_id, payload.transferred_on, addr(request)
    )
    return 200, ser.case_out(case)


@router.post("/{int:case_id}/defendants", response=responses(201, DefendantOut), summary="登记犯罪嫌疑人")
@domain_errors
def add_defendant(request, case_id: int, payload: DefendantIn):
    d = services.add_defendant(request.user, case_id, payload.model_dump(), addr(request))
    return 201, _defendant(request, d.pk)


# ----------------------------------------------------------------------------- defendants


@router.get(
    "/defendants/{int:defendant_id}",
    response=responses(200, DefendantOut),
    summary="犯罪嫌疑人/被告人全部办案记录（留痕）",
)
@domain_errors
def get_defendant(request, defendant_id: int):
    d = services.read_defendant(request.user, defendant_id, addr(request))
    return 200, ser.defendant_out(d, request.user)


@router.patch("/defendants/{int:defendant_id}", response=responses(200, DefendantOut), summary="修改犯罪嫌疑人信息")
@domain_errors
def update_defendant(request, defendant_id: int, payload: DefendantPatch):
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    services.update_defendant(request.user, defendant_id, version, data, addr(request))
    return 200, _defendant(request, defendant_id)


@router.post(
    "/defendants/{int:defendant_id}/counsel",
    response=responses(200, DefendantOut),
    summary="指定辩护人/值班律师、转为法律援助",
)
@domain_errors
def assign_counsel(request, defendant_id: int, payload: CounselIn):
    services.assign_counsel(
        request.user,
        defendant_id,
        payload.version,
        payload.counsel_id,
        payload.counsel_role,
        payload.legal_aid,
        addr(request),
    )
    return 200, _defendant(request, defendant_id)


@router.post(
    "/defendants/{int:defendant_id}/rights-notifications",
    response=responses(201, NotificationOut),
    summary="记录权利义务告知（刑诉法 第173条）",
)
@domain_errors
def add_notification(request, defendant_id: int, payload: NotificationIn):
    n = services.record_notification(request.user, defendant_id, payload.model_dump(), addr(request))
    return 201, {
        "id": n.pk,
        "stage": n.stage,
        "notified_by": ser.ref(n.notified_by),
        "notified_at": n.notified_at,
        "content": n.content,
        "acknowledged": n.acknowledged,
    }


@router.post(
    "/defendants/{int:defendant_id}/voluntariness-checks",
    response=responses(201, CheckOut),
    summary="记录自愿性、真实性审查（指导意见 第28条）",
)
@domain_errors
def add_voluntariness(request, defendant_id: int, payload: VoluntarinessIn):
    c = services.record_voluntariness(request.user, defendant_id, payload.model_dump(), addr(request))
    return 201, {
        "id": c.pk,
        "checked_by": ser.ref(c.checked_by),
        "checked_at": c.checked_at,
        "understands": c.understands,
        "not_coerced": c.not_coerced,
        "facts_true": c.facts_true,
        "counsel_consulted": c.counsel_consulted,
        "passed": c.passed,
        "notes": c.notes,
    }


@router.post(
    "/defendants/{int:defendant_id}/recommendations",
    response=responses(201, RecommendationOut),
    summary="提出量刑建议（引擎计算并留存快照；偏离须说明理由，超出权力清单须审批）",
)
@domain_errors
def add_recommendation(request, defendant_id: int, payload: RecommendationIn):
    data = payload.model_dump()
    version = data.pop("version")
    rec = services.propose_recommendation(request.user, defendant_id, version, data, addr(request))
    return 201, ser.recommendation_out(rec)


@router.post(
    "/defendants/{int:defendant_id}/consultations",
    response=responses(201, ConsultationOut),
    summary="记录一轮量刑协商（检察官或辩护方）",
)
@domain_errors
def add_consultation(request, defendant_id: int, payload: ConsultationIn):
    item = services.add_consultation(request.user, defendant_id, payload.model_dump(), addr(request))
    return 201, ser.consultation_out(item)


@router.post(
    "/consultations/{int:consultation_id}/recordings",
    response=responses(201, RecordingOut),
    summary="附加同步录音录像（上传文件或外部存储编号与 SHA-256）",
)
@domain_errors
def add_recording(
    request,
    consultation_id: int,
    file: UploadedFile | None = File(None),
    reference: str = Form("", max_length=255),
    sha256: str = Form("", max_length=64),
):
    if file is not None:
        rec = services.add_recording(
            request.user,
            consultation_id,
            chunks=file.chunks(),
            original_name=file.name or "",
            content_type=file.content_type or "",
            address=addr(request),
        )
    else:
        rec = services.add_recording(
            request.user, consultation_id, reference=reference, sha256=sha256, address=addr(request)
        )
    return 201, ser.recording_out(rec)


@router.post(
    "/recordings/{int:recording_id}/verify",
    response=responses(200, VerifyOut),
    summary="校验录音录像 SHA-256（不传文件则校验本系统存储的文件）",
)
@domain_errors
def verify_recording(request, recording_id: int, file: UploadedFile | None = File(None)):
    chunks = file.chunks() if file is not None else None
    return 200, services.verify_recording(request.user, recording_id, chunks, addr(request))


@router.post(
    "/defendants/{int:defendant_id}/opinions", response=responses(201, OpinionOut), summary="辩护方提交书面意见"
)
@domain_errors
def add_opinion(request, defendant_id: int, payload: OpinionIn):
    o = services.add_opinion(request.user, defendant_id, payload.text, addr(request))
    return 201, {"id": o.pk, "author": ser.ref(o.author), "text": o.text, "submitted_at": o.submitted_at}


@router.post(
    "/defendants/{int:defendant_id}/procedure",
    response=responses(200, DefendantOut),
    summary="程序适用建议（速裁/简易/普通，或报批酌定不起诉）",
)
@domain_errors
def choose_procedure(request, defendant_id: int, payload: ProcedureIn):
    services.choose_procedure(
        request.user, defendant_id, payload.version, payload.choice, payload.reason, addr(request)
    )
    return 200, _defendant(request, defendant_id)


@router.post(
    "/defendants/{int:defendant_id}/plea-agreement",
    response=responses(201, AgreementOut),
    summary="签署认罪认罚具结书（刑诉法 第174条）",
)
@domain_errors
def sign_agreement(request, defendant_id: int, payload: AgreementIn):
    data = payload.model_dump()
    version = data.pop("version")
    item = services.sign_agreement(request.user, defendant_id, version, data, addr(request))
    return 201, ser.agreement_out(item)


@router.post(
    "/defendants/{int:defendant_id}/withdrawal",
    response=responses(201, WithdrawalOut),
    summary="记录反悔（重新计算不含认罪认罚从宽的量刑，速裁程序转换）",
)
@domain_errors
def record_withdrawal(request, defendant_id: int, payload: WithdrawalIn):
    item = services.record_withdrawal(
        request.user, defendant_id, payload.version, payload.reason, payload.still_admits_facts, addr(request)
    )
    return 201, ser.withdrawal_out(item)


@router.post(
    "/defendants/{int:defendant_id}/adjustment-requests",
    response=responses(201, AdjustmentOut),
    summary="法院通知调整量刑建议（刑诉法 第201条第2款）",
)
@domain_errors
def request_adjustment(request, defendant_id: int, payload: AdjustmentRequestIn):
    item = services.request_adjustment(request.user, defendant_id, payload.ground, payload.reason, addr(request))
    return 201, ser.adjustment_out(item)


@router.post(
    "/adjustment-requests/{int:request_id}/response",
    response=responses(200, AdjustmentOut),
    summary="检察院答复调整通知：调整或不调整",
)
@domain_errors
def respond_adjustment(request, request_id: int, payload: AdjustmentResponseIn):
    data = payload.model_dump()
    version = data.pop("version")
    item = services.respond_adjustment(request.user, request_id, version, data, addr(request))
    return 200, ser.adjustment_out(item)


@router.post(
    "/defendants/{int:defendant_id}/outcome", response=responses(201, OutcomeOut), summary="记录一审判决与采纳情况"
)
@domain_errors
def record_outcome(request, defendant_id: int, payload: OutcomeIn):
    data = payload.model_dump()
    version = data.pop("version")
    item = services.record_outcome(request.user, defendant_id, version, data, addr(request))
    return 201, ser.outcome_out(item)


@router.post("/defendants/{int:defendant_id}/appeals", response=responses(201, ChallengeOut), summary="记录上诉")
@domain_errors
def file_appeal(request, defendant_id: int, payload: AppealIn):
    item = services.file_appeal(request.user, defendant_id, payload.model_dump(), addr(request))
    return 201, ser.challenge_out(item)


@router.post(
    "/defendants/{int:defendant_id}/protests", response=responses(201, ChallengeOut), summary="提请抗诉（报检察长决定）"
)
@domain_errors
def file_protest(request, defendant_id: int, payload: ProtestIn):
    item = services.file_protest(request.user, defendant_id, payload.model_dump(), addr(request))
    return 201, ser.challenge_out(item)


@router.post(
    "/defendants/{int:defendant_id}/second-instance",
    response=responses(201, SecondInstanceOut),
    summary="记录二审结果",
)
@domain_errors
def record_second_instance(request, defendant_id: int, payload: SecondInstanceIn):
    item = services.record_second_instance(request.user, defendant_id, payload.model_dump(), addr(request))
    return 201, ser.second_instance_out(item)


@router.get(
    "/defendants/{int:defendant_id}/deadlines",
    response=responses(200, list[DeadlineOut]),
    summary="法定期限与超期提示",
)
@domain_errors
def deadlines(request, defendant_id: int):
    d = perm.get_defendant(request.user, defendant_id)
    return 200, services.defendant_deadlines(d)
