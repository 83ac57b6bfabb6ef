"""Approvals required by the power list, and the append-only, hash-chained audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
        verbose_name = "审批"
        verbose_name_plural = "审批"
        ordering = ["-id"]


class AuditEvent(models.Model):
    """One change or one read of personal data. Rows are never updated or deleted; `seq` has no gaps."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间")
    actor_id = models.BigIntegerField("操作人编号", null=True, blank=True)
    actor = models.CharField("操作人", max_length=150)
    role = models.CharField("角色", max_length=20, blank=True)
    action = models.CharField("操作", max_length=60)
    object_type = models.CharField("对象类型", max_length=40)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    address = models.CharField("地址", max_length=64, blank=True)
    prev_hash = models.CharField("前一事件哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["seq"]

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("审计事件只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("审计事件只能追加，不能删除。")


class AuditHead(models.Model):
    """The chain's tip: locked while appending so events are serialised; also detects deletion of the tail."""

    key = models.CharField(max_length=20, unique=True, default="main")
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"
