"""Benchmark of the cycle: dashboard, cycle-year page, bid page, xlsx round trip, reminders.

    .venv/bin/python bench/bench_cycle.py [--runs 30] [--grow 10]

Uses DATABASE_URL when set, else a throwaway SQLite file in /tmp (never the project's own
database): migrates, loads the agreements and cycle demo data, then prints per measurement the
query count and the median / p95 server time (Django test client, logged in), once on the demo
data and once after adding --grow extra submitted bid versions and milestones per corporation,
so that a query count that grows with the data shows at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kerkrade_pa.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench_cycle.sqlite3")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("EMAIL_URL", "locmem://")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from agreements import demo as agreements_demo  # noqa: E402
from agreements.models import Party  # noqa: E402
from core.actors import DEMO_LOADER  # noqa: E402
from cycle import demo as cycle_demo  # noqa: E402
from cycle import reminders, selectors, services  # noqa: E402
from cycle.bids import services as bids_services  # noqa: E402
from cycle.bids import xlsx as bid_xlsx  # noqa: E402
from cycle.models import Bid, CycleYear  # noqa: E402

FIXTURES = ROOT / "fixtures" / "kerkrade"
TODAY = dt.date(2026, 6, 20)


def timed(fn, runs: int) -> tuple[int, float, float]:
    # DEBUG keeps at most 9000 queries in the log; a full log would hide every new one.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return len(queries), statistics.median(times), times[int(len(times) * 0.95) - 1]


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def measure(runs: int) -> list[tuple[str, int, float, float]]:
    cycle_year = CycleYear.objects.order_by("-year").first()
    bid = Bid.objects.filter(status="submitted").order_by("-cycle_year__year").first()
    rows = []
    for username in ["werkgroep", "heemwonen", "huurders"]:
        user = get_user_model().objects.get(username=username)

        def dashboard(user=user):
            # A user without cached membership, as on a new request (that read is not counted).
            fresh = type(user)(pk=user.pk, username=user.username)
            fresh.is_superuser = user.is_superuser
            selectors.dashboard(fresh, TODAY)

        rows.append((f"dashboard selector ({username})", *timed(dashboard, runs)))
    wg = client_for("werkgroep")
    reader = client_for("huurders")
    rows.append(
        ("cycle-year page (werkgroep)", *timed(lambda: wg.get(f"/cyclus/{cycle_year.pk}/"), runs))
    )
    rows.append(("bid page (huurders)", *timed(lambda: reader.get(f"/cyclus/bod/{bid.pk}/"), runs)))
    slug = cycle_year.framework.slug
    rows.append(
        (
            "multi-year sums (huurders)",
            *timed(lambda: reader.get(f"/cyclus/kader/{slug}/sommen/"), runs),
        )
    )
    return rows


def grow(factor: int) -> None:
    cycle_year = CycleYear.objects.order_by("-year").first()
    for corporation in Party.objects.filter(kind="corporatie"):
        for _ in range(factor):
            bid = bids_services.bid_draft_start(
                actor=DEMO_LOADER, cycle_year=cycle_year, corporation=corporation
            )
            bids_services.bid_lines_save(
                actor=DEMO_LOADER,
                bid=bid,
                lines=cycle_demo._lines(corporation, bid.plan_year, 1, {}),
            )
            bids_services.bid_submit(actor=DEMO_LOADER, bid=bid)
            services.milestone_add(
                actor=DEMO_LOADER,
                cycle_year=cycle_year,
                title=f"Extra {corporation.slug}",
                deadline=dt.date(cycle_year.year, 9, 1),
                owner_party=corporation,
            )


def xlsx_round_trip(runs: int) -> tuple[float, float]:
    cycle_year = CycleYear.objects.order_by("-year").first()
    corporation = Party.objects.get(slug="heemwonen")
    build, read = [], []
    for _ in range(runs):
        start = time.perf_counter()
        data = bid_xlsx.build_template(cycle_year=cycle_year, corporation=corporation, plan_year=1)
        build.append(time.perf_counter() - start)
        start = time.perf_counter()
        bid_xlsx.read_bid_workbook(
            data, filename="bod.xlsx", cycle_year=cycle_year, corporation=corporation
        )
        read.append(time.perf_counter() - start)
    return statistics.median(build) * 1000, statistics.median(read) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--grow", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    agreements_demo.load(FIXTURES)
    cycle_demo.load(FIXTURES)
    before = measure(args.runs)
    grow(args.grow)
    after = measure(args.runs)
    print(f"{'measurement':36} {'queries':>8} {'grown':>6} {'median ms':>10} {'p95 ms':>8}")
    for (name, q1, median, p95), (_n, q2, _m, _p) in zip(before, after, strict=True):
        flag = "" if q1 == q2 else "  <-- grows with the data"
        print(f"{name:36} {q1:8d} {q2:6d} {median:10.1f} {p95:8.1f}{flag}")
    build, read = xlsx_round_trip(5)
    print(f"xlsx template build {build:.1f} ms, read + validate {read:.1f} ms (median of 5)")
    start = time.perf_counter()
    sent = reminders.reminders_send(today=dt.date(2026, 8, 10))
    print(f"reminders_send: {sent} reminders in {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
