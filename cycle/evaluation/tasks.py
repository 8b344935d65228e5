"""Celery tasks of the evaluation: thin, idempotent; each imports its service in the task body."""

from celery import shared_task

from core import jobs


@shared_task(name="cycle.render_evaluation_pdf", **jobs.task_options(jobs.EVALUATION_PDF))
def render_evaluation_pdf(evaluation_id: int, version: int | None = None) -> int:
    """Render an evaluation's PDF into its stored file (idempotent: a second run finds it).

    Without a version: rendered ahead when the evaluation is adopted (concepts are skipped).
    With one: a download's job (see cycle.evaluation.pdf.job_start), its progress kept in the
    cache. Time limits, acks_late and redelivery after a lost worker come from core.jobs.
    """
    from cycle.evaluation import pdf

    if version is None:
        return pdf.prerender(evaluation_id=evaluation_id)
    return pdf.run_job(evaluation_id=evaluation_id, version=version)
