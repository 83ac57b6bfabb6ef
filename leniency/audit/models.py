"""The append-only, hash-chained audit log (written through ``leniency.audit.trail``)."""

from __future__ import annotations

from django.db import models


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
        # The table keeps the name it had when the model lived in supervision: the move changed no data.
        db_table = "supervision_auditevent"
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
        db_table = "supervision_audithead"
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"
