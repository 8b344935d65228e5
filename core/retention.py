"""Retention of uploaded source files, for any upload record with ``file``, ``status``,
``created_at`` and ``source_deleted_at``: the file is deleted from storage, the record stays
(counts, error report) with ``source_deleted_at`` saying when, and an audit entry saying why.
Which models and statuses: cycle.retention (core imports no app).

Idempotent: a record whose file is gone is skipped, so a second run, or two at once, deletes
nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from core.actors import SystemActor
from core.audit import audit_log

RETENTION_ACTOR = SystemActor("bewaartermijn")


def expired_sources(model, cutoff: dt.datetime, keep_statuses) -> list[int]:
    """Records of ``model`` uploaded before ``cutoff`` that still hold a file."""
    return list(
        model.objects.filter(created_at__lt=cutoff, source_deleted_at__isnull=True)
        .exclude(file="")
        .exclude(status__in=keep_statuses)
        .values_list("pk", flat=True)
    )


def source_delete(model, pk: int, *, now: dt.datetime, days: int) -> bool:
    """Delete one record's source file; False when another run was first."""
    with transaction.atomic():
        record = (
            model.objects.select_for_update()
            .filter(pk=pk, source_deleted_at__isnull=True)
            .exclude(file="")
            .first()
        )
        if record is None:
            return False  # another run was first
        name = record.file.name
        record.file = ""
        record.source_deleted_at = now
        record.save(update_fields=["file", "source_deleted_at"])
        audit_log(
            actor=RETENTION_ACTOR,
            action="upload_source_delete",
            obj=record,
            file=name,
            reason=f"bewaartermijn van {days} dagen verstreken",
        )
        storage = model._meta.get_field("file").storage
        # Delete from storage only once the record says so (a failed commit keeps the file).
        transaction.on_commit(lambda: storage.delete(name))
    return True
