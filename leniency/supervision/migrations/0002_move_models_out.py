"""Approval moved to cases and the audit log to the audit app: drop them from this app's state only.

The tables keep their names and rows. The content types are relabelled so that permissions and any
reference to them follow the models instead of being left stale and created anew.
"""

from django.db import migrations

MOVED = {"approval": "cases", "auditevent": "audit", "audithead": "audit"}


def _relabel(apps, schema_editor, forwards: bool) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, app in MOVED.items():
        source, target = ("supervision", app) if forwards else (app, "supervision")
        # A fresh database has no content types yet; one already relabelled is left alone.
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, forwards=True)


def backwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("audit", "0001_initial"),
        ("cases", "0002_approval"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Approval"),
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="AuditHead"),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
