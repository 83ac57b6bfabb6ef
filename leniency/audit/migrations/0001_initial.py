"""The audit log's models, moved here from supervision: state only, the tables were made by supervision 0001."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    # The tables already exist (created by supervision 0001, or in use in a running database).
    dependencies = [
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("seq", models.PositiveBigIntegerField(unique=True, verbose_name="序号")),
                        ("at", models.DateTimeField(verbose_name="时间")),
                        ("actor_id", models.BigIntegerField(blank=True, null=True, verbose_name="操作人编号")),
                        ("actor", models.CharField(max_length=150, verbose_name="操作人")),
                        ("role", models.CharField(blank=True, max_length=20, verbose_name="角色")),
                        ("action", models.CharField(max_length=60, verbose_name="操作")),
                        ("object_type", models.CharField(max_length=40, verbose_name="对象类型")),
                        ("object_id", models.CharField(blank=True, max_length=40, verbose_name="对象编号")),
                        ("before", models.JSONField(blank=True, null=True, verbose_name="变更前")),
                        ("after", models.JSONField(blank=True, null=True, verbose_name="变更后")),
                        ("address", models.CharField(blank=True, max_length=64, verbose_name="地址")),
                        ("prev_hash", models.CharField(max_length=64, verbose_name="前一事件哈希")),
                        ("hash", models.CharField(max_length=64, unique=True, verbose_name="哈希")),
                    ],
                    options={
                        "verbose_name": "审计事件",
                        "verbose_name_plural": "审计事件",
                        "ordering": ["seq"],
                        "db_table": "supervision_auditevent",
                    },
                ),
                migrations.CreateModel(
                    name="AuditHead",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(default="main", max_length=20, unique=True)),
                        ("last_seq", models.PositiveBigIntegerField(default=0)),
                        (
                            "last_hash",
                            models.CharField(
                                default="0000000000000000000000000000000000000000000000000000000000000000",
                                max_length=64,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "审计链头",
                        "verbose_name_plural": "审计链头",
                        "db_table": "supervision_audithead",
                    },
                ),
            ],
        ),
    ]
