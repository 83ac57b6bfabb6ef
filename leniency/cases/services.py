"""The plea procedure's services: the only writers of case data.

Each public function is one database transaction, checks the actor's permission through
``permissions`` (querysets first, so an invisible record is "not found"), checks the optimistic version
when the caller passes one, and appends an audit event for every change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from leniency.accounts.models import Unit, User
from leniency.audit import trail as audit
from leniency.cases import permissions as perm
from leniency.cases import storage
from leniency.cases.engine import facts_with_plea, run_engine, validate_facts
from leniency.cases.errors import Conflict, Forbidden, Invalid, NotFound
from leniency.cases.identity import validate_national_id
from leniency.cases.models import (
    AdjustmentRequest,
    Approval,
    Case,
    Challenge,
    Consultation,
    CourtOutcome,
    DefenceOpinion,
    Defendant,
    PleaAgreement,
    Procedure,
    Recording,
    RightsNotification,
    SecondInstanceResult,
    SentencingRecommendation,
    Stage,
    VoluntarinessCheck,
    Withdrawal,
)
from leniency.procedure import CaseProfile, check_departure, load_rules, suggest_procedure
from leniency.procedure.deadlines import appeal_window_due, compute_deadlines, in_custody_from_measure
from leniency.procedure.eligibility import converted_after_withdrawal

Rec = SentencingRecommendation

# Grounds the court may give for not adopting a recommendation (刑诉法 第201条).
NOT_ADOPTED_GROUNDS = {
    "not_a_crime": "刑诉法 第201条第1款第1项：被告人的行为不构成犯罪或者不应当追究其刑事责任",
    "involuntary": "刑诉法 第201条第1款第2项：被告人违背意愿认罪认罚",
    "denies_facts": "刑诉法 第201条第1款第3项：被告人否认指控的犯罪事实",
    "different_charge": "刑诉法 第201条第1款第4项：起诉指控的罪名与审理认定的罪名不一致",
    "unfair_trial": "刑诉法 第201条第1款第5项：其他可能影响公正审判的情形",
    "clearly_improper": "刑诉法 第201条第2款：量刑建议明显不当，人民检察院不调整或者调整后仍然明显不当",
}
ADJUSTMENT_GROUNDS = {
    "clearly_improper": "刑诉法 第201条第2款：人民法院经审理认为量刑建议明显不当",
    "defence_objection": "刑诉法 第201条第2款：被告人、辩护人对量刑建议提出异议",
}
PROTEST_GROUNDS = {
    "exploit_leniency": "指导意见 第62条：被告人仅以量刑过重为由上诉，因反悔不再认罪认罚致使从宽量刑明显不当",
    "improper_sentence": "高检规则 第584条第3项：重罪轻判，轻罪重判，适用刑罚明显不当",
    "wrong_facts": "高检规则 第584条第1项：认定的事实确有错误或者据以定罪量刑的证据不确实、不充分",
    "other": "刑诉法 第228条：第一审判决确有错误",
}
APPEAL_GROUNDS = {
    "sentence_too_heavy": "量刑过重",
    "facts_unclear": "事实不清、证据不足",
    "involuntary": "违背意愿认罪认罚",
    "other": "其他理由",
}


# ----------------------------------------------------------------------------- helpers


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def _check_version(obj: Any, expected: int | None, label: str) -> None:
    if expected is not None and obj.version != expected:
        raise Conflict(
            f"{label}已被他人修改（当前版本 {obj.version}，您提交的版本 {expected}），为避免覆盖他人的修改，请刷新后重试。"
        )


def _bump(obj: Any, fields: list[str]) -> None:
    """Save with the version incremented, only if nobody else did in between (compare-and-set)."""
    model = type(obj)
    old = obj.version
    obj.version = old + 1
    values = {f: getattr(obj, f) for f in fields}
    if hasattr(model, "updated_at"):
        values["updated_at"] = _now()
    updated = model.objects.filter(pk=obj.pk, version=old).update(version=old + 1, **values)
    if updated != 1:
        raise Conflict("记录已被他人修改，为避免覆盖他人的修改，请刷新后重试。")


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        if hasattr(value, "pk"):
            value = value.pk
        out[name] = value
    return out


def _audit(actor: User, action: str, obj: Any, address: str, before: Any = None, after: Any = None) -> None:
    audit.record(actor=actor, action=action, obj=obj, before=before, after=after, address=address)


def _latest_recommendation(defendant: Defendant, statuses: tuple[str, ...] = (Rec.Status.EFFECTIVE,)) -> Rec | None:
    return defendant.recommendations.filter(status__in=statuses).order_by("-number").first()


def _valid_agreement(defendant: Defendant) -> PleaAgreement | None:
    return defendant.agreements.filter(status=PleaAgreement.Status.VALID).order_by("-id").first()


def _next_number(defendant: Defendant) -> int:
    return (defendant.recommendations.aggregate(m=Max("number"))["m"] or 0) + 1


def _power_list() -> dict[str, Any]:
    return dict(getattr(settings, "LENIENCY_POWER_LIST", {}) or {})


def _require_stage(case: Case, stages: tuple[str, ...], what: str) -> None:
    if case.stage not in stages:
        names = "、".join(Stage(s).label for s in stages)
        raise Conflict(f"案件当前处于{Stage(case.stage).label}阶段，{what}只能在{names}阶段进行。")


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# ----------------------------------------------------------------------------- cases

CASE_FIELDS = [
    "number",
    "charges",
    "stage",
    "received_on",
    "review_extended",
    "team",
    "facts_summary",
    "major_social_impact",
    "complex_joint_crime",
    "facts_clear",
]


def _clean_charges(charges: list[str]) -> list[str]:
    cleaned = [c.strip() for c in charges if c and c.strip()]
    if not cleaned:
        raise Invalid("罪名（charges）至少填写一个。", field="charges")
    return cleaned


@transaction.atomic
def create_case(actor: User, data: dict[str, Any], address: str = "") -> Case:
    perm.require_case_creator(actor)
    prosecutor = actor
    if data.get("prosecutor_id") not in (None, actor.pk):
        if actor.role != User.Role.SUPERVISOR:
            raise Forbidden("检察官只能登记由本人承办的案件；指定其他承办人须由部门负责人操作。")
        prosecutor = User.objects.filter(
            pk=data["prosecutor_id"], role=User.Role.PROSECUTOR, unit_id=actor.unit_id
        ).first()
        if prosecutor is None:
            raise Forbidden("只能指定本院的检察官承办案件（prosecutor_id）。", field="prosecutor_id")
    elif actor.role != User.Role.PROSECUTOR:
        raise Invalid("部门负责人登记案件须指定本院承办检察官（prosecutor_id）。", field="prosecutor_id")
    stage = data.get("stage") or Stage.PROSECUTION_REVIEW
    if stage not in (Stage.INVESTIGATION, Stage.PROSECUTION_REVIEW):
        raise Invalid("新登记的案件只能处于侦查或审查起诉阶段（stage）。", field="stage")
    case = Case(
        unit_id=actor.unit_id,
        prosecutor=prosecutor,
        number=data["number"].strip(),
        charges=_clean_charges(data["charges"]),
        stage=stage,
        received_on=data.get("received_on"),
        review_extended=bool(data.get("review_extended", False)),
        team=data.get("team") or Case.Team.PLEA,
        facts_summary=data.get("facts_summary", ""),
        major_social_impact=bool(data.get("major_social_impact", False)),
        complex_joint_crime=bool(data.get("complex_joint_crime", False)),
        facts_clear=bool(data.get("facts_clear", True)),
    )
    if not case.number:
        raise Invalid("案号（number）不能为空。", field="number")
    if Case.objects.filter(unit_id=case.unit_id, number=case.number).exists():
        raise Conflict(f"本院已有案号为“{case.number}”的案件。")
    if case.stage == Stage.PROSECUTION_REVIEW and case.received_on is None:
        raise Invalid("审查起诉阶段的案件须填写受理日期（received_on），以计算审查起诉期限。", field="received_on")
    case.save()
    _audit(actor, "case.create", case, address, after=_snapshot(case, CASE_FIELDS + ["prosecutor"]))
    return case


@transaction.atomic
def update_case(actor: User, case_id: int, version: int, changes: dict[str, Any], address: str = "") -> Case:
    case = perm.get_case(actor, case_id, for_update=True)
    perm.require_prosecutor(actor, case, "修改案件信息")
    _check_version(case, version, "案件")
    allowed = [f for f in CASE_FIELDS if f not in ("stage",)]
    changes = {k: v for k, v in changes.items() if k in allowed and v is not None}
    if "charges" in changes:
        changes["charges"] = _clean_charges(changes["charges"])
    if "number" in changes:
        changes["number"] = changes["number"].strip()
        if not changes["number"]:
            raise Invalid("案号（number）不能为空。", field="number")
        if Case.objects.filter(unit_id=case.unit_id, number=changes["number"]).exclude(pk=case.pk).exists():
            raise Conflict(f"本院已有案号为“{changes['number']}”的案件。")
    before = _snapshot(case, list(changes))
    for key, value in changes.items():
        setattr(case, key, value)
    _bump(case, list(changes))
    _audit(actor, "case.update", case, address, before=before, after=_snapshot(case, list(changes)))
    return case


@transaction.atomic
def transfer_case(
    actor: User, case_id: int, version: int, court_id: int, transferred_on: dt.date, address: str = ""
) -> Case:
    """提起公诉: the case goes to the court (刑诉法 第176条)."""
    case = perm.get_case(actor, case_id, for_update=True)
    perm.require_prosecutor(actor, case, "提起公诉")
    _check_version(case, version, "案件")
    _require_stage(case, (Stage.PROSECUTION_REVIEW,), "提起公诉")
    court = Unit.objects.filter(pk=court_id, kind=Unit.Kind.COURT).first()
    if court is None:
        raise Invalid("审判法院（court_id）必须是一个法院。", field="court_id")
    prosecuted = [d for d in case.defendants.all() if not d.non_prosecution_decided]
    if not prosecuted:
        raise Conflict("本案没有需要提起公诉的被告人。")
    for d in prosecuted:
        if not d.procedure or d.procedure == Procedure.NON_PROSECUTION:
            raise Conflict(f"被告人{d.name}尚未确定审判程序建议，不能提起公诉。")
        if d.plea == Defendant.Plea.PLEADED and _latest_recommendation(d) is None:
            raise Conflict(f"被告人{d.name}认罪认罚，应当提出量刑建议（刑诉法 第176条第2款）。")
        if d.procedure in (Procedure.FAST_TRACK, Procedure.SUMMARY) and not court.is_basic_level:
            raise Invalid(
                f"被告人{d.name}建议适用{Procedure(d.procedure).label}，须由基层人民法院审判（刑诉法 第214条、第222条）。",
                field="court_id",
            )
    if case.received_on and transferred_on < case.received_on:
        raise Invalid("提起公诉日期（transferred_on）不能早于受理日期。", field="transferred_on")
    before = _snapshot(case, ["stage", "court", "transferred_on"])
    case.stage, case.court, case.transferred_on = Stage.TRIAL, court, transferred_on
    _bump(case, ["stage", "court", "transferred_on"])
    _audit(
        actor,
        "case.transfer",
        case,
        address,
        before=before,
        after=_snapshot(case, ["stage", "court", "transferred_on"]),
    )
    return case


# ----------------------------------------------------------------------------- defendants

DEFENDANT_FIELDS = [
    "name",
    "national_id",
    "birth_date",
    "custody_status",
    "custody_since",
    "custody_until",
    "prior_record",
    "disability",
    "civil_settlement",
    "co_defendant_dispute",
    "innocence_defence",
    "consents_fast_track",
    "objects_summary",
    "plea",
    "facts",
]


@transaction.atomic
def add_defendant(actor: User, case_id: int, data: dict[str, Any], address: str = "") -> Defendant:
    case = perm.get_case(actor, case_id, for_update=True)
    perm.require_prosecutor(actor, case, "登记犯罪嫌疑人")
    _require_stage(case, (Stage.INVESTIGATION, Stage.PROSECUTION_REVIEW), "登记犯罪嫌疑人")
    name = (data.get("name") or "").strip()
    if not name:
        raise Invalid("姓名（name）不能为空。", field="name")
    national_id = validate_national_id(data["national_id"], data["birth_date"])
    if case.defendants.filter(national_id=national_id).exists():
        raise Conflict("本案已登记该公民身份号码的犯罪嫌疑人。")
    defendant = Defendant(case=case, name=name, national_id=national_id, birth_date=data["birth_date"])
    for key in DEFENDANT_FIELDS[3:]:
        if key in data and data[key] is not None:
            setattr(defendant, key, data[key])
    if defendant.plea == Defendant.Plea.WITHDRAWN:
        raise Invalid("新登记的犯罪嫌疑人不能直接记为“已反悔”（plea）。", field="plea")
    defendant.facts = _checked_facts(case, defendant, data.get("facts") or {})
    defendant.save()
    _audit(actor, "defendant.create", defendant, address, after=_snapshot(defendant, DEFENDANT_FIELDS))
    _bump(case, [])
    return defendant


def _checked_facts(case: Case, defendant: Defendant, facts: dict[str, Any]) -> dict[str, Any]:
    if not facts:
        return {}
    data = dict(facts)
    data.setdefault("charges", [{"charge": c} for c in case.charges])
    data.setdefault("defendant", defendant.name)
    return validate_facts(data)


@transaction.atomic
def update_defendant(
    actor: User, defendant_id: int, version: int, changes: dict[str, Any], address: str = ""
) -> Defendant:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    perm.require_prosecutor(actor, defendant.case, "修改犯罪嫌疑人信息")
    _check_version(defendant, version, "犯罪嫌疑人/被告人信息")
    changes = {k: v for k, v in changes.items() if k in DEFENDANT_FIELDS and v is not None}
    if "plea" in changes and changes["plea"] != defendant.plea:
        if changes["plea"] == Defendant.Plea.WITHDRAWN or defendant.plea == Defendant.Plea.WITHDRAWN:
            raise Conflict("反悔须通过“记录反悔”办理，不能直接修改认罪认罚状态（plea）。")
        if _valid_agreement(defendant) is not None:
            raise Conflict("具结书已签署，认罪认罚状态不能直接修改。")
    if "national_id" in changes or "birth_date" in changes:
        changes["national_id"] = validate_national_id(
            changes.get("national_id", defendant.national_id), changes.get("birth_date", defendant.birth_date)
        )
    if "facts" in changes:
        if _valid_agreement(defendant) is not None:
            raise Conflict(
                "具结书已签署，量刑事实已随量刑建议冻结；有新的事实和证据的，应当重新听取意见并重新具结（指导意见 第33条）。"
            )
        changes["facts"] = _checked_facts(defendant.case, defendant, changes["facts"])
    before = _snapshot(defendant, list(changes))
    for key, value in changes.items():
        setattr(defendant, key, value)
    _bump(defendant, list(changes))
    _audit(actor, "defendant.update", defendant, address, before=before, after=_snapshot(defendant, list(changes)))
    return defendant


@transaction.atomic
def assign_counsel(
    actor: User,
    defendant_id: int,
    version: int | None,
    counsel_id: int | None,
    counsel_role: str,
    legal_aid: bool,
    address: str = "",
) -> Defendant:
    """Assign counsel; a duty lawyer converted to appointed legal-aid defence keeps the case (指导意见 第18条)."""
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    perm.require_prosecutor(actor, defendant.case, "指定辩护人或值班律师")
    _check_version(defendant, version, "犯罪嫌疑人/被告人信息")
    before = _snapshot(defendant, ["counsel", "counsel_role", "legal_aid", "legal_aid_since"])
    if counsel_role == Defendant.CounselRole.NONE:
        if counsel_id is not None:
            raise Invalid("未指定法律帮助类型时不能指定律师（counsel_id）。", field="counsel_id")
        defendant.counsel, defendant.counsel_role, defendant.legal_aid = None, counsel_role, False
    else:
        lawyer = User.objects.filter(pk=counsel_id, role__in=list(perm.LAWYER_ROLES)).first()
        if lawyer is None:
            raise Invalid("律师（counsel_id）必须是辩护人或值班律师用户。", field="counsel_id")
        if counsel_role == Defendant.CounselRole.DUTY_LAWYER and lawyer.role != User.Role.DUTY_LAWYER:
            raise Invalid("值班律师（counsel_role=duty_lawyer）须指定值班律师用户。", field="counsel_id")
        if (
            counsel_role == Defendant.CounselRole.DEFENSE_COUNSEL
            and lawyer.role == User.Role.DUTY_LAWYER
            and not legal_aid
        ):
            raise Invalid("值班律师担任辩护人须经法律援助机构指派（legal_aid=true）。", field="legal_aid")
        defendant.counsel, defendant.counsel_role = lawyer, counsel_role
        if legal_aid and not defendant.legal_aid:
            defendant.legal_aid_since = _now()
        defendant.legal_aid = legal_aid
    _bump(defendant, ["counsel", "counsel_role", "legal_aid", "legal_aid_since"])
    _audit(
        actor,
        "defendant.counsel",
        defendant,
        address,
        before=before,
        after=_snapshot(defendant, ["counsel", "counsel_role", "legal_aid", "legal_aid_since"]),
    )
    return defendant


def read_defendant(actor: User, defendant_id: int, address: str = "") -> Defendant:
    """Reading a defendant is reading personal data: it is audited."""
    defendant = perm.get_defendant(actor, defendant_id)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="personal_data.read",
            obj=defendant,
            after={"full_national_id": perm.sees_full_id(actor)},
            address=address,
        )
    return defendant


def read_case(actor: User, case_id: int, address: str = "") -> Case:
    case = perm.get_case(actor, case_id)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="personal_data.read",
            obj=case,
            after={"defendants": list(perm.visible_defendants(actor).filter(case=case).values_list("pk", flat=True))},
            address=address,
        )
    return case


# ----------------------------------------------------------------------------- notification & voluntariness


def _require_prosecutor_or_trial_judge(actor: User, case: Case, what: str) -> None:
    if actor.role == User.Role.JUDGE:
        perm.require_trial_judge(actor, case, what)
        _require_stage(case, (Stage.TRIAL,), what)
    else:
        perm.require_prosecutor(actor, case, what)
        _require_stage(case, (Stage.INVESTIGATION, Stage.PROSECUTION_REVIEW), what)


@transaction.atomic
def record_notification(actor: User, defendant_id: int, data: dict[str, Any], address: str = "") -> RightsNotification:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    _require_prosecutor_or_trial_judge(actor, defendant.case, "告知诉讼权利和认罪认罚的法律规定")
    content = (data.get("content") or "").strip()
    if not content:
        raise Invalid("告知内容（content）不能为空。", field="content")
    note = RightsNotification.objects.create(
        defendant=defendant,
        stage=defendant.case.stage,
        notified_by=actor,
        notified_at=data.get("notified_at") or _now(),
        content=content,
        acknowledged=bool(data.get("acknowledged", True)),
    )
    _audit(actor, "rights_notification.create", note, address, after=_snapshot(note, ["defendant", "stage", "content"]))
    return note


@transaction.atomic
def record_voluntariness(actor: User, defendant_id: int, data: dict[str, Any], address: str = "") -> VoluntarinessCheck:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    _require_prosecutor_or_trial_judge(actor, defendant.case, "审查认罪认罚的自愿性、真实性")
    check = VoluntarinessCheck.objects.create(
        defendant=defendant,
        checked_by=actor,
        checked_at=data.get("checked_at") or _now(),
        understands=data["understands"],
        not_coerced=data["not_coerced"],
        facts_true=data["facts_true"],
        counsel_consulted=data["counsel_consulted"],
        notes=data.get("notes", ""),
    )
    fields = ["defendant", "understands", "not_coerced", "facts_true", "counsel_consulted", "notes"]
    _audit(actor, "voluntariness_check.create", check, address, after=_snapshot(check, fields))
    return check


# ----------------------------------------------------------------------------- recommendations


def _proposal_bounds(data: dict[str, Any]) -> tuple[str, int | None, int | None, int | None]:
    kind = data.get("kind")
    sentence_type = data.get("sentence_type")
    if kind not in (Rec.Kind.DEFINITE, Rec.Kind.RANGE):
        raise Invalid("须选择确定刑或幅度刑（kind），或选择直接采用引擎计算结果（use_engine）。", field="kind")
    if not sentence_type:
        raise Invalid("须填写刑种（sentence_type）。", field="sentence_type")
    if sentence_type in ("exempt", "fine_only"):
        return kind, 0, 0, 0
    if sentence_type in ("life", "death"):
        raise Invalid("认罪认罚量刑建议不适用无期徒刑、死刑的刑期计算，请按普通程序办理。", field="sentence_type")
    if kind == Rec.Kind.DEFINITE:
        months = data.get("months")
        if months is None:
            raise Invalid("确定刑量刑建议须填写刑期（months）。", field="months")
        return kind, months, months, months
    low, high = data.get("months_low"), data.get("months_high")
    if low is None or high is None:
        raise Invalid("幅度刑量刑建议须填写幅度下限和上限（months_low、months_high）。", field="months_low")
    if low > high:
        raise Invalid("幅度下限（months_low）不能大于上限（months_high）。", field="months_low")
    return kind, None, low, high


def _check_no_confiscation_when_exempt(data: dict[str, Any]) -> None:
    # 免予刑事处罚 (刑法第三十七条) imposes no penalty at all, so no accessory one either.
    if data.get("confiscation") and data.get("sentence_type") == "exempt":
        raise Invalid("免予刑事处罚的，不能并处没收财产（confiscation）。", field="confiscation")


def _create_recommendation(
    actor: User,
    defendant: Defendant,
    data: dict[str, Any],
    *,
    origin: str,
    plea: bool,
    address: str,
) -> Rec:
    case = defendant.case
    if not defendant.facts:
        raise Conflict("尚未录入量刑事实（facts），无法计算量刑建议。")
    facts = facts_with_plea(defendant.facts, plea=plea, stage=case.stage)
    snapshot = run_engine(facts)
    sentence = snapshot["output"]["sentence"]
    engine_low, engine_high = sentence["range"]
    if data.get("use_engine"):
        data = {
            "kind": Rec.Kind.DEFINITE,
            "sentence_type": sentence["type"],
            "months": sentence["months"],
            "probation": sentence.get("probation", False),
            "probation_months": sentence.get("probation_months"),
            "fine": sentence.get("fine"),
            "confiscation": sentence.get("confiscation"),
            "departure_reason": data.get("departure_reason", ""),
        }
    kind, months, low, high = _proposal_bounds(data)
    _check_no_confiscation_when_exempt(data)
    if data.get("probation") and not data.get("probation_months"):
        raise Invalid("建议缓刑的，须填写缓刑考验期（probation_months）。", field="probation_months")
    exclusion = bool(snapshot["facts"].get("exclusion"))
    leniency = False
    if exclusion and plea:
        without = run_engine(facts_with_plea(defendant.facts, plea=False, stage=case.stage))["output"]["sentence"]
        leniency = low < without["range"][0]
    check = check_departure(
        engine_type=sentence["type"],
        engine_range=(engine_low, engine_high),
        proposed_type=data["sentence_type"],
        proposed_low=low,
        proposed_high=high,
        exclusion_applies=exclusion,
        leniency_granted=leniency,
        power_list=_power_list(),
    )
    reason = (data.get("departure_reason") or "").strip()
    if check.needs_reason and not reason:
        raise Invalid(
            "量刑建议偏离量刑计算结果，须书面说明理由（departure_reason，指导意见 第36条）："
            + "；".join(check.reasons),
            field="departure_reason",
        )
    if check.needs_approval and not reason:
        raise Invalid("须报请审批的量刑建议应当写明理由（departure_reason）。", field="departure_reason")
    rec = Rec.objects.create(
        defendant=defendant,
        number=_next_number(defendant),
        origin=origin,
        facts=snapshot["facts"],
        engine_output=snapshot["output"],
        rule_edition=snapshot["rule_edition"],
        engine_type=sentence["type"],
        engine_months=sentence["months"],
        engine_low=engine_low,
        engine_high=engine_high,
        kind=kind,
        sentence_type=data["sentence_type"],
        months=months,
        months_low=low if kind == Rec.Kind.RANGE else None,
        months_high=high if kind == Rec.Kind.RANGE else None,
        probation=bool(data.get("probation", False)),
        probation_months=data.get("probation_months") if data.get("probation") else None,
        fine=data.get("fine"),
        confiscation=data.get("confiscation") or "",
        departure=check.to_dict(),
        departure_reason=reason,
        status=Rec.Status.PENDING_APPROVAL if check.needs_approval else Rec.Status.EFFECTIVE,
        created_by=actor,
    )
    # A new version replaces any version still waiting for approval; its approval request is withdrawn.
    stale = list(
        defendant.recommendations.exclude(pk=rec.pk)
        .filter(status=Rec.Status.PENDING_APPROVAL)
        .values_list("pk", flat=True)
    )
    if stale:
        Rec.objects.filter(pk__in=stale).update(status=Rec.Status.SUPERSEDED)
        for approval in Approval.objects.filter(
            target_type="recommendation", target_id__in=stale, status=Approval.Status.PENDING
        ):
            Approval.objects.filter(pk=approval.pk).update(
                status=Approval.Status.WITHDRAWN, version=approval.version + 1, decided_at=_now()
            )
            _audit(actor, "approval.withdraw", approval, address, after={"status": Approval.Status.WITHDRAWN})
    if rec.status == Rec.Status.EFFECTIVE:
        defendant.recommendations.exclude(pk=rec.pk).filter(status=Rec.Status.EFFECTIVE).update(
            status=Rec.Status.SUPERSEDED
        )
    else:
        kind_ = (
            Approval.Kind.EXCLUSION_LENIENCY
            if exclusion and leniency and not (check.months_outside > check.margin_months)
            else Approval.Kind.DEPARTURE
        )
        approval = Approval.objects.create(
            kind=kind_,
            unit_id=case.unit_id,
            case=case,
            defendant=defendant,
            target_type="recommendation",
            target_id=rec.pk,
            citation="高检规则 第4条；指导意见 第10条、第36条",
            request_reason=reason + "（" + "；".join(check.reasons) + "）",
            requested_by=actor,
        )
        _audit(actor, "approval.request", approval, address, after={"kind": approval.kind, "target": rec.pk})
    fields = [
        "defendant",
        "number",
        "origin",
        "kind",
        "sentence_type",
        "months",
        "months_low",
        "months_high",
        "probation",
        "probation_months",
        "fine",
        "confiscation",
        "status",
        "rule_edition",
        "engine_low",
        "engine_high",
        "departure_reason",
    ]
    _audit(actor, "recommendation.create", rec, address, after=_snapshot(rec, fields))
    return rec


@transaction.atomic
def propose_recommendation(
    actor: User, defendant_id: int, version: int | None, data: dict[str, Any], address: str = ""
) -> Rec:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    perm.require_prosecutor(actor, defendant.case, "提出量刑建议")
    _check_version(defendant, version, "犯罪嫌疑人/被告人信息")
    _require_stage(defendant.case, (Stage.PROSECUTION_REVIEW,), "提出量刑建议")
    if _valid_agreement(defendant) is not None:
        raise Conflict(
            "具结书已签署，量刑建议已冻结；没有新的事实和证据或犯罪嫌疑人未反悔的，不得变更量刑建议（指导意见 第33条）。"
        )
    if defendant.plea == Defendant.Plea.NONE:
        raise Conflict("犯罪嫌疑人尚未认罪认罚（plea），认罪认罚量刑建议须在其认罪认罚后提出。")
    plea = defendant.plea == Defendant.Plea.PLEADED
    rec = _create_recommendation(actor, defendant, data, origin=Rec.Origin.PROSECUTOR, plea=plea, address=address)
    _bump(defendant, [])
    return rec


# ----------------------------------------------------------------------------- consultation


@transaction.atomic
def add_consultation(actor: User, defendant_id: int, data: dict[str, Any], address: str = "") -> Consultation:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    case = defendant.case
    if actor.role in perm.LAWYER_ROLES:
        perm.require_counsel(actor, defendant, "提出量刑协商意见")
        party = Consultation.Party.DEFENCE
    else:
        perm.require_prosecutor(actor, case, "记录量刑协商")
        party = Consultation.Party.PROSECUTION
    _require_stage(case, (Stage.PROSECUTION_REVIEW,), "量刑协商")
    if defendant.plea == Defendant.Plea.WITHDRAWN:
        raise Conflict("犯罪嫌疑人已反悔，不再进行认罪认罚量刑协商。")
    if _valid_agreement(defendant) is not None:
        raise Conflict("具结书已签署，协商已结束。")
    status = data["status"]
    last = defendant.consultations.order_by("-round").first()
    if last is None and status == Consultation.Status.COUNTERED:
        raise Invalid("第一轮协商不能是“提出不同意见”（status=countered）。", field="status")
    rec = _latest_recommendation(defendant)
    if status == Consultation.Status.AGREED and rec is None:
        raise Conflict("尚无有效的量刑建议，不能记为协商一致。")
    proposal = (data.get("proposal") or "").strip()
    if not proposal:
        raise Invalid("意见/方案（proposal）不能为空。", field="proposal")
    attendees = [a.strip() for a in data.get("attendees") or [] if a and a.strip()]
    if not attendees:
        raise Invalid("参加人员（attendees）至少一人。", field="attendees")
    round_no = (last.round if last else 0) + 1
    try:
        with transaction.atomic():
            item = Consultation.objects.create(
                defendant=defendant,
                round=round_no,
                party=party,
                recommendation=rec,
                proposal=proposal,
                proposed_months=data.get("proposed_months"),
                reasons=data.get("reasons", ""),
                attendees=attendees,
                held_at=data.get("held_at") or _now(),
                status=status,
                created_by=actor,
            )
    except IntegrityError:
        raise Conflict("同一轮协商已被他人记录，请刷新后重试。") from None
    fields = [
        "defendant",
        "round",
        "party",
        "recommendation",
        "proposal",
        "proposed_months",
        "reasons",
        "attendees",
        "status",
    ]
    _audit(actor, "consultation.create", item, address, after=_snapshot(item, fields))
    _bump(defendant, [])
    return item


@transaction.atomic
def add_recording(
    actor: User,
    consultation_id: int,
    *,
    chunks: Any = None,
    original_name: str = "",
    content_type: str = "",
    reference: str = "",
    sha256: str = "",
    address: str = "",
) -> Recording:
    consultation = Consultation.objects.select_related("defendant__case").filter(pk=consultation_id).first()
    if consultation is None or not perm.visible_defendants(actor).filter(pk=consultation.defendant_id).exists():
        raise NotFound("协商记录不存在或无权查看。")
    perm.require_prosecutor(actor, consultation.defendant.case, "附加同步录音录像")
    if chunks is not None:
        digest, size, rel = storage.store(chunks)
        if size == 0:
            raise Invalid("录音录像文件（file）为空。", field="file")
        rec = Recording(
            consultation=consultation,
            sha256=digest,
            size=size,
            original_name=original_name[:255],
            content_type=content_type[:100],
            stored_path=rel,
        )
    else:
        reference = (reference or "").strip()
        sha256 = (sha256 or "").strip().lower()
        if not reference:
            raise Invalid("请上传录音录像文件（file），或填写外部存储编号（reference）和 SHA-256。", field="file")
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise Invalid("外部存储的录音录像须填写64位十六进制的 SHA-256（sha256）。", field="sha256")
        rec = Recording(consultation=consultation, sha256=sha256, reference=reference[:255])
    rec.created_by = actor
    rec.save()
    _audit(
        actor,
        "recording.create",
        rec,
        address,
        after=_snapshot(rec, ["consultation", "sha256", "size", "original_name", "stored_path", "reference"]),
    )
    return rec


def verify_recording(actor: User, recording_id: int, chunks: Any = None, address: str = "") -> dict[str, Any]:
    rec = Recording.objects.select_related("consultation__defendant").filter(pk=recording_id).first()
    if rec is None or not perm.visible_defendants(actor).filter(pk=rec.consultation.defendant_id).exists():
        raise NotFound("录音录像不存在或无权查看。")
    if chunks is not None:
        digest, _ = storage.sha256_of(chunks)
        source = "submitted"
    elif rec.stored_path:
        digest = storage.stored_hash(rec.stored_path)
        source = "stored"
    else:
        return {
            "recording_id": rec.pk,
            "sha256": rec.sha256,
            "source": "reference",
            "actual_sha256": None,
            "intact": None,
            "detail": "该录音录像保存在外部系统，请上传文件（file）以比对 SHA-256。",
        }
    intact = digest == rec.sha256
    if digest is None:
        detail = "存储的录音录像文件已丢失。"
    elif intact:
        detail = "SHA-256 一致，录音录像未被改动。"
    else:
        detail = "SHA-256 不一致：文件已被改动或不是该录音录像。"
    with transaction.atomic():
        audit.record(
            actor=actor, action="recording.verify", obj=rec, after={"intact": intact, "source": source}, address=address
        )
    return {
        "recording_id": rec.pk,
        "sha256": rec.sha256,
        "source": source,
        "actual_sha256": digest,
        "intact": intact,
        "detail": detail,
    }


@transaction.atomic
def add_opinion(actor: User, defendant_id: int, text: str, address: str = "") -> DefenceOpinion:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    perm.require_counsel(actor, defendant, "提交书面意见")
    if defendant.case.stage == Stage.CLOSED:
        raise Conflict("案件已结案，不能再提交书面意见。")
    text = (text or "").strip()
    if not text:
        raise Invalid("书面意见（text）不能为空。", field="text")
    opinion = DefenceOpinion.objects.create(defendant=defendant, author=actor, text=text)
    _audit(actor, "defence_opinion.create", opinion, address, after={"defendant": defendant.pk, "text": text})
    return opinion


# ----------------------------------------------------------------------------- procedure


def case_profile(defendant: Defendant, *, plea: bool | None = None, court: Unit | None = None) -> CaseProfile:
    case = defendant.case
    rec = _latest_recommendation(defendant)
    if rec is not None:
        sentence_type, months = rec.sentence_type, rec.high or 0
    else:
        sentence_type, months = "fixed_term", 10**6  # unknown possible sentence: fast_track cannot be shown
    exclusions = set()
    facts = defendant.facts or {}
    if defendant.disability or facts.get("deaf_mute_or_blind") or facts.get("mental_capacity") == "limited":
        exclusions.add("disability")
    if _age_on(defendant.birth_date, _today()) < 18:
        exclusions.add("minor")
    if case.major_social_impact:
        exclusions.add("major_social_impact")
    if defendant.co_defendant_dispute:
        exclusions.add("co_defendant_dispute")
    if defendant.civil_settlement == Defendant.CivilSettlement.UNSETTLED:
        exclusions.add("civil_settlement_missing")
    if case.complex_joint_crime:
        exclusions.add("complex_joint_crime")
    if defendant.innocence_defence:
        exclusions.add("innocence_defence")
    # Before transfer the court is not known: a basic-level procuratorate prosecutes before a basic-level court.
    target = court or case.court
    basic = target.is_basic_level if target is not None else case.unit.is_basic_level
    pleaded = defendant.plea == Defendant.Plea.PLEADED if plea is None else plea
    return CaseProfile(
        basic_level_court=basic,
        possible_sentence_type=sentence_type,
        possible_sentence_months=months,
        facts_clear=case.facts_clear,
        admits_facts=_admits_facts(defendant, pleaded),
        plea=pleaded,
        consents_fast_track=defendant.consents_fast_track,
        objects_summary=defendant.objects_summary,
        exclusions=frozenset(exclusions),
        engine_exempt=bool(rec and rec.engine_type == "exempt"),
    )


def _admits_facts(defendant: Defendant, pleaded: bool) -> bool:
    if defendant.innocence_defence:
        return False
    if pleaded:
        return True
    last = defendant.withdrawals.order_by("-id").first() if defendant.pk else None
    return bool(last and last.still_admits_facts)


@transaction.atomic
def choose_procedure(
    actor: User, defendant_id: int, version: int | None, choice: str | None, reason: str = "", address: str = ""
) -> Defendant:
    """Suggest the procedure by law; the prosecutor may choose a fuller one, never a simpler one than allowed."""
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    case = defendant.case
    perm.require_prosecutor(actor, case, "提出程序适用建议")
    _check_version(defendant, version, "犯罪嫌疑人/被告人信息")
    _require_stage(case, (Stage.PROSECUTION_REVIEW,), "提出程序适用建议")
    if _valid_agreement(defendant) is not None:
        raise Conflict("具结书已签署，程序适用已随具结书确定。")
    suggestion = suggest_procedure(case_profile(defendant))
    chosen = choice or suggestion.procedure
    order = ["fast_track", "summary", "ordinary"]
    if chosen == Procedure.NON_PROSECUTION:
        if not suggestion.non_prosecution_possible:
            failed = suggestion.evaluation("non_prosecution").failed()
            raise Invalid(
                "不符合酌定不起诉条件：" + "；".join(f"{r.text}（{r.citation}）" for r in failed), field="choice"
            )
        if not reason.strip():
            raise Invalid("拟作酌定不起诉的，须写明理由（reason），报检察长批准（高检规则 第370条）。", field="reason")
    elif chosen not in order:
        raise Invalid("程序（choice）只能是 fast_track、summary、ordinary 或 non_prosecution。", field="choice")
    elif not suggestion.evaluation(chosen).eligible:
        failed = suggestion.evaluation(chosen).failed()
        raise Invalid(
            f"不符合{Procedure(chosen).label}的适用条件：" + "；".join(f"{r.text}（{r.citation}）" for r in failed),
            field="choice",
        )
    before = _snapshot(defendant, ["procedure", "procedure_explanation"])
    detail = suggestion.to_dict()
    detail["chosen"] = chosen
    detail["reason"] = reason
    defendant.procedure_detail = detail
    if chosen == Procedure.NON_PROSECUTION:
        # The decision is the chief prosecutor's (高检规则 第370条): record it as pending approval.
        defendant.procedure_explanation = (
            "拟作酌定不起诉（刑诉法 第177条第2款），待检察长批准。" + suggestion.explanation()
        )
        approval = Approval.objects.create(
            kind=Approval.Kind.NON_PROSECUTION,
            unit_id=case.unit_id,
            case=case,
            defendant=defendant,
            target_type="defendant",
            target_id=defendant.pk,
            citation="刑诉法 第177条第2款；高检规则 第370条",
            request_reason=reason,
            requested_by=actor,
        )
        _audit(actor, "approval.request", approval, address, after={"kind": approval.kind, "target": defendant.pk})
    else:
        defendant.procedure = chosen
        text = suggestion.explanation()
        if chosen != suggestion.procedure:
            text = f"检察官选择{Procedure(chosen).label}（理由：{reason or '未说明'}）。" + text
        defendant.procedure_explanation = text
    _bump(defendant, ["procedure", "procedure_explanation", "procedure_detail"])
    _audit(
        actor,
        "defendant.procedure",
        defendant,
        address,
        before=before,
        after=_snapshot(defendant, ["procedure", "procedure_explanation"]),
    )
    return defendant


# ----------------------------------------------------------------------------- plea agreement


@transaction.atomic
def sign_agreement(
    actor: User, defendant_id: int, version: int | None, data: dict[str, Any], address: str = ""
) -> PleaAgreement:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    case = defendant.case
    perm.require_prosecutor(actor, case, "组织签署认罪认罚具结书")
    _check_version(defendant, version, "犯罪嫌疑人/被告人信息")
    _require_stage(case, (Stage.PROSECUTION_REVIEW,), "签署认罪认罚具结书")
    if defendant.plea != Defendant.Plea.PLEADED:
        raise Conflict("犯罪嫌疑人未认罪认罚，不能签署具结书（刑诉法 第174条第1款）。")
    if _valid_agreement(defendant) is not None:
        raise Conflict("该犯罪嫌疑人已签署有效的具结书。")
    if not defendant.notifications.exists():
        raise Conflict("尚未告知诉讼权利和认罪认罚的法律规定（刑诉法 第173条第2款），不能签署具结书。")
    check = defendant.voluntariness_checks.order_by("-id").first()
    if check is None or not check.passed:
        raise Conflict("自愿性、真实性审查未通过或尚未进行（指导意见 第28条），不能签署具结书。")
    rec = _latest_recommendation(defendant)
    if rec is None:
        pending = _latest_recommendation(defendant, (Rec.Status.PENDING_APPROVAL,))
        raise Conflict("量刑建议尚待审批，不能签署具结书。" if pending else "尚无有效的量刑建议，不能签署具结书。")
    last = defendant.consultations.order_by("-round").first()
    if last is None or last.status != Consultation.Status.AGREED:
        raise Conflict("量刑协商尚未达成一致（最后一轮协商状态须为“协商一致”），不能签署具结书（指导意见 第37条）。")
    if not defendant.procedure or defendant.procedure == Procedure.NON_PROSECUTION:
        raise Conflict("尚未提出审判程序适用建议，具结书须载明程序适用（刑诉法 第174条第1款）。")
    grounds = load_rules().no_counsel_grounds()
    witness = None
    ground = (data.get("no_counsel_ground") or "").strip()
    note = (data.get("no_counsel_note") or "").strip()
    if data.get("counsel_present"):
        if defendant.counsel is None:
            raise Conflict("该犯罪嫌疑人没有辩护人或值班律师，不能记为律师在场；请先指定值班律师（指导意见 第19条）。")
        witness = defendant.counsel
        ground = ""
    else:
        if ground not in grounds:
            raise Invalid(
                "具结书应当在辩护人或者值班律师在场的情况下签署（刑诉法 第174条第1款）；没有律师在场的，须选择第174条第2款规定的情形（no_counsel_ground："
                + "、".join(grounds)
                + "）。",
                field="no_counsel_ground",
            )
        if ground == "other" and not note:
            raise Invalid(
                "选择“其他不需要签署具结书的情形”的，须写明具体情况（no_counsel_note）。", field="no_counsel_note"
            )
    signed_at = data.get("signed_at") or _now()
    content = {
        "defendant": defendant.name,
        "charges": case.charges,
        "recommendation": {
            "number": rec.number,
            "kind": rec.kind,
            "sentence_type": rec.sentence_type,
            "months": rec.months,
            "months_low": rec.months_low,
            "months_high": rec.months_high,
            "probation": rec.probation,
            "probation_months": rec.probation_months,
            "fine": rec.fine,
            "confiscation": rec.confiscation or None,
            "text": rec.text,
            "rule_edition": rec.rule_edition,
        },
        "procedure": defendant.procedure,
        "procedure_name": Procedure(defendant.procedure).label,
        "witness": witness.display_name if witness else None,
        "no_counsel_ground": grounds[ground]["citation"] + "：" + grounds[ground]["text"] if ground else None,
    }
    agreement = PleaAgreement.objects.create(
        defendant=defendant,
        recommendation=rec,
        charges=case.charges,
        procedure=defendant.procedure,
        content=content,
        witness=witness,
        witness_role=defendant.counsel_role if witness else "",
        no_counsel_ground=ground,
        no_counsel_note=note,
        signed_at=signed_at,
        recorded_by=actor,
    )
    Rec.objects.filter(pk=rec.pk).update(frozen=True)
    _bump(defendant, [])
    _audit(actor, "plea_agreement.sign", agreement, address, after=content)
    return agreement


# ----------------------------------------------------------------------------- withdrawal


@transaction.atomic
def record_withdrawal(
    actor: User, defendant_id: int, version: int | None, reason: str, still_admits_facts: bool, address: str = ""
) -> Withdrawal:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    case = defendant.case
    if actor.role == User.Role.JUDGE:
        perm.require_trial_judge(actor, case, "记录被告人反悔")
        _require_stage(case, (Stage.TRIAL,), "记录被告人反悔")
    else:
        perm.require_prosecutor(actor, case, "记录犯罪嫌疑人反悔")
        _require_stage(case, (Stage.PROSECUTION_REVIEW, Stage.TRIAL), "记录反悔")
    _check_version(defendant, version, "犯罪嫌疑人/被告人信息")
    if hasattr(defendant, "outcome"):
        raise Conflict("一审已作出判决，反悔只能在判决前记录（指导意见 第60条）；判决后请记录上诉。")
    if defendant.plea != Defendant.Plea.PLEADED:
        raise Conflict("该犯罪嫌疑人/被告人并未认罪认罚，无从反悔。")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("反悔理由（reason）不能为空。", field="reason")
    if not defendant.facts:
        raise Conflict("尚未录入量刑事实，无法重新计算量刑建议。")
    before = _snapshot(defendant, ["plea", "procedure"])
    agreement = _valid_agreement(defendant)
    if agreement is not None:
        # 具结书失效 (指导意见 第33条、第59条).
        PleaAgreement.objects.filter(pk=agreement.pk).update(status=PleaAgreement.Status.VOID, voided_at=_now())
        Rec.objects.filter(pk=agreement.recommendation_id).update(frozen=False)
    defendant.plea = Defendant.Plea.WITHDRAWN
    procedure_before = defendant.procedure
    profile = replace(case_profile(defendant, plea=False), admits_facts=still_admits_facts)
    rec = _create_recommendation(
        actor, defendant, {"use_engine": True}, origin=Rec.Origin.WITHDRAWAL, plea=False, address=address
    )
    profile = replace(profile, possible_sentence_type=rec.sentence_type, possible_sentence_months=rec.high or 0)
    converted = converted_after_withdrawal(profile)
    procedure_after = procedure_before
    if procedure_before == Procedure.FAST_TRACK or (
        procedure_before == Procedure.SUMMARY and not converted.evaluation("summary").eligible
    ):
        procedure_after = converted.procedure
    if procedure_before and procedure_after != procedure_before:
        defendant.procedure = procedure_after
        defendant.procedure_explanation = (
            f"因反悔由{Procedure(procedure_before).label}转为{Procedure(procedure_after).label}"
            f"（刑诉法 第226条；指导意见 第55条）。" + converted.explanation()
        )
        defendant.procedure_detail = converted.to_dict()
    withdrawal = Withdrawal.objects.create(
        defendant=defendant,
        stage=case.stage,
        reason=reason,
        still_admits_facts=still_admits_facts,
        procedure_before=procedure_before or "",
        procedure_after=procedure_after or "",
        recomputed=rec,
        recorded_by=actor,
    )
    _bump(defendant, ["plea", "procedure", "procedure_explanation", "procedure_detail"])
    _audit(
        actor,
        "defendant.withdrawal",
        withdrawal,
        address,
        before=before,
        after={
            "plea": defendant.plea,
            "procedure": defendant.procedure,
            "recomputed": rec.pk,
            "reason": reason,
            "agreement_voided": agreement.pk if agreement else None,
        },
    )
    return withdrawal


# ----------------------------------------------------------------------------- court


@transaction.atomic
def request_adjustment(
    actor: User, defendant_id: int, ground: str, reason: str, address: str = ""
) -> AdjustmentRequest:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    case = defendant.case
    perm.require_trial_judge(actor, case, "通知检察院调整量刑建议")
    _require_stage(case, (Stage.TRIAL,), "通知调整量刑建议")
    if hasattr(defendant, "outcome"):
        raise Conflict("已作出判决，不能再通知调整量刑建议。")
    if ground not in ADJUSTMENT_GROUNDS:
        raise Invalid("理由类型（ground）只能是：" + "、".join(ADJUSTMENT_GROUNDS), field="ground")
    if not (reason or "").strip():
        raise Invalid("理由（reason）不能为空（指导意见 第48条）。", field="reason")
    if _latest_recommendation(defendant) is None:
        raise Conflict("本案没有量刑建议，无需调整。")
    if defendant.adjustment_requests.filter(response=AdjustmentRequest.Response.PENDING).exists():
        raise Conflict("已有待答复的调整量刑建议通知。")
    item = AdjustmentRequest.objects.create(
        defendant=defendant, requested_by=actor, ground=ground, reason=reason.strip()
    )
    _audit(actor, "adjustment_request.create", item, address, after={"ground": ground, "reason": item.reason})
    return item


@transaction.atomic
def respond_adjustment(
    actor: User, request_id: int, version: int | None, data: dict[str, Any], address: str = ""
) -> AdjustmentRequest:
    item = AdjustmentRequest.objects.select_for_update().filter(pk=request_id).first()
    if item is None or not perm.visible_defendants(actor).filter(pk=item.defendant_id).exists():
        raise NotFound("调整量刑建议通知不存在或无权查看。")
    defendant = Defendant.objects.select_for_update().select_related("case").get(pk=item.defendant_id)
    perm.require_prosecutor(actor, defendant.case, "答复调整量刑建议通知")
    _check_version(item, version, "调整量刑建议通知")
    if item.response != AdjustmentRequest.Response.PENDING:
        raise Conflict("该通知已答复。")
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise Invalid("答复理由（reason）不能为空（指导意见 第49条）。", field="reason")
    response = data["response"]
    if response == AdjustmentRequest.Response.ADJUSTED:
        if not data.get("defence_heard"):
            raise Invalid(
                "调整量刑建议应当重新听取被告人及其辩护人或者值班律师的意见（defence_heard，指导意见 第49条）。",
                field="defence_heard",
            )
        proposal = dict(data.get("recommendation") or {})
        if not proposal:
            raise Invalid("调整量刑建议须提交新的量刑建议（recommendation）。", field="recommendation")
        if not (proposal.get("departure_reason") or "").strip():
            proposal["departure_reason"] = reason
        plea = defendant.plea == Defendant.Plea.PLEADED
        rec = _create_recommendation(
            actor, defendant, proposal, origin=Rec.Origin.COURT_ADJUSTMENT, plea=plea, address=address
        )
        item.new_recommendation = rec
    elif response != AdjustmentRequest.Response.DECLINED:
        raise Invalid("答复（response）只能是 adjusted 或 declined。", field="response")
    item.response, item.response_reason, item.responded_by, item.responded_at = response, reason, actor, _now()
    _bump(item, ["response", "response_reason", "responded_by", "responded_at", "new_recommendation"])
    _bump(defendant, [])
    _audit(
        actor,
        "adjustment_request.respond",
        item,
        address,
        after={"response": response, "reason": reason, "new_recommendation": item.new_recommendation_id},
    )
    return item


def _matches(rec: Rec, data: dict[str, Any]) -> bool:
    if rec.sentence_type != data["sentence_type"] or bool(rec.probation) != bool(data.get("probation")):
        return False
    if rec.sentence_type in ("exempt", "fine_only"):
        return True
    return rec.low <= data["months"] <= rec.high


@transaction.atomic
def record_outcome(
    actor: User, defendant_id: int, version: int | None, data: dict[str, Any], address: str = ""
) -> CourtOutcome:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    case = defendant.case
    perm.require_trial_judge(actor, case, "记录一审判决")
    _check_version(defendant, version, "犯罪嫌疑人/被告人信息")
    _require_stage(case, (Stage.TRIAL,), "记录一审判决")
    if hasattr(defendant, "outcome"):
        raise Conflict("该被告人的一审判决已记录。")
    rec = _latest_recommendation(defendant)
    if rec is None:
        raise Conflict("本案没有有效的量刑建议，无法记录采纳情况。")
    if defendant.adjustment_requests.filter(response=AdjustmentRequest.Response.PENDING).exists():
        raise Conflict("调整量刑建议的通知尚待检察院答复（刑诉法 第201条第2款）。")
    if data["judgment_date"] < (case.transferred_on or data["judgment_date"]):
        raise Invalid("判决日期（judgment_date）不能早于提起公诉日期。", field="judgment_date")
    if data["served_on"] < data["judgment_date"]:
        raise Invalid("送达日期（served_on）不能早于判决日期。", field="served_on")
    _check_no_confiscation_when_exempt(data)
    adoption = data["adoption"]
    reason = (data.get("reason") or "").strip()
    ground = data.get("not_adopted_ground") or ""
    adjusted = (
        defendant.adjustment_requests.filter(response=AdjustmentRequest.Response.ADJUSTED).order_by("-id").first()
    )
    if adoption == CourtOutcome.Adoption.ADOPTED:
        if not _matches(rec, data):
            raise Invalid("判决的刑罚与量刑建议不一致，不能记为“采纳”。", field="adoption")
    elif adoption == CourtOutcome.Adoption.ADJUSTED:
        if adjusted is None or adjusted.new_recommendation_id != rec.pk:
            raise Invalid(
                "只有检察院依法院通知调整量刑建议后，才能记为“经调整后采纳”（刑诉法 第201条第2款）。", field="adoption"
            )
        if not _matches(rec, data):
            raise Invalid("判决的刑罚与调整后的量刑建议不一致，不能记为“经调整后采纳”。", field="adoption")
    else:
        if ground not in NOT_ADOPTED_GROUNDS:
            raise Invalid(
                "未采纳量刑建议的，须选择依据（not_adopted_ground）：" + "、".join(NOT_ADOPTED_GROUNDS),
                field="not_adopted_ground",
            )
        if not reason:
            raise Invalid("未采纳量刑建议的，应当说明理由（reason，指导意见 第47条）。", field="reason")
    outcome = CourtOutcome.objects.create(
        defendant=defendant,
        judge=actor,
        judgment_date=data["judgment_date"],
        served_on=data["served_on"],
        procedure=defendant.procedure or Procedure.ORDINARY,
        sentence_type=data["sentence_type"],
        months=data["months"],
        probation=bool(data.get("probation")),
        probation_months=data.get("probation_months"),
        fine=data.get("fine"),
        confiscation=data.get("confiscation") or "",
        adoption=adoption,
        not_adopted_ground=ground if adoption == CourtOutcome.Adoption.NOT_ADOPTED else "",
        reason=reason,
        recommendation=rec,
    )
    _bump(defendant, [])
    fields = [
        "judgment_date",
        "sentence_type",
        "months",
        "probation",
        "fine",
        "confiscation",
        "adoption",
        "not_adopted_ground",
        "reason",
        "recommendation",
    ]
    _audit(actor, "court_outcome.create", outcome, address, after=_snapshot(outcome, fields))
    return outcome


def _appeal_court(case: Case) -> Unit:
    court = case.court
    if court is None or court.parent is None:
        raise Conflict("未找到上一级人民法院，无法移送二审。")
    return court.parent


def _check_window(defendant: Defendant, filed_on: dt.date) -> None:
    outcome = getattr(defendant, "outcome", None)
    if outcome is None:
        raise Conflict("一审尚未判决，不能上诉或抗诉。")
    due = appeal_window_due(outcome.served_on, in_custody=in_custody_from_measure(defendant.custody_status))
    if filed_on < outcome.served_on or filed_on > due:
        raise Invalid(
            f"上诉、抗诉须在接到判决书的第二日起十日以内提出（刑诉法 第230条），期限为 {outcome.served_on:%Y-%m-%d} 至 {due:%Y-%m-%d}。",
            field="filed_on",
        )
    if filed_on > _today():
        raise Invalid("提出日期（filed_on）不能晚于今天。", field="filed_on")


@transaction.atomic
def file_appeal(actor: User, defendant_id: int, data: dict[str, Any], address: str = "") -> Challenge:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    case = Case.objects.select_for_update().get(pk=defendant.case_id)
    if actor.role == User.Role.JUDGE:
        perm.require_trial_judge(actor, case, "登记上诉")
    else:
        perm.require_counsel(actor, defendant, "经被告人同意提出上诉（刑诉法 第227条）")
        if actor.role != User.Role.DEFENSE_COUNSEL and defendant.counsel_role != Defendant.CounselRole.DEFENSE_COUNSEL:
            raise Forbidden("值班律师不是辩护人，不能代为提出上诉；上诉由被告人或其辩护人提出（刑诉法 第227条）。")
    _require_stage(case, (Stage.TRIAL, Stage.APPEAL_TRIAL), "上诉")
    _check_window(defendant, data["filed_on"])
    if data["ground"] not in APPEAL_GROUNDS:
        raise Invalid("上诉理由类型（ground）只能是：" + "、".join(APPEAL_GROUNDS), field="ground")
    if defendant.challenges.filter(kind=Challenge.Kind.APPEAL).exists():
        raise Conflict("该被告人已提出上诉。")
    item = Challenge.objects.create(
        defendant=defendant,
        kind=Challenge.Kind.APPEAL,
        ground=data["ground"],
        reason=(data.get("reason") or "").strip(),
        filed_on=data["filed_on"],
        status=Challenge.Status.FILED,
        recorded_by=actor,
    )
    _to_appeal(actor, case, address)
    _audit(actor, "appeal.create", item, address, after=_snapshot(item, ["kind", "ground", "reason", "filed_on"]))
    return item


def _to_appeal(actor: User, case: Case, address: str) -> None:
    if case.stage != Stage.APPEAL_TRIAL:
        before = _snapshot(case, ["stage", "appeal_court"])
        case.stage, case.appeal_court = Stage.APPEAL_TRIAL, _appeal_court(case)
        _bump(case, ["stage", "appeal_court"])
        _audit(
            actor, "case.appeal_trial", case, address, before=before, after=_snapshot(case, ["stage", "appeal_court"])
        )


@transaction.atomic
def file_protest(actor: User, defendant_id: int, data: dict[str, Any], address: str = "") -> Challenge:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    case = defendant.case
    perm.require_prosecutor(actor, case, "提请抗诉")
    _require_stage(case, (Stage.TRIAL, Stage.APPEAL_TRIAL), "抗诉")
    _check_window(defendant, data["filed_on"])
    ground = data["ground"]
    if ground not in PROTEST_GROUNDS:
        raise Invalid("抗诉理由类型（ground）只能是：" + "、".join(PROTEST_GROUNDS), field="ground")
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise Invalid("抗诉理由（reason）不能为空。", field="reason")
    if ground == "exploit_leniency" and not defendant.challenges.filter(kind=Challenge.Kind.APPEAL).exists():
        raise Conflict("以“被告人借上诉反悔”为由抗诉，须被告人已提出上诉（指导意见 第62条）。")
    if defendant.challenges.filter(kind=Challenge.Kind.PROTEST).exclude(status=Challenge.Status.REJECTED).exists():
        raise Conflict("已就该被告人提请抗诉。")
    item = Challenge.objects.create(
        defendant=defendant,
        kind=Challenge.Kind.PROTEST,
        ground=ground,
        reason=reason,
        filed_on=data["filed_on"],
        status=Challenge.Status.PENDING_APPROVAL,
        recorded_by=actor,
    )
    approval = Approval.objects.create(
        kind=Approval.Kind.PROTEST,
        unit_id=case.unit_id,
        case=case,
        defendant=defendant,
        target_type="challenge",
        target_id=item.pk,
        citation="刑诉法 第228条；高检规则 第585条（报请检察长决定）",
        request_reason=f"{PROTEST_GROUNDS[ground]}。{reason}",
        requested_by=actor,
    )
    _audit(actor, "protest.request", item, address, after=_snapshot(item, ["kind", "ground", "reason", "filed_on"]))
    _audit(actor, "approval.request", approval, address, after={"kind": approval.kind, "target": item.pk})
    return item


@transaction.atomic
def record_second_instance(
    actor: User, defendant_id: int, data: dict[str, Any], address: str = ""
) -> SecondInstanceResult:
    defendant = perm.get_defendant(actor, defendant_id, for_update=True)
    case = Case.objects.select_for_update().get(pk=defendant.case_id)
    perm.require_appeal_judge(actor, case, "记录二审结果")
    _require_stage(case, (Stage.APPEAL_TRIAL,), "记录二审结果")
    if not defendant.challenges.filter(status=Challenge.Status.FILED).exists():
        raise Conflict("该被告人没有已提出的上诉或抗诉。")
    if hasattr(defendant, "second_instance"):
        raise Conflict("该被告人的二审结果已记录。")
    result = data["result"]
    if result == SecondInstanceResult.Result.AMENDED and (
        data.get("sentence_type") is None or data.get("months") is None
    ):
        raise Invalid("改判的，须填写改判后的刑种和刑期（sentence_type、months）。", field="sentence_type")
    if result != SecondInstanceResult.Result.DISMISSED and not (data.get("reason") or "").strip():
        raise Invalid("改判或发回重审的，须写明理由（reason）。", field="reason")
    item = SecondInstanceResult.objects.create(
        defendant=defendant,
        judge=actor,
        decided_on=data["decided_on"],
        result=result,
        sentence_type=data.get("sentence_type") or "",
        months=data.get("months"),
        probation=bool(data.get("probation")),
        reason=(data.get("reason") or "").strip(),
    )
    defendant.challenges.filter(status=Challenge.Status.FILED).update(status=Challenge.Status.DECIDED)
    pending = [d for d in case.defendants.all() if d.challenges.filter(status=Challenge.Status.FILED).exists()]
    if not pending:
        before = _snapshot(case, ["stage"])
        case.stage = Stage.TRIAL if result == SecondInstanceResult.Result.REMANDED else Stage.CLOSED
        _bump(case, ["stage"])
        _audit(actor, "case.stage", case, address, before=before, after=_snapshot(case, ["stage"]))
    _audit(
        actor,
        "second_instance.create",
        item,
        address,
        after=_snapshot(item, ["result", "decided_on", "sentence_type", "months", "probation", "reason"]),
    )
    return item


# ----------------------------------------------------------------------------- approvals (called by supervision)


def apply_approval(actor: User, approval: Approval, approved: bool, address: str) -> None:
    """Carry an approval decision into the case (inside the caller's transaction)."""
    if approval.target_type == "recommendation":
        rec = Rec.objects.select_for_update().get(pk=approval.target_id)
        if rec.status != Rec.Status.PENDING_APPROVAL:
            raise Conflict("该量刑建议已不在待审批状态（可能已被新版本取代）。")
        if approved:
            rec.defendant.recommendations.exclude(pk=rec.pk).filter(
                status__in=[Rec.Status.EFFECTIVE, Rec.Status.PENDING_APPROVAL]
            ).update(status=Rec.Status.SUPERSEDED)
        rec.status = Rec.Status.EFFECTIVE if approved else Rec.Status.REJECTED
        rec.save(update_fields=["status"])
        _audit(actor, "recommendation.status", rec, address, after={"status": rec.status})
    elif approval.target_type == "defendant":
        defendant = Defendant.objects.select_for_update().select_related("case").get(pk=approval.target_id)
        before = _snapshot(defendant, ["procedure", "non_prosecution_decided"])
        if approved:
            defendant.procedure = Procedure.NON_PROSECUTION
            defendant.non_prosecution_decided = True
            defendant.procedure_explanation = (
                "经检察长批准，作出酌定不起诉决定（刑诉法 第177条第2款；高检规则 第370条）。"
            )
        else:
            defendant.procedure_explanation = "酌定不起诉未获批准，请重新提出程序适用建议。"
        _bump(defendant, ["procedure", "non_prosecution_decided", "procedure_explanation"])
        _audit(
            actor,
            "defendant.non_prosecution",
            defendant,
            address,
            before=before,
            after=_snapshot(defendant, ["procedure", "non_prosecution_decided"]),
        )
        case = Case.objects.select_for_update().get(pk=defendant.case_id)
        if approved and not case.defendants.filter(non_prosecution_decided=False).exists():
            before = _snapshot(case, ["stage"])
            case.stage = Stage.CLOSED
            _bump(case, ["stage"])
            _audit(actor, "case.stage", case, address, before=before, after=_snapshot(case, ["stage"]))
    elif approval.target_type == "challenge":
        item = Challenge.objects.select_for_update().select_related("defendant__case").get(pk=approval.target_id)
        item.status = Challenge.Status.FILED if approved else Challenge.Status.REJECTED
        item.save(update_fields=["status"])
        _audit(actor, "protest.status", item, address, after={"status": item.status})
        if approved:
            case = Case.objects.select_for_update().get(pk=item.defendant.case_id)
            _to_appeal(actor, case, address)
    else:  # pragma: no cover - every approval is created by this module with one of the types above
        raise Invalid("未知的审批对象。")


# ----------------------------------------------------------------------------- deadlines


def defendant_deadlines(defendant: Defendant, today: dt.date | None = None) -> list[dict[str, Any]]:
    case = defendant.case
    today = today or _today()
    rec = _latest_recommendation(defendant)
    months = (rec.high or 0) if rec else 0
    outcome = getattr(defendant, "outcome", None)
    appeal = (
        defendant.challenges.filter(status__in=[Challenge.Status.FILED, Challenge.Status.DECIDED])
        .order_by("filed_on")
        .first()
    )
    second = getattr(defendant, "second_instance", None)
    review_done = case.transferred_on
    if review_done is None and defendant.non_prosecution_decided:
        decision = (
            defendant.approvals.filter(kind=Approval.Kind.NON_PROSECUTION, status=Approval.Status.APPROVED)
            .order_by("-decided_at")
            .first()
        )
        review_done = timezone.localdate(decision.decided_at) if decision and decision.decided_at else None
    items = compute_deadlines(
        procedure=defendant.procedure or "ordinary",
        possible_sentence_months=months,
        today=today,
        review_received=case.received_on,
        review_done=review_done,
        review_extended=case.review_extended,
        trial_received=case.transferred_on,
        judgment_date=outcome.judgment_date if outcome else None,
        judgment_served=outcome.served_on if outcome else None,
        appeal_filed=appeal.filed_on if appeal else None,
        appeal_trial_received=appeal.filed_on if appeal else None,
        second_instance_done=second.decided_on if second else None,
        # 第105条第3款 by the current measure: 在押 or unknown means no holiday extension.
        in_custody=in_custody_from_measure(defendant.custody_status),
    )
    return [d.to_dict() for d in items]
