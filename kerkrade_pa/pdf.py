"""The one PDF helper of the project: render_pdf(template, context) -> bytes.

Every PDF (framework, jaarschijf, bid, evaluation) goes through here. The rendered HTML is the
cache key: an unchanged document is served from the cache without running WeasyPrint again,
and any change in content makes a new key, so a stale PDF can never be served.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string

CACHE_SECONDS = 60 * 60 * 24 * 7
_CACHE_VERSION = "1"


def _static_path(url: str) -> Path | None:
    prefix = settings.STATIC_URL
    for candidate in (prefix, f"file://{prefix}"):
        if url.startswith(candidate):
            relative = url[len(candidate) :].split("?", 1)[0]
            found = finders.find(relative)
            return Path(found) if found else None
    return None


def _url_fetcher(url: str, *args, **kwargs) -> dict:
    """Serve /static/ from disk and refuse everything else: a PDF never reaches the network."""
    path = _static_path(url)
    if path is None or not path.is_file():
        raise ValueError(f"PDF resource not allowed or not found: {url}")
    mime_type, _ = mimetypes.guess_type(str(path))
    return {"string": path.read_bytes(), "mime_type": mime_type, "filename": path.name}


def html_to_pdf(html: str) -> bytes:
    """Bare conversion, without the cache (used by render_pdf and by the benchmark)."""
    from weasyprint import HTML  # imported here: WeasyPrint is heavy and needed only for PDFs

    return HTML(string=html, base_url="/", url_fetcher=_url_fetcher).write_pdf()


def render_pdf(template_name: str, context: dict, *, use_cache: bool = True) -> bytes:
    html = render_to_string(template_name, context)
    if not use_cache:
        return html_to_pdf(html)
    key = "pdf:" + _CACHE_VERSION + ":" + hashlib.sha256(html.encode("utf-8")).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = html_to_pdf(html)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf
