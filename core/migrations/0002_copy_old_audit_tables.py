"""Carry the rows of the two former audit tables (agreements.DocumentEvent and
cycle.AuditEntry) into the one audit trail, keeping their times, before those tables go."""

from django.db import migrations


def copy(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    sources = [
        (apps.get_model("agreements", "DocumentEvent"), "document_type"),
        (apps.get_model("cycle", "AuditEntry"), "object_type"),
    ]
    rows = []
    for model, type_field in sources:
        for old in model.objects.select_related("actor").order_by("at", "id").iterator():
            rows.append(
                AuditEvent(
                    actor_id=old.actor_id,
                    actor_name=old.actor.username if old.actor_id else "",
                    action=old.action,
                    object_type=getattr(old, type_field),
                    object_id=old.object_id,
                    details=old.details,
                    at=old.at,
                )
            )
    rows.sort(key=lambda row: row.at)
    created = AuditEvent.objects.bulk_create(rows, batch_size=1000)
    # auto_now_add set "at" to now on create; put the original times back.
    for row, original in zip(created, rows, strict=True):
        row.at = original.at
    AuditEvent.objects.bulk_update(created, ["at"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("agreements", "0004_signing_triggers"),
        ("cycle", "0005_evaluation_signing_trigger"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
