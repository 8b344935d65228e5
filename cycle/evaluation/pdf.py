"""The evaluation as a PDF: rendered by the one PDF helper, stored as a file in Django's storage.

Where it lives: ``Evaluation.pdf``, a file in the default storage (MEDIA_ROOT) whose name ends in
the content digest of the print HTML (core.stored_pdf). Every process that shares the storage
(``make run``, gunicorn workers, the Celery worker) finds it, and it outlives the process that
rendered it (``load_demo`` renders the adopted evaluation ahead).

- Not signed (concept, adopted, up for signing): the file is served only when its name carries
  the digest of the evaluation as it renders now (up for signing: of the document as it was
  put up, the round's stored snapshot); after any change of what the PDF shows it is stale, and
  a new one is rendered.
- Signed: the download is the signed PDF of its round, rendered once when the last party signed
  and stored with the round (agreements.signing); it is never rendered again and never changes.

A PDF that is not stored yet is rendered by a task, never in the request: the download view
starts a job (job_start), the page polls job_status, and the download link then finds the file.
The job's state is kept in the cache under (layout, evaluation, version); cache.add is its lock,
so two clicks start one render. With eager tasks (no REDIS_URL) the task runs in a thread of
this process after the response (core.background), so the page shows its progress the same way.
"""

from __future__ import annotations

import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache

from agreements.models import SigningRequest
from core import background, jobs, stored_pdf
from core import pdf as pdf_helper
from cycle.evaluation import selectors
from cycle.models import Evaluation

TEMPLATE = "cycle/print/evaluation.html"
FOLDER = "pdf/evaluatie"
# Bump when the job bookkeeping changes (the PDF's own layout is part of its content digest).
LAYOUT_VERSION = "2"


logger = logging.getLogger(__name__)

# A queued or rendering job counts as failed once it is older than its limit and margin
# (core.jobs); its entry lives a little longer, so that the page can say so.
JOB_SECONDS = jobs.stuck_after(jobs.EVALUATION_PDF) + 5 * 60
# How long a finished (done or failed) job is remembered for the status page.
JOB_RESULT_SECONDS = 60 * 60


class JobState:
    QUEUED = "queued"
    RENDERING = "rendering"
    DONE = "done"
    FAILED = "failed"


def job_key(evaluation_id: int, version: int) -> str:
    return f"evaluation-pdf-job:{LAYOUT_VERSION}:{evaluation_id}:{version}"


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


def signed_pdf(evaluation: Evaluation) -> bytes | None:
    """The PDF the parties signed (the latest signed round), or None."""
    signed = (
        SigningRequest.objects.filter(
            document_type=Evaluation.signing_key,
            object_id=evaluation.pk,
            status=SigningRequest.Status.SIGNED,
        )
        .order_by("-round")
        .values_list("signed_pdf", flat=True)
        .first()
    )
    return bytes(signed) if signed else None


def print_html(evaluation: Evaluation) -> str:
    """The print HTML of the PDF: while a round is open, the document as it was put up (its
    snapshot, agreements.signing.snapshot), so that live data cannot alter it; else as it
    renders now."""
    put_up = (
        SigningRequest.objects.filter(
            document_type=Evaluation.signing_key,
            object_id=evaluation.pk,
            status=SigningRequest.Status.OPEN,
        )
        .exclude(document_html="")
        .values_list("document_html", flat=True)
        .first()
    )
    return put_up or pdf_helper.render_html(TEMPLATE, pdf_context(evaluation))


def _stem(evaluation: Evaluation) -> str:
    return f"evaluatie-{evaluation.jaarschijf.plan_year}-{evaluation.pk}"


def lookup(evaluation: Evaluation) -> bytes | None:
    """The PDF when it is stored and current, without running WeasyPrint; None otherwise."""
    signed = signed_pdf(evaluation)
    if signed is not None:
        return signed
    if not evaluation.pdf:
        return None  # nothing stored: no need to render the HTML to know
    html = print_html(evaluation)
    if not stored_pdf.matches(evaluation.pdf, pdf_helper.content_digest(html)):
        return None
    return stored_pdf.read(evaluation.pdf)


def evaluation_pdf(evaluation: Evaluation) -> bytes:
    """The current PDF: the signed one, the stored one, or rendered now and stored."""
    signed = signed_pdf(evaluation)
    if signed is not None:
        return signed
    html = print_html(evaluation)
    digest = pdf_helper.content_digest(html)
    if stored_pdf.matches(evaluation.pdf, digest):
        data = stored_pdf.read(evaluation.pdf)
        if data is not None:
            return data
    data = pdf_helper.html_to_pdf(html)
    stored_pdf.store(
        evaluation, "pdf", folder=FOLDER, stem=_stem(evaluation), digest=digest, data=data
    )
    return data


def _load(evaluation_id: int) -> Evaluation | None:
    return (
        Evaluation.objects.select_related(
            "cycle_year__framework__municipality", "cycle_year__municipality", "jaarschijf"
        )
        .filter(pk=evaluation_id)
        .first()
    )


def prerender(*, evaluation_id: int) -> int:
    """Render an adopted evaluation ahead into its file; nothing for a concept or a missing one."""
    evaluation = _load(evaluation_id)
    if evaluation is None or not evaluation.is_adopted:
        return 0
    return len(evaluation_pdf(evaluation))


# --- render jobs (the download of a PDF that is not stored yet) ----------------------------


def _read_job(key: str) -> dict | None:
    """The job under key; a queued or rendering one past its limit is failed (at read time:
    the cache cannot be scanned cheaply by a watchdog, and this page is its only reader)."""
    job = cache.get(key)
    if (
        job is not None
        and job["state"] in {JobState.QUEUED, JobState.RENDERING}
        and time.time() - job.get("at", 0) > jobs.stuck_after(jobs.EVALUATION_PDF)
    ):
        job = {**job, "state": JobState.FAILED, "reason": str(jobs.STUCK_MESSAGE)}
        cache.set(key, job, JOB_RESULT_SECONDS)
    return job


def job_status(evaluation: Evaluation) -> dict | None:
    """The job of this version of the evaluation: {"state": ..., "attempt": n, ...}, or None.

    A failed job carries a Dutch "reason". Without a job, a stored current PDF (or the signed
    one) counts as done.
    """
    job = _read_job(job_key(evaluation.pk, evaluation.version))
    if job is None and lookup(evaluation) is not None:
        return {"state": JobState.DONE, "attempt": 0}
    return job


def _set_job(
    evaluation_id: int, version: int, state: str, attempt: int, *, runs: int = 0, reason: str = ""
) -> None:
    finished = state in {JobState.DONE, JobState.FAILED}
    timeout = JOB_RESULT_SECONDS if finished else JOB_SECONDS
    job = {"state": state, "attempt": attempt, "runs": runs, "reason": reason, "at": time.time()}
    cache.set(job_key(evaluation_id, version), job, timeout)


def job_start(evaluation: Evaluation) -> dict:
    """Start the render of a PDF that is not stored yet, at most once; the job's state.

    A queued or rendering job is left alone (two clicks, one render). A failed job (also one
    past its limit), or a done one whose PDF is stale again (the evaluation's other data
    changed), is started again by exactly one caller: the retry of attempt n is claimed with
    cache.add as well. The render runs in the worker, or (eager) in a thread after this
    request: never in the request.
    """
    from cycle.evaluation.tasks import render_evaluation_pdf

    key = job_key(evaluation.pk, evaluation.version)
    job = {"state": JobState.QUEUED, "attempt": 1, "runs": 0, "reason": "", "at": time.time()}
    claimed = cache.add(key, job, JOB_SECONDS)
    if not claimed:
        current = _read_job(key)
        if current is None:  # expired between add and get: claim it afresh
            claimed = cache.add(key, job, JOB_SECONDS)
        elif current["state"] in {JobState.DONE, JobState.FAILED}:
            retry = f"{key}:retry:{current['attempt']}"
            if cache.add(retry, 1, JOB_SECONDS):
                job = {**job, "attempt": current["attempt"] + 1}
                cache.set(key, job, JOB_SECONDS)
                claimed = True
        if not claimed:
            return cache.get(key) or current or job
    try:
        background.enqueue(render_evaluation_pdf, evaluation.pk, evaluation.version)
    except Exception:
        # The broker is down: free the job for a retry.
        logger.exception("Evaluation PDF %s could not be enqueued", evaluation.pk)
        _set_job(
            evaluation.pk,
            evaluation.version,
            JobState.FAILED,
            job["attempt"],
            reason=str(jobs.FAILED_MESSAGE),
        )
    return cache.get(key) or job


def run_job(*, evaluation_id: int, version: int) -> int:
    """The worker's part of a job: render into the file and record the outcome (idempotent: a
    stored current PDF is found again without WeasyPrint). The PDF shows the current content,
    which the download finds by its digest even if the version has moved on meanwhile.

    Each start counts a run: a job redelivered after its worker was lost runs again, and fails
    with a Dutch reason once it was started more than jobs.MAX_ATTEMPTS times. A job stopped
    by its time limit fails with the reason that it took too long.
    """
    key = job_key(evaluation_id, version)
    current = cache.get(key) or {}
    attempt = current.get("attempt", 1)
    runs = current.get("runs", 0) + 1
    evaluation = _load(evaluation_id)
    if evaluation is None:
        cache.delete(key)
        return 0
    if current.get("state") in {JobState.DONE, JobState.FAILED}:
        return 0  # a late redelivery of a job that has ended
    if jobs.too_many_attempts(runs):
        _set_job(
            evaluation_id,
            version,
            JobState.FAILED,
            attempt,
            runs=runs,
            reason=jobs.too_many_attempts_message(),
        )
        return 0
    _set_job(evaluation_id, version, JobState.RENDERING, attempt, runs=runs)
    try:
        jobs.pause_for_tests()
        size = len(evaluation_pdf(evaluation))
    except Exception as error:
        logger.exception("Evaluation PDF %s (version %s) failed", evaluation_id, version)
        reason = jobs.STUCK_MESSAGE if isinstance(error, SoftTimeLimitExceeded) else None
        _set_job(
            evaluation_id,
            version,
            JobState.FAILED,
            attempt,
            runs=runs,
            reason=str(reason or jobs.FAILED_MESSAGE),
        )
        raise
    _set_job(evaluation_id, version, JobState.DONE, attempt, runs=runs)
    return size
