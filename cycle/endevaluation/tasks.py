"""Celery tasks of the end-evaluation: thin, idempotent; the service is imported in the body."""

from celery import shared_task

from core import jobs


@shared_task(name="cycle.render_end_evaluation_pdf", **jobs.task_options(jobs.EVALUATION_PDF))
def render_end_evaluation_pdf(end_evaluation_id: int, version: int) -> int:
    """A download's job (cycle.pdf_jobs): render the end-evaluation's PDF into its stored file
    (a second run finds it), its progress kept in the cache. Time limits, acks_late and
    redelivery after a lost worker come from core.jobs."""
    from cycle.endevaluation import pdf

    return pdf.run_job(end_evaluation_id=end_evaluation_id, version=version)
