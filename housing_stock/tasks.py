"""Celery tasks of the housing stock: thin, taking primary keys, calling a service."""

from celery import shared_task

from core import jobs


@shared_task(**jobs.task_options(jobs.STOCK_IMPORT))
def stock_import_run(import_id: int) -> None:
    """Process a large upload in the background; a retry of a finished import does nothing.

    Time limits, acks_late and redelivery after a lost worker come from core.jobs.
    """
    from housing_stock.services import stock_import_process

    stock_import_process(import_id=import_id)
