"""Celery tasks of the bids: thin, idempotent; each imports its service in the task body."""

from celery import shared_task


@shared_task(name="cycle.process_bid_upload")
def process_bid_upload(upload_id: int) -> str:
    """Read a large uploaded bid workbook into the corporation's draft (idempotent)."""
    from cycle.bids.services import bid_upload_process

    return bid_upload_process(upload_id=upload_id).status
