"""The evaluation as a PDF: the document of cycle.pdf_jobs (stored file named by its content
digest, the signed round's PDF once signed, rendered by a background job with its progress
page). What is the evaluation's own: its print template and context, its file's name, what its
render loads with it, its task, and the render ahead when it is adopted (``load_demo``
renders the adopted evaluation ahead too).
"""

from __future__ import annotations

from agreements.models import SigningRequest
from cycle import pdf_jobs
from cycle.evaluation import selectors
from cycle.models import Evaluation

TEMPLATE = "cycle/print/evaluation.html"


def pdf_context(evaluation: Evaluation) -> dict:
    summary = selectors.evaluation_summary(evaluation)
    # The cover says where signing stands ("open" or "ondertekend"; the signed PDF itself says
    # so from its own round, see agreements/print/signed.html).
    signing_state = (
        SigningRequest.objects.filter(
            document_type=Evaluation.signing_key,
            object_id=evaluation.pk,
            status__in=[SigningRequest.Status.OPEN, SigningRequest.Status.SIGNED],
        )
        .order_by("-round")
        .values_list("status", flat=True)
        .first()
    )
    return {
        "evaluation": evaluation,
        "summary": summary,
        "framework": summary.framework,
        "comments": list(selectors.comments(evaluation)),
        "signing_state": signing_state or "",
    }


DOCUMENT = pdf_jobs.PdfDocument(
    model=Evaluation,
    template=TEMPLATE,
    context=pdf_context,
    stem=lambda evaluation: f"evaluatie-{evaluation.jaarschijf.plan_year}-{evaluation.pk}",
    related=(
        "cycle_year__framework__municipality",
        "cycle_year__municipality",
        "jaarschijf__cycle_year__framework__municipality",
    ),
    task="cycle.evaluation.tasks.render_evaluation_pdf",
)

FOLDER = DOCUMENT.folder
JOB_SECONDS = pdf_jobs.JOB_SECONDS
lookup = DOCUMENT.lookup
evaluation_pdf = DOCUMENT.current_pdf
job_key = DOCUMENT.job_key
job_status = DOCUMENT.job_status
job_start = DOCUMENT.job_start


def run_job(*, evaluation_id: int, version: int) -> int:
    return DOCUMENT.run_job(pk=evaluation_id, version=version)


def prerender(*, evaluation_id: int) -> int:
    """Render an adopted evaluation ahead into its file; nothing for a concept or a missing one."""
    evaluation = DOCUMENT.load(evaluation_id)
    if evaluation is None or not evaluation.is_adopted:
        return 0
    return len(DOCUMENT.current_pdf(evaluation))
