"""API schemas of the plea procedure (input bounded so that bad input is a Chinese 422, never a 500)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints

MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1


def _date_in_range(value: dt.date) -> dt.date:
    if not dt.date(1900, 1, 1) <= value <= dt.date(2100, 12, 31):
        raise ValueError("日期须在1900年至2100年之间")
    return value


def _datetime_in_range(value: dt.datetime) -> dt.datetime:
    if not dt.datetime(1900, 1, 2) <= value.replace(tzinfo=None) <= dt.datetime(2100, 12, 30):
        raise ValueError("时间须在1900年至2100年之间")
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("不能包含空字符（\\x00）")
    return value


LegalDate = Annotated[dt.date, AfterValidator(_date_in_range)]
LegalDateTime = Annotated[dt.datetime, AfterValidator(_datetime_in_range)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=MAX_INT, title="版本", description="读取时得到的版本号（乐观锁）")]
Months = Annotated[int, Field(ge=0, le=600, title="月数")]
Fine = Annotated[int, Field(ge=0, le=MAX_INT, title="罚金（元）")]
Confiscation = Literal["all", "part"]  # 没收个人全部财产 / 没收个人部分财产 (刑法第五十九条)


def Text(max_length: int = 20000, min_length: int = 0):
    return Annotated[str, StringConstraints(max_length=max_length, min_length=min_length), AfterValidator(_no_nul)]


SentenceType = Literal["fixed_term", "detention", "control", "exempt", "fine_only", "life", "death"]
StageName = Literal["investigation", "prosecution_review", "trial", "appeal_trial", "closed"]
TeamName = Literal["plea", "conversion", "ordinary"]
CustodyName = Literal["custody", "bail", "residential_surveillance", "arrest"]
CivilName = Literal["not_applicable", "settled", "unsettled"]


class ErrorOut(Schema):
    detail: str = Field(title="错误信息（中文）")
    field: str | None = Field(default=None, title="出错的字段")


# ----------------------------------------------------------------------------- input


class CaseIn(Schema):
    number: Text(100, 1) = Field(title="案号")
    charges: list[Text(100)] = Field(min_length=1, max_length=20, title="罪名")
    stage: Literal["investigation", "prosecution_review"] = Field(default="prosecution_review", title="诉讼阶段")
    received_on: LegalDate | None = Field(default=None, title="受理（移送审查起诉）日期")
    review_extended: bool = Field(default=False, title="审查起诉期限延长（重大、复杂）")
    team: TeamName = Field(default="plea", title="办案组")
    facts_summary: Text() = Field(default="", title="案情摘要")
    major_social_impact: bool = False
    complex_joint_crime: bool = False
    facts_clear: bool = True
    prosecutor_id: Id | None = Field(default=None, title="承办检察官（部门负责人登记时指定）")


class CasePatch(Schema):
    version: Version
    number: Text(100, 1) | None = None
    charges: list[Text(100)] | None = Field(default=None, max_length=20)
    received_on: LegalDate | None = None
    review_extended: bool | None = None
    team: TeamName | None = None
    facts_summary: Text() | None = None
    major_social_impact: bool | None = None
    complex_joint_crime: bool | None = None
    facts_clear: bool | None = None


class TransferIn(Schema):
    version: Version
    court_id: Id = Field(title="审判法院")
    transferred_on: LegalDate = Field(title="提起公诉日期")


class DefendantIn(Schema):
    name: Text(50, 1) = Field(title="姓名")
    national_id: Text(18, 1) = Field(title="公民身份号码")
    birth_date: LegalDate = Field(title="出生日期")
    custody_status: CustodyName = Field(title="强制措施")
    custody_since: LegalDate | None = None
    custody_until: LegalDate | None = None
    prior_record: Text() = ""
    disability: bool = False
    civil_settlement: CivilName = "not_applicable"
    co_defendant_dispute: bool = False
    innocence_defence: bool = False
    consents_fast_track: bool = False
    objects_summary: bool = False
    plea: Literal["none", "pleaded"] = "none"
    facts: dict[str, Any] = Field(default_factory=dict, title="量刑事实（见量刑引擎 Facts）")


class DefendantPatch(Schema):
    version: Version
    name: Text(50, 1) | None = None
    national_id: Text(18, 1) | None = None
    birth_date: LegalDate | None = None
    custody_status: CustodyName | None = None
    custody_since: LegalDate | None = None
    custody_until: LegalDate | None = None
    prior_record: Text() | None = None
    disability: bool | None = None
    civil_settlement: CivilName | None = None
    co_defendant_dispute: bool | None = None
    innocence_defence: bool | None = None
    consents_fast_track: bool | None = None
    objects_summary: bool | None = None
    plea: Literal["none", "pleaded"] | None = None
    facts: dict[str, Any] | None = None


class CounselIn(Schema):
    version: Version | None = None
    counsel_id: Id | None = None
    counsel_role: Literal["none", "defense_counsel", "duty_lawyer"]
    legal_aid: bool = False


class NotificationIn(Schema):
    content: Text(20000, 1) = Field(title="告知内容")
    notified_at: LegalDateTime | None = None
    acknowledged: bool = True


class VoluntarinessIn(Schema):
    understands: bool = Field(title="理解认罪认罚的性质和法律后果")
    not_coerced: bool = Field(title="未受暴力、威胁、引诱")
    facts_true: bool = Field(title="如实供述，事实真实")
    counsel_consulted: bool = Field(title="已获得辩护人或值班律师法律帮助")
    notes: Text() = ""
    checked_at: LegalDateTime | None = None


class ProposalIn(Schema):
    use_engine: bool = Field(default=False, title="直接采用引擎计算的确定刑")
    kind: Literal["definite", "range"] | None = Field(default=None, title="确定刑或幅度刑")
    sentence_type: SentenceType | None = None
    months: Months | None = None
    months_low: Months | None = None
    months_high: Months | None = None
    probation: bool = False
    probation_months: Annotated[int, Field(ge=1, le=60)] | None = None
    fine: Fine | None = None
    confiscation: Confiscation | None = Field(default=None, title="没收财产（all 全部 / part 部分）")
    departure_reason: Text() = Field(default="", title="偏离计算结果的理由")


class RecommendationIn(ProposalIn):
    version: Version | None = None


class ConsultationIn(Schema):
    status: Literal["proposed", "countered", "agreed", "failed"]
    proposal: Text(20000, 1) = Field(title="意见/方案")
    proposed_months: Months | None = None
    reasons: Text() = ""
    attendees: list[Text(100)] = Field(min_length=1, max_length=50, title="参加人员")
    held_at: LegalDateTime | None = None


class OpinionIn(Schema):
    text: Text(50000, 1) = Field(title="书面意见")


class ProcedureIn(Schema):
    version: Version | None = None
    choice: Literal["fast_track", "summary", "ordinary", "non_prosecution"] | None = None
    reason: Text() = ""


class AgreementIn(Schema):
    version: Version | None = None
    counsel_present: bool = Field(title="辩护人或值班律师在场")
    no_counsel_ground: Literal["disability", "minor_objection", "other"] | None = None
    no_counsel_note: Text() = ""
    signed_at: LegalDateTime | None = None


class WithdrawalIn(Schema):
    version: Version | None = None
    reason: Text(20000, 1) = Field(title="反悔理由")
    still_admits_facts: bool = Field(default=False, title="仍承认犯罪事实")


class AdjustmentRequestIn(Schema):
    ground: Literal["clearly_improper", "defence_objection"]
    reason: Text(20000, 1)


class AdjustmentResponseIn(Schema):
    version: Version | None = None
    response: Literal["adjusted", "declined"]
    reason: Text(20000, 1)
    defence_heard: bool = False
    recommendation: ProposalIn | None = None


class OutcomeIn(Schema):
    version: Version | None = None
    judgment_date: LegalDate
    served_on: LegalDate
    sentence_type: SentenceType
    months: Months
    probation: bool = False
    probation_months: Annotated[int, Field(ge=1, le=60)] | None = None
    fine: Fine | None = None
    confiscation: Confiscation | None = Field(default=None, title="没收财产（all 全部 / part 部分）")
    adoption: Literal["adopted", "adjusted", "not_adopted"]
    not_adopted_ground: (
        Literal["not_a_crime", "involuntary", "denies_facts", "different_charge", "unfair_trial", "clearly_improper"]
        | None
    ) = None
    reason: Text() = ""


class AppealIn(Schema):
    filed_on: LegalDate
    ground: Literal["sentence_too_heavy", "facts_unclear", "involuntary", "other"]
    reason: Text() = ""


class ProtestIn(Schema):
    filed_on: LegalDate
    ground: Literal["exploit_leniency", "improper_sentence", "wrong_facts", "other"]
    reason: Text(20000, 1)


class SecondInstanceIn(Schema):
    decided_on: LegalDate
    result: Literal["dismissed", "amended", "remanded"]
    sentence_type: SentenceType | None = None
    months: Months | None = None
    probation: bool = False
    reason: Text() = ""


# ----------------------------------------------------------------------------- output


class Ref(Schema):
    id: int
    name: str


class CaseOut(Schema):
    id: int
    number: str
    unit: Ref
    charges: list[str]
    stage: str
    stage_label: str
    received_on: dt.date | None
    review_extended: bool
    transferred_on: dt.date | None
    court: Ref | None
    appeal_court: Ref | None
    prosecutor: Ref
    team: str
    facts_summary: str
    major_social_impact: bool
    complex_joint_crime: bool
    facts_clear: bool
    defendant_count: int
    version: int


class DefendantBrief(Schema):
    id: int
    name: str
    national_id: str
    national_id_masked: bool
    plea: str
    procedure: str
    version: int


class CaseDetailOut(CaseOut):
    defendants: list[DefendantBrief]


class NotificationOut(Schema):
    id: int
    stage: str
    notified_by: Ref
    notified_at: dt.datetime
    content: str
    acknowledged: bool


class CheckOut(Schema):
    id: int
    checked_by: Ref
    checked_at: dt.datetime
    understands: bool
    not_coerced: bool
    facts_true: bool
    counsel_consulted: bool
    passed: bool
    notes: str


class RecommendationOut(Schema):
    id: int
    number: int
    origin: str
    kind: str
    sentence_type: str
    months: int | None
    months_low: int | None
    months_high: int | None
    probation: bool
    probation_months: int | None
    fine: int | None
    confiscation: Confiscation | None
    text: str
    status: str
    frozen: bool
    departure: dict[str, Any]
    departure_reason: str
    engine: dict[str, Any] = Field(title="引擎输出快照（刑罚、幅度、计算过程）")
    facts: dict[str, Any]
    rule_edition: str
    created_by: Ref
    created_at: dt.datetime


class RecordingOut(Schema):
    id: int
    sha256: str
    size: int | None
    original_name: str
    content_type: str
    stored: bool
    reference: str
    created_at: dt.datetime


class ConsultationOut(Schema):
    id: int
    round: int
    party: str
    recommendation_id: int | None
    proposal: str
    proposed_months: int | None
    reasons: str
    attendees: list[str]
    held_at: dt.datetime
    status: str
    created_by: Ref
    recordings: list[RecordingOut]


class OpinionOut(Schema):
    id: int
    author: Ref
    text: str
    submitted_at: dt.datetime


class AgreementOut(Schema):
    id: int
    recommendation_id: int
    charges: list[str]
    procedure: str
    content: dict[str, Any]
    witness: Ref | None
    witness_role: str
    no_counsel_ground: str
    no_counsel_note: str
    signed_at: dt.datetime
    status: str
    voided_at: dt.datetime | None


class WithdrawalOut(Schema):
    id: int
    stage: str
    reason: str
    still_admits_facts: bool
    procedure_before: str
    procedure_after: str
    recomputed: RecommendationOut
    recorded_at: dt.datetime


class AdjustmentOut(Schema):
    id: int
    ground: str
    reason: str
    requested_by: Ref
    requested_at: dt.datetime
    response: str
    response_reason: str
    new_recommendation_id: int | None
    version: int


class OutcomeOut(Schema):
    id: int
    judgment_date: dt.date
    served_on: dt.date
    procedure: str
    sentence_type: str
    months: int
    probation: bool
    probation_months: int | None
    fine: int | None
    confiscation: Confiscation | None
    adoption: str
    not_adopted_ground: str
    reason: str
    recommendation_id: int


class ChallengeOut(Schema):
    id: int
    kind: str
    ground: str
    reason: str
    filed_on: dt.date
    status: str


class SecondInstanceOut(Schema):
    id: int
    decided_on: dt.date
    result: str
    sentence_type: str
    months: int | None
    probation: bool
    reason: str


class DeadlineOut(Schema):
    kind: str
    label: str
    start: dt.date
    due: dt.date
    moved_from: dt.date | None = None
    citation: str
    explanation: str
    done_on: dt.date | None
    overdue: bool
    days_left: int | None


class ApprovalBrief(Schema):
    id: int
    kind: str
    status: str
    target_type: str
    target_id: int
    citation: str
    request_reason: str
    decision_note: str


class DefendantOut(Schema):
    id: int
    case_id: int
    name: str
    national_id: str
    national_id_masked: bool
    birth_date: dt.date
    custody_status: str
    custody_since: dt.date | None
    custody_until: dt.date | None
    prior_record: str
    counsel: Ref | None
    counsel_role: str
    legal_aid: bool
    legal_aid_since: dt.datetime | None
    disability: bool
    civil_settlement: str
    co_defendant_dispute: bool
    innocence_defence: bool
    consents_fast_track: bool
    objects_summary: bool
    plea: str
    facts: dict[str, Any]
    facts_summary: str
    procedure: str
    procedure_explanation: str
    procedure_detail: dict[str, Any] | None
    non_prosecution_decided: bool
    version: int
    notifications: list[NotificationOut]
    voluntariness_checks: list[CheckOut]
    recommendations: list[RecommendationOut]
    consultations: list[ConsultationOut]
    opinions: list[OpinionOut]
    agreements: list[AgreementOut]
    withdrawals: list[WithdrawalOut]
    adjustment_requests: list[AdjustmentOut]
    outcome: OutcomeOut | None
    challenges: list[ChallengeOut]
    second_instance: SecondInstanceOut | None
    deadlines: list[DeadlineOut]
    approvals: list[ApprovalBrief] = Field(title="审批（仅检察院、法院可见）")


class VerifyOut(Schema):
    recording_id: int
    sha256: str
    source: str
    actual_sha256: str | None
    intact: bool | None
    detail: str
