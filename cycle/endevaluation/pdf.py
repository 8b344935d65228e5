"""The end-evaluation as a PDF, on the render path of the yearly evaluation's PDF: the one PDF
helper (core.pdf), the file in storage named by its content digest (core.stored_pdf), while a
round is open the HTML as put up (the round's snapshot), once signed the round's signed PDF.
A PDF that is not stored yet is rendered by a task (core.background, limits of core.jobs),
never in the request; the download then finds the file.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

from agreements.models import SigningRequest
from core import background, jobs, stored_pdf
from core import pdf as pdf_helper
from cycle.models import EndEvaluation

TEMPLATE = "cycle/print/end_evaluation.html"
FOLDER = "pdf/eindevaluatie"
KEY = EndEvaluation.signing_key

logger = logging.getLogger(__name__)


def signed_pdf(end_evaluation: EndEvaluation) -> bytes | None:
    signed = (
        SigningRequest.objects.filter(
            document_type=KEY, object_id=end_evaluation.pk, status=SigningRequest.Status.SIGNED
        )
        .order_by("-round")
        .values_list("signed_pdf", flat=True)
        .first()
    )
    return bytes(signed) if signed else None


def print_html(end_evaluation: EndEvaluation) -> str:
    from cycle.endevaluation.signing import EndEvaluationSignable

    put_up = (
        SigningRequest.objects.filter(
            document_type=KEY, object_id=end_evaluation.pk, status=SigningRequest.Status.OPEN
        )
        .exclude(document_html="")
        .values_list("document_html", flat=True)
        .first()
    )
    if put_up:
        return put_up
    return pdf_helper.render_html(TEMPLATE, EndEvaluationSignable(end_evaluation).pdf_context())


def _stem(end_evaluation: EndEvaluation) -> str:
    return f"eindevaluatie-{end_evaluation.framework.period_label}-{end_evaluation.pk}"


def lookup(end_evaluation: EndEvaluation) -> bytes | None:
    """The signed PDF, or the stored one when it shows the content as it is now; else None."""
    signed = signed_pdf(end_evaluation)
    if signed is not None:
        return signed
    if not end_evaluation.pdf:
        return None
    if not stored_pdf.matches(
        end_evaluation.pdf, pdf_helper.content_digest(print_html(end_evaluation))
    ):
        return None
    return stored_pdf.read(end_evaluation.pdf)


def end_evaluation_pdf(end_evaluation: EndEvaluation) -> bytes:
    """The current PDF: the signed one, the stored one, or rendered now and stored."""
    signed = signed_pdf(end_evaluation)
    if signed is not None:
        return signed
    html = print_html(end_evaluation)
    digest = pdf_helper.content_digest(html)
    if stored_pdf.matches(end_evaluation.pdf, digest):
        data = stored_pdf.read(end_evaluation.pdf)
        if data is not None:
            return data
    data = pdf_helper.html_to_pdf(html)
    stored_pdf.store(
        end_evaluation, "pdf", folder=FOLDER, stem=_stem(end_evaluation), digest=digest, data=data
    )
    return data


def _job_key(end_evaluation: EndEvaluation) -> str:
    return f"end-evaluation-pdf-job:{end_evaluation.pk}:{end_evaluation.version}"


def job_start(end_evaluation: EndEvaluation) -> bool:
    """Start the render once per version (cache.add is the lock); True when started now."""
    from cycle.endevaluation.tasks import render_end_evaluation_pdf

    key = _job_key(end_evaluation)
    if not cache.add(key, 1, jobs.stuck_after(jobs.EVALUATION_PDF)):
        return False
    try:
        background.enqueue(render_end_evaluation_pdf, end_evaluation.pk)
    except Exception:
        logger.exception("End-evaluation PDF %s could not be enqueued", end_evaluation.pk)
        cache.delete(key)
        return False
    return True


def run_job(*, end_evaluation_id: int) -> int:
    end_evaluation = (
        EndEvaluation.objects.select_related("framework").filter(pk=end_evaluation_id).first()
    )
    if end_evaluation is None:
        return 0
    try:
        return len(end_evaluation_pdf(end_evaluation))
    finally:
        cache.delete(_job_key(end_evaluation))
