"""The end-evaluation as a PDF: the document of cycle.pdf_jobs, like the yearly evaluation's
(stored file named by its content digest, the signed round's PDF once signed, rendered by a
background job whose progress page polls, fails past its limit and offers "Probeer opnieuw").
What is the end-evaluation's own: its print template and context, its file's name, what its
render loads with it and its task.
"""

from __future__ import annotations

from cycle import pdf_jobs
from cycle.endevaluation.signing import PRINT_TEMPLATE, EndEvaluationSignable
from cycle.models import EndEvaluation

DOCUMENT = pdf_jobs.PdfDocument(
    model=EndEvaluation,
    template=PRINT_TEMPLATE,
    context=lambda end: EndEvaluationSignable(end).pdf_context(),
    stem=lambda end: f"eindevaluatie-{end.framework.period_label}-{end.pk}",
    related=("framework",),
    task="cycle.endevaluation.tasks.render_end_evaluation_pdf",
)

lookup = DOCUMENT.lookup
job_status = DOCUMENT.job_status
job_start = DOCUMENT.job_start


def run_job(*, end_evaluation_id: int, version: int) -> int:
    return DOCUMENT.run_job(pk=end_evaluation_id, version=version)
