"""The plea procedure: cases, defendants, recommendations, consultation, plea agreement, outcomes, approvals.

Every mutable record carries ``version`` for the optimistic check done by ``services``; the services are
the only writers (they also write the audit events), views and pages call them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from leniency.sentencing.result import CONFISCATION_LABELS
from leniency.sentencing.wording import sentence_text

User = settings.AUTH_USER_MODEL


# 刑法第五十九条第一款: 没收犯罪分子个人所有财产的一部或者全部 ("" means none).
CONFISCATION_CHOICES = list(CONFISCATION_LABELS.items())


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", "侦查"
    PROSECUTION_REVIEW = "prosecution_review", "审查起诉"
    TRIAL = "trial", "一审"
    APPEAL_TRIAL = "appeal_trial", "二审"
    CLOSED = "closed", "已结案"


class Procedure(models.TextChoices):
    FAST_TRACK = "fast_track", "速裁程序"
    SUMMARY = "summary", "简易程序"
    ORDINARY = "ordinary", "普通程序"
    NON_PROSECUTION = "non_prosecution", "酌定不起诉"


class Case(models.Model):
    class Team(models.TextChoices):
        PLEA = "plea", "认罪认罚专办组"
        CONVERSION = "conversion", "程序转换组"
        ORDINARY = "ordinary", "普通办案组"

    unit = models.ForeignKey("accounts.Unit", verbose_name="检察院", on_delete=models.PROTECT, related_name="cases")
    number = models.CharField("案号", max_length=100)
    charges = models.JSONField("罪名", default=list)
    stage = models.CharField("诉讼阶段", max_length=30, choices=Stage.choices, default=Stage.PROSECUTION_REVIEW)
    received_on = models.DateField("受理（移送审查起诉）日期", null=True, blank=True)
    review_extended = models.BooleanField("审查起诉期限已延长（重大、复杂）", default=False)
    transferred_on = models.DateField("提起公诉（移送法院）日期", null=True, blank=True)
    court = models.ForeignKey(
        "accounts.Unit", verbose_name="审判法院", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_court = models.ForeignKey(
        "accounts.Unit", verbose_name="二审法院", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prosecutor = models.ForeignKey(User, verbose_name="承办检察官", on_delete=models.PROTECT, related_name="cases")
    team = models.CharField("办案组", max_length=20, choices=Team.choices, default=Team.PLEA)
    facts_summary = models.TextField("案情摘要", blank=True)
    major_social_impact = models.BooleanField("有重大社会影响", default=False)
    complex_joint_crime = models.BooleanField("比较复杂的共同犯罪", default=False)
    facts_clear = models.BooleanField("事实清楚，证据确实、充分", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="case_number_unique_per_unit")]

    def __str__(self) -> str:
        return self.number


class Defendant(models.Model):
    class Custody(models.TextChoices):
        CUSTODY = "custody", "羁押"
        BAIL = "bail", "取保候审"
        RESIDENTIAL_SURVEILLANCE = "residential_surveillance", "监视居住"
        ARREST = "arrest", "逮捕"

    class CounselRole(models.TextChoices):
        NONE = "none", "无"
        DEFENSE_COUNSEL = "defense_counsel", "辩护人"
        DUTY_LAWYER = "duty_lawyer", "值班律师"

    class Plea(models.TextChoices):
        NONE = "none", "未认罪认罚"
        PLEADED = "pleaded", "认罪认罚"
        WITHDRAWN = "withdrawn", "已反悔"

    class CivilSettlement(models.TextChoices):
        NOT_APPLICABLE = "not_applicable", "无附带民事赔偿事项"
        SETTLED = "settled", "已达成调解或和解协议"
        UNSETTLED = "unsettled", "未达成调解或和解协议"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="defendants")
    name = models.CharField("姓名", max_length=50)
    national_id = models.CharField("公民身份号码", max_length=18)
    birth_date = models.DateField("出生日期")
    custody_status = models.CharField("强制措施", max_length=30, choices=Custody.choices)
    custody_since = models.DateField("强制措施起始日期", null=True, blank=True)
    custody_until = models.DateField("强制措施截止日期", null=True, blank=True)
    prior_record = models.TextField("前科情况", blank=True)
    counsel = models.ForeignKey(
        User, verbose_name="辩护人/值班律师", null=True, blank=True, on_delete=models.PROTECT, related_name="clients"
    )
    counsel_role = models.CharField(
        "法律帮助类型", max_length=20, choices=CounselRole.choices, default=CounselRole.NONE
    )
    legal_aid = models.BooleanField("法律援助", default=False)
    legal_aid_since = models.DateTimeField("转为法律援助辩护时间", null=True, blank=True)
    disability = models.BooleanField("盲、聋、哑人或限制行为能力的精神病人", default=False)
    civil_settlement = models.CharField(
        "附带民事赔偿", max_length=20, choices=CivilSettlement.choices, default=CivilSettlement.NOT_APPLICABLE
    )
    co_defendant_dispute = models.BooleanField("共同犯罪中他人对指控或程序有异议", default=False)
    innocence_defence = models.BooleanField("辩护人作无罪辩护或对主要事实有异议", default=False)
    consents_fast_track = models.BooleanField("同意适用速裁程序", default=False)
    objects_summary = models.BooleanField("对适用简易程序有异议", default=False)
    plea = models.CharField("认罪认罚", max_length=20, choices=Plea.choices, default=Plea.NONE)
    facts = models.JSONField("量刑事实", default=dict)
    procedure = models.CharField("程序", max_length=20, choices=Procedure.choices, blank=True)
    procedure_explanation = models.TextField("程序理由", blank=True)
    procedure_detail = models.JSONField("程序适用审查", null=True, blank=True)
    non_prosecution_decided = models.BooleanField("已决定酌定不起诉", default=False)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "犯罪嫌疑人/被告人"
        verbose_name_plural = "犯罪嫌疑人/被告人"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RightsNotification(models.Model):
    """权利义务告知 (刑诉法 第173条第2款, 指导意见 第26条)."""

    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="notifications")
    stage = models.CharField("阶段", max_length=30, choices=Stage.choices)
    notified_by = models.ForeignKey(User, verbose_name="告知人", on_delete=models.PROTECT, related_name="+")
    notified_at = models.DateTimeField("告知时间")
    content = models.TextField("告知内容")
    acknowledged = models.BooleanField("已签收/确认", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class VoluntarinessCheck(models.Model):
    """自愿性、真实性审查 (指导意见 第28条, 高检规则 第271条)."""

    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="voluntariness_checks")
    checked_by = models.ForeignKey(User, verbose_name="审查人", on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("审查时间")
    understands = models.BooleanField("理解认罪认罚的性质和法律后果")
    not_coerced = models.BooleanField("未受暴力、威胁、引诱")
    facts_true = models.BooleanField("如实供述，事实真实")
    counsel_consulted = models.BooleanField("已获得辩护人或值班律师法律帮助")
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    @property
    def passed(self) -> bool:
        return self.understands and self.not_coerced and self.facts_true and self.counsel_consulted


class SentencingRecommendation(models.Model):
    """One version of the recommendation: the engine's snapshot plus the prosecutor's decision."""

    class Kind(models.TextChoices):
        DEFINITE = "definite", "确定刑"
        RANGE = "range", "幅度刑"

    class Status(models.TextChoices):
        EFFECTIVE = "effective", "有效"
        PENDING_APPROVAL = "pending_approval", "待审批"
        REJECTED = "rejected", "未获批准"
        SUPERSEDED = "superseded", "已被新版本取代"

    class Origin(models.TextChoices):
        PROSECUTOR = "prosecutor", "检察官提出"
        WITHDRAWAL = "withdrawal", "反悔后重新计算（不含认罪认罚从宽）"
        COURT_ADJUSTMENT = "court_adjustment", "依法院建议调整（刑诉法 第201条第2款）"

    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveIntegerField("版本号")
    origin = models.CharField("来源", max_length=20, choices=Origin.choices, default=Origin.PROSECUTOR)
    facts = models.JSONField("量刑事实快照")
    engine_output = models.JSONField("引擎输出快照（含计算过程）")
    rule_edition = models.CharField("规则版本", max_length=100)
    engine_type = models.CharField("引擎刑种", max_length=20)
    engine_months = models.IntegerField("引擎刑期（月）")
    engine_low = models.IntegerField("引擎幅度下限（月）")
    engine_high = models.IntegerField("引擎幅度上限（月）")
    kind = models.CharField("建议形式", max_length=20, choices=Kind.choices)
    sentence_type = models.CharField("刑种", max_length=20)
    months = models.IntegerField("刑期（月）", null=True, blank=True)
    months_low = models.IntegerField("幅度下限（月）", null=True, blank=True)
    months_high = models.IntegerField("幅度上限（月）", null=True, blank=True)
    probation = models.BooleanField("缓刑", default=False)
    probation_months = models.IntegerField("缓刑考验期（月）", null=True, blank=True)
    fine = models.IntegerField("罚金（元）", null=True, blank=True)
    confiscation = models.CharField("没收财产", max_length=4, choices=CONFISCATION_CHOICES, blank=True, default="")
    departure = models.JSONField("偏离审查", default=dict)
    departure_reason = models.TextField("偏离理由", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices)
    frozen = models.BooleanField("已由具结书冻结", default=False)
    created_by = models.ForeignKey(User, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        ordering = ["defendant_id", "number"]
        constraints = [models.UniqueConstraint(fields=["defendant", "number"], name="recommendation_version_unique")]

    @property
    def low(self) -> int:
        return self.months if self.kind == self.Kind.DEFINITE else self.months_low

    @property
    def high(self) -> int:
        return self.months if self.kind == self.Kind.DEFINITE else self.months_high

    @property
    def text(self) -> str:
        """The recommendation as the 量刑建议书 and the 具结书 word it, e.g. 有期徒刑1年至1年6个月，并处罚金人民币5000元."""
        return sentence_text(
            self.sentence_type,
            definite=self.kind == self.Kind.DEFINITE,
            months=self.months,
            months_low=self.months_low,
            months_high=self.months_high,
            probation=self.probation,
            probation_months=self.probation_months,
            fine=self.fine,
            confiscation=self.confiscation or None,
        )


class Consultation(models.Model):
    """One round of 量刑协商/听取意见 (刑诉法 第173条, 指导意见 第37条)."""

    class Party(models.TextChoices):
        PROSECUTION = "prosecution", "检察机关"
        DEFENCE = "defence", "辩护方"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "提出"
        COUNTERED = "countered", "提出不同意见"
        AGREED = "agreed", "协商一致"
        FAILED = "failed", "协商未果"

    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="consultations")
    round = models.PositiveIntegerField("轮次")
    party = models.CharField("提出方", max_length=20, choices=Party.choices)
    recommendation = models.ForeignKey(
        SentencingRecommendation, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    proposal = models.TextField("意见/方案")
    proposed_months = models.IntegerField("方案刑期（月）", null=True, blank=True)
    reasons = models.TextField("理由", blank=True)
    attendees = models.JSONField("参加人员", default=list)
    held_at = models.DateTimeField("时间")
    status = models.CharField("状态", max_length=20, choices=Status.choices)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["defendant_id", "round"]
        constraints = [models.UniqueConstraint(fields=["defendant", "round"], name="consultation_round_unique")]


class Recording(models.Model):
    """同步录音录像 (指导意见 第38条): an uploaded file kept content-addressed, or a stored reference."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="recordings")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）", null=True, blank=True)
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    content_type = models.CharField("类型", max_length=100, blank=True)
    stored_path = models.CharField("存储位置（相对 media）", max_length=255, blank=True)
    reference = models.CharField("外部存储编号", max_length=255, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class DefenceOpinion(models.Model):
    """The defence's written opinion, kept in the file (刑诉法 第173条第1款)."""

    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="opinions")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("书面意见")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]


class PleaAgreement(models.Model):
    """认罪认罚具结书 (刑诉法 第174条)."""

    class Status(models.TextChoices):
        VALID = "valid", "有效"
        VOID = "void", "已失效（反悔）"

    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="agreements")
    recommendation = models.ForeignKey(SentencingRecommendation, on_delete=models.PROTECT, related_name="+")
    charges = models.JSONField("罪名")
    procedure = models.CharField("程序适用", max_length=20, choices=Procedure.choices)
    content = models.JSONField("具结内容快照")
    witness = models.ForeignKey(
        User, verbose_name="在场见证律师", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    witness_role = models.CharField("见证人身份", max_length=20, blank=True)
    no_counsel_ground = models.CharField("无需律师在场的依据", max_length=30, blank=True)
    no_counsel_note = models.TextField("依据说明", blank=True)
    signed_at = models.DateTimeField("签署时间")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.VALID)
    voided_at = models.DateTimeField("失效时间", null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Withdrawal(models.Model):
    """反悔 (指导意见 第58–60条)."""

    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="withdrawals")
    stage = models.CharField("阶段", max_length=30, choices=Stage.choices)
    reason = models.TextField("反悔理由")
    still_admits_facts = models.BooleanField("仍承认犯罪事实", default=False)
    procedure_before = models.CharField("原程序", max_length=20, blank=True)
    procedure_after = models.CharField("转换后程序", max_length=20, blank=True)
    recomputed = models.ForeignKey(SentencingRecommendation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class AdjustmentRequest(models.Model):
    """The court asks the procuratorate to adjust the recommendation (刑诉法 第201条第2款, 指导意见 第48、49条)."""

    class Response(models.TextChoices):
        PENDING = "pending", "待答复"
        ADJUSTED = "adjusted", "已调整"
        DECLINED = "declined", "不调整"

    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="adjustment_requests")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    ground = models.CharField("理由类型", max_length=30)
    reason = models.TextField("理由")
    response = models.CharField("答复", max_length=20, choices=Response.choices, default=Response.PENDING)
    response_reason = models.TextField("答复理由", blank=True)
    responded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    new_recommendation = models.ForeignKey(
        SentencingRecommendation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]


class CourtOutcome(models.Model):
    """The first-instance judgment for one defendant and whether it adopted the recommendation (第201条)."""

    class Adoption(models.TextChoices):
        ADOPTED = "adopted", "采纳"
        ADJUSTED = "adjusted", "经调整后采纳"
        NOT_ADOPTED = "not_adopted", "未采纳"

    defendant = models.OneToOneField(Defendant, on_delete=models.PROTECT, related_name="outcome")
    judge = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    judgment_date = models.DateField("判决日期")
    served_on = models.DateField("判决书送达日期")
    procedure = models.CharField("审理程序", max_length=20, choices=Procedure.choices)
    sentence_type = models.CharField("刑种", max_length=20)
    months = models.IntegerField("刑期（月）")
    probation = models.BooleanField("缓刑", default=False)
    probation_months = models.IntegerField("缓刑考验期（月）", null=True, blank=True)
    fine = models.IntegerField("罚金（元）", null=True, blank=True)
    confiscation = models.CharField("没收财产", max_length=4, choices=CONFISCATION_CHOICES, blank=True, default="")
    adoption = models.CharField("量刑建议采纳情况", max_length=20, choices=Adoption.choices)
    not_adopted_ground = models.CharField("未采纳依据", max_length=30, blank=True)
    reason = models.TextField("理由", blank=True)
    recommendation = models.ForeignKey(SentencingRecommendation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class Challenge(models.Model):
    """上诉 (by the defendant, 刑诉法 第227条) or 抗诉 (by the procuratorate, 第228条, 指导意见 第62条)."""

    class Kind(models.TextChoices):
        APPEAL = "appeal", "上诉"
        PROTEST = "protest", "抗诉"

    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", "待检察长决定"
        FILED = "filed", "已提出"
        REJECTED = "rejected", "未获批准"
        DECIDED = "decided", "已审结"

    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="challenges")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    ground = models.CharField("理由类型", max_length=30)
    reason = models.TextField("理由")
    filed_on = models.DateField("提出日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class SecondInstanceResult(models.Model):
    class Result(models.TextChoices):
        DISMISSED = "dismissed", "驳回上诉（抗诉），维持原判"
        AMENDED = "amended", "改判"
        REMANDED = "remanded", "发回重审"

    defendant = models.OneToOneField(Defendant, on_delete=models.PROTECT, related_name="second_instance")
    judge = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("裁判日期")
    result = models.CharField("结果", max_length=20, choices=Result.choices)
    sentence_type = models.CharField("刑种", max_length=20, blank=True)
    months = models.IntegerField("刑期（月）", null=True, blank=True)
    probation = models.BooleanField("缓刑", default=False)
    reason = models.TextField("理由", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)


class Approval(models.Model):
    """A decision a prosecutor may not take alone (权力清单, 高检规则 第4条)."""

    class Kind(models.TextChoices):
        DEPARTURE = "departure", "量刑建议偏离计算幅度"
        EXCLUSION_LENIENCY = "exclusion_leniency", "从严情形仍予从宽"
        NON_PROSECUTION = "non_prosecution", "酌定不起诉"
        PROTEST = "protest", "抗诉"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "不批准"
        WITHDRAWN = "withdrawn", "已撤回（报批事项已被新版本取代）"

    kind = models.CharField("事项", max_length=30, choices=Kind.choices)
    unit = models.ForeignKey("accounts.Unit", verbose_name="单位", on_delete=models.PROTECT)
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="approvals")
    defendant = models.ForeignKey(
        "cases.Defendant", verbose_name="犯罪嫌疑人", on_delete=models.PROTECT, related_name="approvals"
    )
    target_type = models.CharField("对象类型", max_length=40)
    target_id = models.PositiveBigIntegerField("对象编号")
    citation = models.CharField("依据", max_length=200)
    request_reason = models.TextField("报请理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("报请时间", auto_now_add=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        # The table keeps the name it had when the model lived in supervision: the move changed no data.
        db_table = "supervision_approval"
        verbose_name = "审批"
        verbose_name_plural = "审批"
        ordering = ["-id"]
