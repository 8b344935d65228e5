"""The evaluation as a PDF (issue 6, part 7), through the one PDF helper (render_pdf).

An adopted evaluation no longer changes, so its PDF is rendered ahead in the worker
(cycle.tasks.render_evaluation_pdf, enqueued after commit by evaluation_adopt) and kept in the
cache under a key of (layout, evaluation, version): a download then reads one cache entry and
never renders the HTML again. A concept is rendered on request; render_pdf's own cache (keyed by
the SHA-256 of the HTML) still spares WeasyPrint when nothing changed.
"""

from __future__ import annotations

from django.core.cache import cache

from kerkrade_pa.pdf import CACHE_SECONDS, render_pdf

from . import evaluation_selectors as selectors
from .models import Evaluation

TEMPLATE = "cycle/print/evaluation.html"
# Bump when the print template changes: the pointer key then misses and the PDF is re-rendered.
LAYOUT_VERSION = "1"


def cache_key(evaluation: Evaluation) -> str:
    return f"evaluation-pdf:{LAYOUT_VERSION}:{evaluation.pk}:{evaluation.version}"


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
