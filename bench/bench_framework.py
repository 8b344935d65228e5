"""Benchmark of the framework pages and the framework PDF.

    DEBUG=true .venv/bin/python bench/bench_framework.py [--pages 30] [--pdfs 5] [--cached 30]

Uses the normal settings (DEBUG=true by default) and the database of DATABASE_URL (default: the
project's SQLite file); migrates (a no-op when up to date) and runs load_demo when the demo
framework is missing. Prints:

- the server time of the framework overview page (Django test client, logged in): median, p95;
- the framework PDF rendered without cache (render_pdf(..., use_cache=False)): median seconds,
  pages, seconds per page; the same HTML through bare WeasyPrint (HTML(string=...).write_pdf()
  with the same fonts) and the ratio ours/bare; an uncached download through the view;
- peak memory of one uncached render (tracemalloc: Python allocations; ru_maxrss: process);
- the median time of a repeat (cached) download through the view.

Timings interleave ours and bare, so that a busy machine affects both alike. Exit status 0; the
targets are printed beside the figures, not enforced (a shared CI machine is too noisy).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import re
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kerkrade_pa.settings")
# A local benchmark: DEBUG settings (no SECRET_KEY needed, static files from the finders, as
# `make run`). `DEBUG=true` on the command line says the same.
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from agreements import selectors  # noqa: E402
from agreements.models import Framework  # noqa: E402
from core import pdf  # noqa: E402 - the one PDF helper (kerkrade_pa.pdf moved there)

DEMO_SLUG = "kerkrade-2021-2025"
USERNAME = "werkgroep"
TEMPLATE = "agreements/print/framework.html"


def ensure_demo() -> Framework:
    """The demo framework; migrates first (a no-op when up to date), load_demo when missing."""
    call_command("migrate", verbosity=0)
    try:
        framework = Framework.objects.filter(slug=DEMO_SLUG).first()
    except DatabaseError:
        framework = None
    if framework is None:
        print("Demo framework missing: running load_demo ...", flush=True)
        call_command("load_demo", verbosity=0)
        framework = Framework.objects.get(slug=DEMO_SLUG)
    return framework


def pdf_context(framework: Framework) -> dict:
    """The context of agreements.views.framework_pdf."""
    return {
        "framework": framework,
        "themes": selectors.framework_themes(framework),
        "parties": selectors.framework_parties(framework),
        "signatories": selectors.framework_signatories(framework),
        "process_steps": selectors.framework_process_steps(framework),
    }


def timed(func) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def timed_both(func) -> tuple[float, float]:
    """Wall-clock and CPU seconds of this process (CPU is steadier on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def count_pages(data: bytes) -> int:
    try:
        import pypdf
    except ImportError:
        pypdf = None
    if pypdf is not None:
        from io import BytesIO

        return len(pypdf.PdfReader(BytesIO(data)).pages)
    # WeasyPrint writes the page tree's /Count uncompressed in the catalog's /Pages object.
    counts = [int(n) for n in re.findall(rb"/Count\s+(\d+)", data)]
    return max(counts) if counts else -1


def with_file_urls(html: str) -> str:
    """The same HTML for bare WeasyPrint: /static/ URLs as file:// paths of the real files."""

    def replace(match: re.Match) -> str:
        path = pdf.static_path_for_url(match.group(2))
        return f"{match.group(1)}{path.as_uri()}"

    return re.sub(r"""(url\(["']?)(/static/[^"')]+)""", replace, html)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30, help="overview page requests")
    parser.add_argument("--pdfs", type=int, default=5, help="uncached PDF renders")
    parser.add_argument("--cached", type=int, default=30, help="cached PDF downloads")
    args = parser.parse_args()

    # WeasyPrint reports every layout step at INFO; that is noise here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # The test client's host; DEBUG settings allow only 127.0.0.1 and localhost.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    framework = ensure_demo()
    vendor = connection.vendor
    db_name = connection.settings_dict["NAME"]
    print(
        f"Database: {vendor} ({db_name}); DEBUG={settings.DEBUG}; cache: "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )
    print(
        f"Framework: {framework.title} - {framework.themes.count()} themes, "
        f"{sum(len(t.agreements.all()) for t in selectors.framework_themes(framework))} "
        "agreements"
    )

    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    detail_url = reverse("agreements:framework-detail", args=[framework.slug])
    pdf_url = reverse("agreements:framework-pdf", args=[framework.slug])

    # -- 1. the overview page -------------------------------------------------------------
    for _ in range(3):  # warm up: imports, template loading, connection
        assert client.get(detail_url).status_code == 200
    page_times, page_cpu = [], []
    for _ in range(args.pages):
        wall, cpu = timed_both(lambda: client.get(detail_url))
        page_times.append(wall)
        page_cpu.append(cpu)
    with CaptureQueriesContext(connection) as queries:
        client.get(detail_url)
    print()
    print(f"Framework overview page ({detail_url}), N={args.pages}")
    print(f"  median server time          {ms(statistics.median(page_times))}")
    print(f"  p95 server time             {ms(p95(page_times))}")
    print(f"  median CPU time             {ms(statistics.median(page_cpu))}")
    print(f"  queries per request         {len(queries):8d}")

    # -- 2. the PDF without cache, and bare WeasyPrint on the same HTML ---------------------
    context = pdf_context(framework)
    html = pdf.render_html(TEMPLATE, context)
    bare_html = with_file_urls(html)
    gc.collect()
    rss_base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from weasyprint import HTML

    ours_data = pdf.render_pdf(TEMPLATE, context, use_cache=False)  # warm up both paths
    rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    bare_data = HTML(string=bare_html).write_pdf()
    pages = count_pages(ours_data)
    bare_pages = count_pages(bare_data)

    tagged = pdf._tagged()
    same_options = {"pdf_tags": tagged, **pdf.PDF_OPTIONS}
    ours_times, bare_times, ours_cpu, bare_cpu, template_times = [], [], [], [], []
    same_times, same_cpu = [], []
    for _ in range(args.pdfs):
        gc.collect()
        wall, cpu = timed_both(lambda: pdf.render_pdf(TEMPLATE, context, use_cache=False))
        ours_times.append(wall)
        ours_cpu.append(cpu)
        gc.collect()
        wall, cpu = timed_both(lambda: HTML(string=bare_html).write_pdf())
        bare_times.append(wall)
        bare_cpu.append(cpu)
        if tagged:
            gc.collect()
            wall, cpu = timed_both(lambda: HTML(string=bare_html).write_pdf(**same_options))
            same_times.append(wall)
            same_cpu.append(cpu)
        template_times.append(timed(lambda: pdf.render_html(TEMPLATE, context))[0])

    view_uncached = []
    for _ in range(max(1, args.pdfs // 2)):
        cache.clear()
        elapsed, response = timed(lambda: client.get(pdf_url))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        view_uncached.append(elapsed)

    ours, bare = statistics.median(ours_times), statistics.median(bare_times)
    print()
    print(f"Framework PDF without cache, N={args.pdfs}")
    print(f"  pages                       {pages:8d}   (bare WeasyPrint: {bare_pages})")
    print(f"  size                        {len(ours_data) / 1024:8.1f} KiB (tagged: {tagged})")
    print(f"  median render (render_pdf)  {ours:8.3f} s")
    print(f"    of which template + CSS   {ms(statistics.median(template_times))}")
    print(f"  seconds per page            {ours / pages:8.3f} s")
    print(f"  bare WeasyPrint, same HTML  {bare:8.3f} s")
    print(f"  ratio ours / bare           {ours / bare:8.2f}     (target <= 1.2)")
    ours_c, bare_c = statistics.median(ours_cpu), statistics.median(bare_cpu)
    print(f"  CPU time ours / bare        {ours_c:8.3f} s / {bare_c:.3f} s = {ours_c / bare_c:.2f}")
    if tagged:
        # Ours writes a tagged (accessible) PDF; bare WeasyPrint's default does not.
        same, same_c = statistics.median(same_times), statistics.median(same_cpu)
        print(
            f"  bare, same options (tagged) {same:8.3f} s; ratio ours / bare-tagged "
            f"{ours / same:.2f} (CPU {same_c:.3f} s, ratio {ours_c / same_c:.2f})"
        )
    print(
        f"  download via view, uncached {statistics.median(view_uncached):8.3f} s "
        f"(N={len(view_uncached)}, incl. queries)"
    )

    # -- 3. memory of one uncached render -------------------------------------------------
    gc.collect()
    tracemalloc.start()
    pdf.render_pdf(TEMPLATE, context, use_cache=False)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        f"  peak memory (tracemalloc)   {traced_peak / 2**20:8.1f} MiB "
        "(Python allocations during one render)"
    )
    print(
        f"  maxrss delta, first render  {(rss_first - rss_base) / 1024:8.1f} MiB "
        "(incl. importing WeasyPrint)"
    )
    print(f"  maxrss of the process       {rss_peak / 1024:8.1f} MiB (after all renders)")

    # -- 4. the repeat download, served from the cache ------------------------------------
    cache.clear()
    first = client.get(pdf_url).content
    cached_times, cached_cpu = [], []
    for _ in range(args.cached):
        wall, cpu = timed_both(lambda: client.get(pdf_url))
        cached_times.append(wall)
        cached_cpu.append(cpu)
    assert client.get(pdf_url).content == first
    print()
    print(f"Framework PDF, repeat download (cached), N={args.cached}")
    print(f"  median server time          {ms(statistics.median(cached_times))}   (target < 50 ms)")
    print(f"  p95 server time             {ms(p95(cached_times))}")
    print(f"  median CPU time             {ms(statistics.median(cached_cpu))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
