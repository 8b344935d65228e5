"""A document's PDF, stored as a file and rendered in the background: one machine for every
document that has a PDF download (the yearly evaluation, the end-evaluation), each described by
a small adapter, ``PdfDocument``.

Where it lives: the document's ``pdf`` field, a file in the default storage (MEDIA_ROOT) whose
name ends in the content digest of the print HTML (core.stored_pdf). Every process that shares
the storage (``make run``, gunicorn workers, the Celery worker) finds it, and it outlives the
process that rendered it.

- Not signed (concept, adopted, up for signing): the file is served only when its name carries
  the digest of the document as it renders now (up for signing: of the document as it was put
  up, the round's stored snapshot); after any change of what the PDF shows it is stale, and a
  new one is rendered.
- Signed: the download is the signed PDF of its round, rendered once when the last party signed
  and stored with the round (agreements.signing); it is never rendered again and never changes.

A PDF that is not stored yet is rendered by a task, never in the request: the download view
starts a job (job_start), the progress page polls job_status, and the download link then finds
the file. The job's state (queued, rendering, done, failed; its attempt and runs) is kept in the
cache under (document, layout, id, version); cache.add is its lock, so two clicks start one
render. A queued or rendering job past its limit (core.jobs) reads as failed, with "Probeer
opnieuw" starting it again once. With eager tasks (no REDIS_URL) the task runs in a thread of
this process after the response (core.background), so the page shows its progress the same way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.db import models
from django.utils.module_loading import import_string

from agreements.models import SigningRequest
from core import background, jobs, stored_pdf
from core import pdf as pdf_helper

# Bump when the job bookkeeping changes (the PDF's own layout is part of its content digest).
LAYOUT_VERSION = "2"
# Every document's render has the limits of the evaluation PDF (core.jobs).
KIND = jobs.EVALUATION_PDF
# A queued or rendering job counts as failed once it is older than its limit and margin
# (core.jobs); its entry lives a little longer, so that the page can say so.
JOB_SECONDS = jobs.stuck_after(KIND) + 5 * 60
# How long a finished (done or failed) job is remembered for the status page.
JOB_RESULT_SECONDS = 60 * 60

logger = logging.getLogger(__name__)


class JobState:
    QUEUED = "queued"
    RENDERING = "rendering"
    DONE = "done"
    FAILED = "failed"


RUNNING = {JobState.QUEUED, JobState.RENDERING}
FINISHED = {JobState.DONE, JobState.FAILED}


@dataclass
class PdfDocument:
    """What differs between documents; the rest is the same machine.

    ``model`` is the document's model: it has ``signing_key`` (SigningRequest.document_type of
    its rounds), ``version`` (bumped on each change of the document itself) and a ``pdf``
    FileField whose ``upload_to`` is the folder of the stored files. ``task`` is the dotted
    path of the Celery task that calls ``run_job(pk=, version=)``, imported only when a job
    starts (the task module imports its document's module in the task body).
    """

    model: type[models.Model]
    template: str  # the print template
    context: Callable[[Any], dict]  # the print template's context
    stem: Callable[[Any], str]  # the stored file's name before its digest
    related: tuple[str, ...]  # select_related of the document as the render loads it
    task: str

    @property
    def name(self) -> str:  # the cache key's prefix and the logs' name
        return f"{self.model._meta.model_name}-pdf-job"

    @property
    def folder(self) -> str:
        return self.model._meta.get_field("pdf").upload_to.rstrip("/")

    def load(self, pk: int) -> Any | None:
        return self.model.objects.select_related(*self.related).filter(pk=pk).first()

    # --- the PDF itself ---------------------------------------------------------------------

    def _rounds(self, obj: Any, status: str):
        return SigningRequest.objects.filter(
            document_type=self.model.signing_key, object_id=obj.pk, status=status
        )

    def signed_pdf(self, obj: Any) -> bytes | None:
        """The PDF the parties signed (the latest signed round), or None."""
        signed = (
            self._rounds(obj, SigningRequest.Status.SIGNED)
            .order_by("-round")
            .values_list("signed_pdf", flat=True)
            .first()
        )
        return bytes(signed) if signed else None

    def print_html(self, obj: Any) -> str:
        """The print HTML: while a round is open, the document as it was put up (its snapshot,
        agreements.signing.snapshot), so that live data cannot alter it; else as it renders
        now."""
        put_up = (
            self._rounds(obj, SigningRequest.Status.OPEN)
            .exclude(document_html="")
            .values_list("document_html", flat=True)
            .first()
        )
        return put_up or pdf_helper.render_html(self.template, self.context(obj))

    def lookup(self, obj: Any) -> bytes | None:
        """The PDF when it is signed, or stored and current, without WeasyPrint; else None."""
        signed = self.signed_pdf(obj)
        if signed is not None:
            return signed
        if not obj.pdf:
            return None  # nothing stored: no need to render the HTML to know
        if not stored_pdf.matches(obj.pdf, pdf_helper.content_digest(self.print_html(obj))):
            return None
        return stored_pdf.read(obj.pdf)

    def current_pdf(self, obj: Any) -> bytes:
        """The current PDF: the signed one, the stored one, or rendered now and stored."""
        signed = self.signed_pdf(obj)
        if signed is not None:
            return signed
        html = self.print_html(obj)
        digest = pdf_helper.content_digest(html)
        if stored_pdf.matches(obj.pdf, digest):
            data = stored_pdf.read(obj.pdf)
            if data is not None:
                return data
        data = pdf_helper.html_to_pdf(html)
        stored_pdf.store(
            obj, "pdf", folder=self.folder, stem=self.stem(obj), digest=digest, data=data
        )
        return data

    # --- render jobs (the download of a PDF that is not stored yet) -------------------------

    def job_key(self, pk: int, version: int) -> str:
        return f"{self.name}:{LAYOUT_VERSION}:{pk}:{version}"

    def job_status(self, obj: Any) -> dict | None:
        """The job of this version of the document: {"state": ..., "attempt": n, ...}, or None.

        A failed job carries a Dutch "reason". Without a job, a stored current PDF (or the
        signed one) counts as done.
        """
        job = _read_job(self.job_key(obj.pk, obj.version))
        if job is None and self.lookup(obj) is not None:
            return {"state": JobState.DONE, "attempt": 0}
        return job

    def set_job(
        self, pk: int, version: int, state: str, attempt: int, *, runs: int = 0, reason: str = ""
    ) -> None:
        timeout = JOB_RESULT_SECONDS if state in FINISHED else JOB_SECONDS
        job = {"state": state, "attempt": attempt, "runs": runs, "reason": reason}
        cache.set(self.job_key(pk, version), {**job, "at": time.time()}, timeout)

    def job_start(self, obj: Any) -> dict:
        """Start the render of a PDF that is not stored yet, at most once; the job's state.

        A queued or rendering job is left alone (two clicks, one render). A failed job (also
        one past its limit), or a done one whose PDF is stale again (the document's data
        changed), is started again by exactly one caller: the retry of attempt n is claimed
        with cache.add as well. The render runs in the worker, or (eager) in a thread after
        this request: never in the request.
        """
        key = self.job_key(obj.pk, obj.version)
        job = {"state": JobState.QUEUED, "attempt": 1, "runs": 0, "reason": "", "at": time.time()}
        claimed = cache.add(key, job, JOB_SECONDS)
        if not claimed:
            current = _read_job(key)
            if current is None:  # expired between add and get: claim it afresh
                claimed = cache.add(key, job, JOB_SECONDS)
            elif current["state"] in FINISHED:
                retry = f"{key}:retry:{current['attempt']}"
                if cache.add(retry, 1, JOB_SECONDS):
                    job = {**job, "attempt": current["attempt"] + 1}
                    cache.set(key, job, JOB_SECONDS)
                    claimed = True
            if not claimed:
                return cache.get(key) or current or job
        try:
            background.enqueue(import_string(self.task), obj.pk, obj.version)
        except Exception:
            # The broker is down: free the job for a retry.
            logger.exception("%s %s could not be enqueued", self.name, obj.pk)
            reason = str(jobs.FAILED_MESSAGE)
            self.set_job(obj.pk, obj.version, JobState.FAILED, job["attempt"], reason=reason)
        return cache.get(key) or job

    def run_job(self, *, pk: int, version: int) -> int:
        """The worker's part of a job: render into the file and record the outcome (idempotent:
        a stored current PDF is found again without WeasyPrint). The PDF shows the current
        content, which the download finds by its digest even if the version has moved on.

        Each start counts a run: a job redelivered after its worker was lost runs again, and
        fails with a Dutch reason once it was started more than jobs.MAX_ATTEMPTS times. A job
        stopped by its time limit fails with the reason that it took too long.
        """
        key = self.job_key(pk, version)
        current = cache.get(key) or {}
        attempt = current.get("attempt", 1)
        runs = current.get("runs", 0) + 1
        obj = self.load(pk)
        if obj is None:
            cache.delete(key)
            return 0
        if current.get("state") in FINISHED:
            return 0  # a late redelivery of a job that has ended
        if jobs.too_many_attempts(runs):
            reason = jobs.too_many_attempts_message()
            self.set_job(pk, version, JobState.FAILED, attempt, runs=runs, reason=reason)
            return 0
        self.set_job(pk, version, JobState.RENDERING, attempt, runs=runs)
        try:
            jobs.pause_for_tests()
            size = len(self.current_pdf(obj))
        except Exception as error:
            logger.exception("%s %s (version %s) failed", self.name, pk, version)
            late = isinstance(error, SoftTimeLimitExceeded)
            reason = str(jobs.STUCK_MESSAGE if late else jobs.FAILED_MESSAGE)
            self.set_job(pk, version, JobState.FAILED, attempt, runs=runs, reason=reason)
            raise
        self.set_job(pk, version, JobState.DONE, attempt, runs=runs)
        return size

    def status_context(self, obj: Any) -> dict:
        """What the progress page (cycle/_pdf_status.html) shows of the job."""
        job = self.job_status(obj)
        state = job["state"] if job else ""
        return {"job": job, "state": state, "polling": state in RUNNING}


def _read_job(key: str) -> dict | None:
    """The job under key; a queued or rendering one past its limit is failed (at read time:
    the cache cannot be scanned cheaply by a watchdog, and the progress page is its reader)."""
    job = cache.get(key)
    if (
        job is not None
        and job["state"] in RUNNING
        and time.time() - job.get("at", 0) > jobs.stuck_after(KIND)
    ):
        job = {**job, "state": JobState.FAILED, "reason": str(jobs.STUCK_MESSAGE)}
        cache.set(key, job, JOB_RESULT_SECONDS)
    return job
