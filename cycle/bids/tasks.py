"""Celery tasks of the bids: thin, idempotent; each imports its service in the task body."""

from celery import shared_task

from core import jobs


@shared_task(name="cycle.process_bid_upload", **jobs.task_options(jobs.BID_UPLOAD))
def process_bid_upload(upload_id: int) -> str:
    """Read a large uploaded bid workbook into the corporation's draft (idempotent).

    Time limits, acks_late and redelivery after a lost worker come from core.jobs.
    """
    from cycle.bids.services import bid_upload_process

    return bid_upload_process(upload_id=upload_id).status
