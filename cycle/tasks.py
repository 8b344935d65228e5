"""Celery tasks of the cycle year: thin, idempotent; each imports its service in the task body.

The bids' and the evaluation's tasks live in their sub-packages (cycle.bids.tasks,
cycle.evaluation.tasks); kerkrade_pa.celery discovers them.
"""

from celery import shared_task
from django.utils import timezone


@shared_task(name="cycle.send_reminders")
def send_reminders() -> int:
    """Daily (beat): send the milestone reminders due today, Amsterdam time. Safe to run twice
    and on two workers at once (see cycle.reminders.reminder_deliver)."""
    from cycle.reminders import reminders_send

    return reminders_send(today=timezone.localdate())


@shared_task(name="cycle.delete_old_uploads")
def delete_old_uploads() -> dict:
    """Daily (beat): delete uploaded source files past UPLOAD_RETENTION_DAYS (cycle.retention).
    Idempotent (a deleted file is not deleted twice)."""
    from cycle.retention import uploads_retention_apply

    result = uploads_retention_apply()
    return {"stock_imports": result.stock_imports, "bid_uploads": result.bid_uploads}
