"""Benchmark of the evaluation PDF: our pipeline cold and from its stored file,
against bare WeasyPrint on the same HTML, in one run.

    .venv/bin/python bench/bench_evaluation.py [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pa_eval_bench .venv/bin/python bench/...

Uses a throwaway database (default: a SQLite file under /tmp; never point DATABASE_URL at real
data): migrates it and runs load_demo, which adopts the evaluation of the 2025 jaarschijf of
Kerkrade with a full year of data (a realisation per contribution, the year figures of each
corporation, 2021-2025). Each measurement runs in its own forked process, after a warm-up render
of a one-line document (imports, fontconfig), so that its peak memory is its own:

- ours, cold: no stored file; selectors + template + WeasyPrint (cycle.evaluation.pdf);
- bare: WeasyPrint on the very same HTML with the same options and URL fetcher (the fonts must
  load the same way), nothing else;
- ours, stored: the rendered-ahead PDF of the adopted evaluation (a file in MEDIA_ROOT), as a
  download through the full Django stack (login session, access check, digest check, file read).

Prints seconds, pages, seconds per page, peak RSS (and the RSS just before the render) and
the ratio ours/bare, against the issue's targets: ratio <= 1,2; peak < 100 MB + 8 MB per page;
stored download < 50 ms.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kerkrade_pa.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/pa_eval_bench.sqlite3")
os.environ.setdefault("EMAIL_URL", "locmem://")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from core import pdf as pdf_helper  # noqa: E402
from cycle.evaluation import pdf as evaluation_pdf  # noqa: E402
from cycle.models import Evaluation  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pages(data: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def load_evaluation() -> Evaluation:
    return Evaluation.objects.select_related(
        "cycle_year__framework__municipality", "cycle_year__municipality", "jaarschijf"
    ).get(jaarschijf__plan_year=2025, cycle_year__framework__slug__contains="kerkrade")


def warm_up() -> None:
    pdf_helper.html_to_pdf('<!DOCTYPE html><html lang="nl"><body><p>warm</p></body></html>')


def bare(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(
        string=html, base_url=pdf_helper.BASE_URL, url_fetcher=pdf_helper.make_url_fetcher()
    )
    options = dict(pdf_helper.PDF_OPTIONS)
    if pdf_helper._tagged():
        options["pdf_tags"] = True
    return document.write_pdf(font_config=pdf_helper._font_config(), **options)


def measure(kind: str, html: str, queue) -> None:
    connections.close_all()  # a forked child opens its own connection
    warm_up()
    start_rss = rss_mb()
    evaluation = load_evaluation()
    began = time.perf_counter()
    if kind == "cold":
        Evaluation.objects.filter(pk=evaluation.pk).update(pdf="")  # no stored file
        evaluation.refresh_from_db()
        data = evaluation_pdf.evaluation_pdf(evaluation)
    elif kind == "bare":
        data = bare(html)
    else:  # the stored file, downloaded through the whole stack
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        data = evaluation_pdf.evaluation_pdf(evaluation)  # the worker's render ahead
        client = Client()
        client.force_login(get_user_model().objects.get(username="wethouder"))
        client.get(_pdf_url(evaluation))  # session and caches warm
        timings = []
        for _ in range(20):
            began = time.perf_counter()
            response = client.get(_pdf_url(evaluation))
            timings.append(time.perf_counter() - began)
        assert response.status_code == 200 and response.content == data, response.status_code
        queue.put((kind, statistics.median(timings), pages(data), peak_mb(), start_rss))
        return
    elapsed = time.perf_counter() - began
    queue.put((kind, elapsed, pages(data), peak_mb(), start_rss))


def _pdf_url(evaluation: Evaluation) -> str:
    from django.urls import reverse

    return reverse("cycle:evaluation-pdf", args=[evaluation.pk])


def prepare() -> None:
    call_command("migrate", verbosity=0)
    if not Evaluation.objects.filter(jaarschijf__plan_year=2025).exists():
        call_command("load_demo", verbosity=0)
    connections.close_all()


def run(kind: str, html: str) -> tuple:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=measure, args=(kind, html, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    # Set up in a child, so that the measuring processes (forked from this one) do not inherit
    # the memory of loading the demo.
    context = multiprocessing.get_context("fork")
    setup = context.Process(target=prepare)
    setup.start()
    setup.join()
    evaluation = load_evaluation()
    html = pdf_helper.render_html(evaluation_pdf.TEMPLATE, evaluation_pdf.pdf_context(evaluation))
    connections.close_all()
    results: dict[str, list[tuple]] = {"cold": [], "bare": [], "cached": []}
    for _ in range(args.runs):
        for kind in ("cold", "bare"):
            results[kind].append(run(kind, html))
    results["cached"].append(run("cached", html))

    def median(kind: str, index: int) -> float:
        return statistics.median(row[index] for row in results[kind])

    page_count = results["cold"][0][2]
    print(
        f"evaluation {evaluation.jaarschijf.plan_year} ({evaluation.cycle_year.municipality}), "
        f"{page_count} pages, HTML {len(html) / 1024:.0f} KiB, tagged PDF {pdf_helper._tagged()}, "
        f"{args.runs} runs (median), database {connections['default'].vendor}"
    )
    budget = 100 + 8 * page_count
    for kind, label in [
        ("cold", "ours, cold"),
        ("bare", "bare WeasyPrint"),
        ("cached", "ours, stored-file download"),
    ]:
        seconds = median(kind, 1)
        peak = max(row[3] for row in results[kind])
        before = max(row[4] for row in results[kind])
        print(
            f"{label:24} {seconds * 1000:9.1f} ms  {seconds / page_count * 1000:7.1f} ms/page  "
            f"peak RSS {peak:6.1f} MB (RSS before {before:5.1f} MB; budget {budget} MB)"
        )
    ratio = median("cold", 1) / median("bare", 1)
    cached_ms = median("cached", 1) * 1000
    print(
        f"ratio ours/bare {ratio:.2f} (target <= 1,2); "
        f"stored-file download {cached_ms:.1f} ms (target < 50)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
