"""Judgments and their defendants, and the import batches that brought them in."""

from __future__ import annotations

from django.db import models

from leniency.judgments.readers import FORMATS
from leniency.judgments.records import COURT_LEVELS, PROCEDURES

SENTENCE_TYPE_CHOICES = [
    ("fixed_term", "有期徒刑"),
    ("detention", "拘役"),
    ("control", "管制"),
    ("exempt", "免予刑事处罚"),
    ("fine_only", "单处罚金"),
    ("life", "无期徒刑"),
    ("death", "死刑"),
    ("acquitted", "无罪"),
    ("unknown", "不详"),
]


class ImportBatch(models.Model):
    """One file being imported: how far it got, so an interrupted import resumes after the last committed line."""

    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"

    path = models.CharField("文件路径", max_length=1024)
    file_sha256 = models.CharField("文件 SHA-256", max_length=64, db_index=True)
    file_format = models.CharField("格式", max_length=16, choices=[(f, f) for f in FORMATS])
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    total_records = models.PositiveIntegerField("记录数", default=0)
    last_line = models.PositiveIntegerField("已提交至行", default=0)
    added = models.PositiveIntegerField("新增文书", default=0)
    duplicates = models.PositiveIntegerField("重复跳过", default=0)
    failed = models.PositiveIntegerField("错误记录", default=0)
    errors = models.JSONField("错误（行号与原因）", default=list, blank=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.path}（{self.get_status_display()}）"


class Judgment(models.Model):
    doc_id = models.CharField("文书编号", max_length=128, unique=True)
    content_hash = models.CharField("内容哈希", max_length=64, unique=True)
    source = models.CharField("来源", max_length=32, db_index=True)
    source_format = models.CharField("导入格式", max_length=16, choices=[(f, f) for f in FORMATS])
    title = models.CharField("案件名称", max_length=512, blank=True)
    case_number = models.CharField("案号", max_length=128, blank=True)
    court = models.CharField("法院", max_length=128, blank=True)
    province = models.CharField("省份", max_length=16, blank=True, db_index=True)
    court_level = models.CharField(
        "法院层级", max_length=16, blank=True, choices=[(c, c) for c in COURT_LEVELS], db_index=True
    )
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True, db_index=True)
    instance = models.CharField("审级", max_length=16, blank=True)
    procedure = models.CharField("程序", max_length=16, blank=True, choices=[(p, p) for p in PROCEDURES])
    mentions_plea = models.BooleanField("提及认罪认罚", default=False)
    facts = models.TextField("案件事实")
    text_before_reasoning = models.TextField("本院认为之前的全文", blank=True)
    reasoning = models.TextField("本院认为", blank=True)
    result = models.TextField("判决结果", blank=True)
    # judgment-level summary of the defendants' extracted facts, for the structured filters
    amount = models.FloatField("最大犯罪数额（元）", null=True, blank=True, db_index=True)
    injury = models.CharField("最重伤情", max_length=32, blank=True, db_index=True)
    circumstances = models.JSONField("量刑情节", default=list, blank=True)
    plea = models.BooleanField("认罪认罚", default=False, db_index=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="judgments")
    indexed = models.BooleanField("已建索引", default=False, db_index=True)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "裁判文书"
        verbose_name_plural = "裁判文书"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title or self.doc_id


class JudgmentDefendant(models.Model):
    judgment = models.ForeignKey(Judgment, on_delete=models.CASCADE, related_name="defendants")
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("被告人", max_length=128)
    charges = models.JSONField("罪名", default=list)
    # "|盗窃罪|诈骗罪|": a charge filter that works the same on SQLite and PostgreSQL
    charges_key = models.CharField("罪名检索键", max_length=512, db_index=True)
    is_unit = models.BooleanField("被告单位", default=False)
    sentence_type = models.CharField("刑种", max_length=16, choices=SENTENCE_TYPE_CHOICES, default="unknown")
    months = models.PositiveIntegerField("刑期（月）", null=True, blank=True)
    probation_months = models.PositiveIntegerField("缓刑考验期（月）", null=True, blank=True)
    probation_known = models.BooleanField("缓刑已标注", default=True)
    fine = models.BigIntegerField("罚金（元）", null=True, blank=True)
    death_reprieve = models.BooleanField("死缓", default=False)
    multi_charge_total = models.BooleanField("数罪并罚决定执行", default=False)
    combined_with_prior = models.BooleanField("与前罪并罚", default=False)
    facts = models.JSONField("结构化事实", default=dict, blank=True)
    amount = models.FloatField("犯罪数额（元）", null=True, blank=True)
    injury = models.CharField("伤情", max_length=32, blank=True)
    circumstances = models.JSONField("量刑情节", default=list, blank=True)
    plea = models.BooleanField("认罪认罚", default=False)

    class Meta:
        verbose_name = "被告人"
        verbose_name_plural = "被告人"
        ordering = ["judgment_id", "position"]
        constraints = [models.UniqueConstraint(fields=["judgment", "position"], name="corpus_defendant_position")]

    def __str__(self) -> str:
        return self.name
