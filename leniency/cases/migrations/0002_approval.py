"""Approval moves here from supervision: state only, its table keeps its name and its rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    # The table already exists (created by supervision 0001, or in use in a running database).
    dependencies = [
        ("accounts", "0001_initial"),
        ("cases", "0001_initial"),
        ("supervision", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Approval",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("departure", "量刑建议偏离计算幅度"),
                                    ("exclusion_leniency", "从严情形仍予从宽"),
                                    ("non_prosecution", "酌定不起诉"),
                                    ("protest", "抗诉"),
                                ],
                                max_length=30,
                                verbose_name="事项",
                            ),
                        ),
                        ("target_type", models.CharField(max_length=40, verbose_name="对象类型")),
                        ("target_id", models.PositiveBigIntegerField(verbose_name="对象编号")),
                        ("citation", models.CharField(max_length=200, verbose_name="依据")),
                        ("request_reason", models.TextField(verbose_name="报请理由")),
                        ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="报请时间")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "待审批"),
                                    ("approved", "已批准"),
                                    ("rejected", "不批准"),
                                    ("withdrawn", "已撤回（报批事项已被新版本取代）"),
                                ],
                                default="pending",
                                max_length=20,
                                verbose_name="状态",
                            ),
                        ),
                        ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="审批时间")),
                        ("decision_note", models.TextField(blank=True, verbose_name="审批意见")),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="版本")),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="approvals",
                                to="cases.case",
                                verbose_name="案件",
                            ),
                        ),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="审批人",
                            ),
                        ),
                        (
                            "defendant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="approvals",
                                to="cases.defendant",
                                verbose_name="犯罪嫌疑人",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="报请人",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, to="accounts.unit", verbose_name="单位"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "审批",
                        "verbose_name_plural": "审批",
                        "ordering": ["-id"],
                        "db_table": "supervision_approval",
                    },
                ),
            ],
        ),
    ]
