"""The evaluation as a PDF, through the one PDF helper (render_pdf).

An adopted evaluation no longer changes, so its PDF is rendered ahead in the worker
(cycle.tasks.render_evaluation_pdf, enqueued after commit by evaluation_adopt) and kept in the
cache under a key of (layout, evaluation, version): a download then reads one cache entry and
never renders the HTML again. A concept is looked up by content: render_pdf's own cache is keyed
by the SHA-256 of the HTML, so an unchanged concept is served without WeasyPrint.

A PDF that is not in the cache is rendered in the worker, never in the request: the download
view starts a job (job_start), the page polls job_status, and the download link then finds the
PDF in the cache. A job is tracked in the cache under (layout, evaluation, version); cache.add
is its lock, so two clicks enqueue one render. With eager tasks (no REDIS_URL) job_start renders
in-process and the request serves the PDF at once.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

from core import pdf as pdf_helper
from core.pdf import CACHE_SECONDS, render_pdf
from cycle.evaluation import selectors
from cycle.models import Evaluation

TEMPLATE = "cycle/print/evaluation.html"
# Bump when the print template changes: the pointer key then misses and the PDF is re-rendered.
LAYOUT_VERSION = "1"


logger = logging.getLogger(__name__)

# A queued or rendering job whose worker died frees its lock after this; a new click retries.
JOB_SECONDS = 15 * 60
# How long a finished (done or failed) job is remembered for the status page.
JOB_RESULT_SECONDS = 60 * 60


class JobState:
    QUEUED = "queued"
    RENDERING = "rendering"
    DONE = "done"
    FAILED = "failed"


def cache_key(evaluation: Evaluation) -> str:
    return f"evaluation-pdf:{LAYOUT_VERSION}:{evaluation.pk}:{evaluation.version}"


def job_key(evaluation_id: int, version: int) -> str:
    return f"evaluation-pdf-job:{LAYOUT_VERSION}:{evaluation_id}:{version}"


def pdf_context(evaluation: Evaluation) -> dict:
    summary = selectors.evaluation_summary(evaluation)
    return {
        "evaluation": evaluation,
        "summary": summary,
        "framework": summary.framework,
        "comments": list(selectors.comments(evaluation)),
    }


def cached_pdf(evaluation: Evaluation) -> bytes | None:
    """The rendered-ahead PDF of an adopted evaluation, or None."""
    if not evaluation.is_adopted:
        return None
    return cache.get(cache_key(evaluation))


def lookup(evaluation: Evaluation) -> bytes | None:
    """The PDF when it is in the cache, without running WeasyPrint; None otherwise.

    Adopted: one cache read (the pointer key). Otherwise the HTML is rendered and its content
    hash looked up in render_pdf's cache.
    """
    pdf = cached_pdf(evaluation)
    if pdf is not None:
        return pdf
    html = pdf_helper.render_html(TEMPLATE, pdf_context(evaluation))
    pdf = cache.get(pdf_helper.cache_key(html))
    if pdf is not None and evaluation.is_adopted:
        cache.set(cache_key(evaluation), pdf, CACHE_SECONDS)
    return pdf


def evaluation_pdf(evaluation: Evaluation, *, use_cache: bool = True) -> bytes:
    if use_cache:
        pdf = cached_pdf(evaluation)
        if pdf is not None:
            return pdf
    pdf = render_pdf(TEMPLATE, pdf_context(evaluation), use_cache=use_cache)
    if use_cache and evaluation.is_adopted:
        cache.set(cache_key(evaluation), pdf, CACHE_SECONDS)
    return pdf


def prerender(*, evaluation_id: int) -> int:
    """Render an adopted evaluation into the cache; nothing for a concept or a missing one."""
    evaluation = (
        Evaluation.objects.select_related(
            "cycle_year__framework__municipality", "cycle_year__municipality", "jaarschijf"
        )
        .filter(pk=evaluation_id)
        .first()
    )
    if evaluation is None or not evaluation.is_adopted:
        return 0
    return len(evaluation_pdf(evaluation))


# --- render jobs (the download of a PDF that is not cached yet) ----------------------------


def job_status(evaluation: Evaluation) -> dict | None:
    """The job of this version of the evaluation: {"state": ..., "attempt": n}, or None.

    An adopted evaluation whose PDF is in the cache counts as done (one cache read).
    """
    job = cache.get(job_key(evaluation.pk, evaluation.version))
    if (job is None or job["state"] != JobState.DONE) and cached_pdf(evaluation) is not None:
        return {"state": JobState.DONE, "attempt": job["attempt"] if job else 0}
    return job


def _set_job(evaluation_id: int, version: int, state: str, attempt: int) -> None:
    finished = state in {JobState.DONE, JobState.FAILED}
    timeout = JOB_RESULT_SECONDS if finished else JOB_SECONDS
    job = {"state": state, "attempt": attempt, "at": time.time()}
    cache.set(job_key(evaluation_id, version), job, timeout)


def job_start(evaluation: Evaluation) -> dict:
    """Enqueue the render of a PDF that is not in the cache, at most once; the job's state.

    A queued or rendering job is left alone (two clicks, one render). A failed job, or a done
    one whose PDF is gone (evicted, or a concept whose other data changed), is started again by
    exactly one caller: the retry of attempt n is claimed with cache.add as well.
    """
    from cycle.evaluation.tasks import render_evaluation_pdf

    key = job_key(evaluation.pk, evaluation.version)
    job = {"state": JobState.QUEUED, "attempt": 1, "at": time.time()}
    claimed = cache.add(key, job, JOB_SECONDS)
    if not claimed:
        current = cache.get(key)
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
        render_evaluation_pdf.delay(evaluation.pk, evaluation.version)
    except Exception:
        # The broker is down, or (eager) the render itself failed: free the job for a retry.
        logger.exception("Evaluation PDF %s could not be rendered or enqueued", evaluation.pk)
        _set_job(evaluation.pk, evaluation.version, JobState.FAILED, job["attempt"])
    # With eager tasks the render has run by now.
    return cache.get(key) or job


def run_job(*, evaluation_id: int, version: int) -> int:
    """The worker's part of a job: render into the cache and record the outcome (idempotent:
    a cached PDF is found again without WeasyPrint). The PDF shows the current content, which
    the download finds by its content hash even if the version has moved on meanwhile."""
    key = job_key(evaluation_id, version)
    attempt = (cache.get(key) or {}).get("attempt", 1)
    evaluation = (
        Evaluation.objects.select_related(
            "cycle_year__framework__municipality", "cycle_year__municipality", "jaarschijf"
        )
        .filter(pk=evaluation_id)
        .first()
    )
    if evaluation is None:
        cache.delete(key)
        return 0
    _set_job(evaluation_id, version, JobState.RENDERING, attempt)
    try:
        size = len(evaluation_pdf(evaluation))
    except Exception:
        logger.exception("Evaluation PDF %s (version %s) failed", evaluation_id, version)
        _set_job(evaluation_id, version, JobState.FAILED, attempt)
        raise
    _set_job(evaluation_id, version, JobState.DONE, attempt)
    return size
