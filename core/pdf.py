"""The one PDF helper of the project: render_pdf(template, context) -> bytes.

Every PDF (framework, jaarschijf, bid, evaluation) goes through here, rendered by WeasyPrint
from a print template that extends "print/base.html".

Caching: the key is the SHA-256 of the rendered HTML (plus a version of this helper). The PDF
stylesheet is inlined into that HTML, so a change of content *or* of layout makes a new key and
a stale PDF can never be served; an unchanged document is served from the cache without running
WeasyPrint again.

Isolation: WeasyPrint only ever sees our own HTML and the files under STATIC_URL. The URL
fetcher serves /static/ from disk through the staticfiles finders and refuses everything else
(http, https, ftp, other file paths), so rendering a PDF never touches the network or the rest
of the file system, whatever ends up in a text field.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
import threading
from functools import cache as memoize
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60 * 60 * 24 * 7
# Bump when this module changes the PDF produced from the same HTML (options, fetcher). The
# WeasyPrint version and the tagging setting are part of the key as well (see cache_key).
_CACHE_VERSION = "3"
# The print stylesheet every PDF shares; inlined into the HTML (see module docstring).
STYLESHEET = "css/pdf.css"
# Base URL of the document: a file URL, so that "/static/..." resolves to "file:///static/...",
# which the fetcher maps onto the staticfiles finders (never onto the real root directory).
BASE_URL = "file:///"

# WeasyPrint rendering options. Presentational hints stay off (print templates carry no
# presentational HTML attributes); fonts are subset (WeasyPrint's default, full_fonts=False);
# images would be optimised losslessly if a template ever embeds one.
PDF_OPTIONS: dict[str, Any] = {
    "presentational_hints": False,
    "optimize_images": True,
    "full_fonts": False,
}
# Tagged PDF (structure tree, reading order, table headers for screen readers): documents of
# Dutch public bodies must be accessible. Costs 10-15% render time and 60% file size; a
# setting PDF_TAGGED = False turns it off. WeasyPrint's tagging is young and has crashed on some
# tables upstream, so a failure falls back to an untagged PDF instead of failing the download.
PDF_TAGGED_DEFAULT = True


# --- resources ----------------------------------------------------------------------------


def static_path_for_url(url: str) -> Path:
    """The file on disk for a /static/ URL; ValueError for anything else.

    Accepts "/static/x", "file:///static/x" (relative URLs resolved against BASE_URL). Refuses
    every other scheme and every path outside STATIC_URL, as well as "..".
    """
    parts = urlsplit(url)
    if parts.scheme not in {"", "file"} or parts.netloc not in {"", "localhost"}:
        raise ValueError(f"PDF resource refused (only {settings.STATIC_URL} is served): {url}")
    path = unquote(parts.path)
    prefix = settings.STATIC_URL
    if not prefix.startswith("/") or not path.startswith(prefix):
        raise ValueError(f"PDF resource refused (only {prefix} is served): {url}")
    relative = path[len(prefix) :]
    if not relative or ".." in relative.split("/"):
        raise ValueError(f"PDF resource refused: {url}")
    found = finders.find(relative)
    if not found or not Path(found).is_file():
        raise ValueError(f"PDF resource not found: {url}")
    return Path(found)


def _fetch_static(url: str) -> tuple[bytes, str]:
    path = static_path_for_url(url)
    mime_type, _ = mimetypes.guess_type(path.name)
    return path.read_bytes(), mime_type or "application/octet-stream"


@memoize
def _fetcher_class() -> type:
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """Serves /static/ from disk and data: URLs; refuses everything else."""

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            body, mime_type = _fetch_static(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return StaticOnlyURLFetcher


def make_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that never leaves STATIC_URL (see static_path_for_url)."""
    return _fetcher_class()(allowed_protocols=("file", "data"), allow_redirects=False)


# --- the stylesheet -----------------------------------------------------------------------

_CSS_COMMENT = re.compile(r"/\*.*?\*/\s*", re.DOTALL)
_stylesheet_lock = threading.Lock()
_stylesheet_cache: dict[str, tuple[int, str]] = {}


def pdf_stylesheet() -> str:
    """The text of the PDF stylesheet, re-read only when the file changes on disk."""
    found = finders.find(STYLESHEET)
    if not found:
        logger.warning("PDF stylesheet %s not found", STYLESHEET)
        return ""
    path = Path(found)
    mtime = path.stat().st_mtime_ns
    with _stylesheet_lock:
        cached = _stylesheet_cache.get(str(path))
        if cached is None or cached[0] != mtime:
            # Comments stripped: they need not travel in every document (nor in its cache key).
            cached = (mtime, _CSS_COMMENT.sub("", path.read_text(encoding="utf-8")).strip())
            _stylesheet_cache[str(path)] = cached
    # "</" cannot occur in CSS we write, but never let the text end the <style> element early.
    return cached[1].replace("</", "<\\/")


# --- rendering ----------------------------------------------------------------------------


_thread_state = threading.local()


def _font_config() -> Any:
    """One WeasyPrint FontConfiguration per thread, reused from render to render.

    It keeps the @font-face fonts it has fetched and decoded (keyed by their descriptors), so
    the second and later PDFs of a worker skip that work (about 50 ms a document). Fontconfig
    and Pango objects must not be shared between threads, hence one per thread.
    """
    font_config = getattr(_thread_state, "font_config", None)
    if font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        font_config = _thread_state.font_config = FontConfiguration()
    return font_config


def html_to_pdf(html: str) -> bytes:
    """Bare conversion, without the cache (used by render_pdf and by the benchmark)."""
    from weasyprint import HTML  # imported here: WeasyPrint is heavy and needed only for PDFs

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=make_url_fetcher())
    if _tagged():
        try:
            return document.write_pdf(font_config=_font_config(), pdf_tags=True, **PDF_OPTIONS)
        except Exception:
            logger.exception("Tagged PDF failed; rendering it untagged")
    return document.write_pdf(font_config=_font_config(), **PDF_OPTIONS)


def render_html(template_name: str, context: dict) -> str:
    """The print template rendered to HTML, with the PDF stylesheet inlined."""
    return render_to_string(template_name, {**context, "pdf_stylesheet": pdf_stylesheet()})


def _tagged() -> bool:
    return bool(getattr(settings, "PDF_TAGGED", PDF_TAGGED_DEFAULT))


@memoize
def _weasyprint_version() -> str:
    # Read without importing WeasyPrint: a cache hit never needs it.
    return package_version("weasyprint")


def cache_key(html: str) -> str:
    """SHA-256 of the HTML, prefixed by everything else that shapes the PDF."""
    options = "tagged" if _tagged() else "untagged"
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    return f"pdf:{_CACHE_VERSION}:{_weasyprint_version()}:{options}:{digest}"


def content_digest(html: str) -> str:
    """The SHA-256 of everything that shapes the PDF of this HTML (the cache key): the name of
    its stored file (core.stored_pdf), so that changed content or layout is a new name."""
    return hashlib.sha256(cache_key(html).encode("utf-8")).hexdigest()


def render_pdf(template_name: str, context: dict, *, use_cache: bool = True) -> bytes:
    """Render a print template to PDF bytes; an unchanged document comes from the cache."""
    return html_pdf(render_html(template_name, context), use_cache=use_cache)


def html_pdf(html: str, *, use_cache: bool = True) -> bytes:
    """PDF bytes of print HTML rendered before (e.g. a signing round's stored snapshot), through
    the same cache as render_pdf."""
    if not use_cache:
        return html_to_pdf(html)
    key = cache_key(html)
    pdf = cache.get(key)
    if pdf is None:
        pdf = html_to_pdf(html)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf
