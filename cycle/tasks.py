"""Celery tasks of the cycle: thin, idempotent, calling a service."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="cycle.process_bid_upload")
def process_bid_upload(upload_id: int) -> str:
    """Read a large uploaded bid workbook into the corporation's draft (idempotent)."""
    return services.bid_upload_process(upload_id=upload_id).status


@shared_task(name="cycle.send_reminders")
def send_reminders() -> int:
    """Daily (beat): send the milestone reminders due today, Amsterdam time. Safe to run twice
    and on two workers at once (see services.reminder_deliver)."""
    return services.reminders_send(today=timezone.localdate())


@shared_task(name="cycle.render_evaluation_pdf")
def render_evaluation_pdf(evaluation_id: int, version: int | None = None) -> int:
    """Render an evaluation's PDF into the cache (idempotent: a second run finds it cached).

    Without a version: rendered ahead when the evaluation is adopted (concepts are skipped).
    With one: a download's job (see evaluation_pdf.job_start), its progress kept in the cache.
    """
    from . import evaluation_pdf

    if version is None:
        return evaluation_pdf.prerender(evaluation_id=evaluation_id)
    return evaluation_pdf.run_job(evaluation_id=evaluation_id, version=version)
