"""Benchmark of the seal: the Kerkrade framework PDF sealed with one signature per party.

    DEBUG=true .venv/bin/python bench/bench_seal.py [--runs 5] [--parties 4]

Uses the normal settings (DEBUG=true by default, so the demo certificate seals) and the
database of DATABASE_URL, like bench/bench_framework.py (migrate; load_demo when the demo
framework is missing). Renders the framework PDF once, then prints:

- the median and max time to seal it with --parties signatures (each its own incremental
  revision, as agreements.signing.services._complete does when the last party signs), and the
  time per signature;
- the size before and after;
- the median time of pyHanko's validation of all those seals (what the verify page does);
- pyHanko's report of the last signature, as `pyhanko sign validate --pretty-print` prints it.

Exit status 0; the figures are printed, not enforced.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_framework  # noqa: E402 - sets up Django with the benchmark's settings

from agreements.signing.seal import certificate  # noqa: E402
from agreements.signing.seal.sign import SealEntry, seal_pdf  # noqa: E402
from agreements.signing.seal.validate import check_seals  # noqa: E402
from core import pdf  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="seals of the same PDF")
    parser.add_argument("--parties", type=int, default=4, help="signatures per seal")
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    framework = bench_framework.ensure_demo()
    parties = list(bench_framework.selectors.framework_parties(framework))[: args.parties]
    document = pdf.render_pdf(
        bench_framework.TEMPLATE, bench_framework.pdf_context(framework), use_cache=False
    )
    pages = bench_framework.count_pages(document)
    entries = [
        SealEntry(
            field_name=f"Ondertekening-{i}-{party.slug}",
            name=f"Ondertekenaar {party.name}",
            reason=f"Ondertekend namens {party.name} (rol: Ondertekenaar) op 03-12-2026 14:20",
            location="Kerkrade",
        )
        for i, party in enumerate(parties, start=1)
    ]
    signer = certificate.load_signer()  # loaded once, as in one web worker
    seal_pdf(document, entries[:1], signer=signer)  # warm up imports

    seal_times, sealed = [], b""
    for _ in range(args.runs):
        start = time.perf_counter()
        sealed = seal_pdf(document, entries, signer=signer)
        seal_times.append(time.perf_counter() - start)
    check_times, report = [], None
    for _ in range(args.runs):
        start = time.perf_counter()
        report = check_seals(sealed)
        check_times.append(time.perf_counter() - start)

    median = statistics.median(seal_times)
    print(f"Framework PDF: {pages} pages, {len(document) / 1024:.0f} KiB")
    print(
        f"Seal with {len(entries)} signatures: median {median:.3f} s, max {max(seal_times):.3f} s "
        f"({median / len(entries) * 1000:.0f} ms per signature), "
        f"{len(document) / 1024:.0f} -> {len(sealed) / 1024:.0f} KiB"
    )
    print(
        f"Validate those {len(report.seals)} seals: median {statistics.median(check_times):.3f} s;"
        f" verdict {report.verdict}; "
        + ", ".join(f"{s.field_name}: {s.summary}" for s in report.seals)
    )
    print("\npyHanko's report of the last signature:\n")
    print(report.seals[-1].details)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
