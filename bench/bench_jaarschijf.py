"""Benchmark of co-editing a jaarschijf: N editors save random pieces at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pa_jaarschijf_bench \\
        .venv/bin/python bench/bench_jaarschijf.py [--editors 20] [--seconds 60]

Needs PostgreSQL (SQLite serialises writes: no race to measure). Migrates the database named in
DATABASE_URL (a throwaway one: never point it at real data), creates a small framework and a
jaarschijf with --pieces contributions, then runs --editors threads, each with its own database
connection (loopback only). Each editor reads a random piece and saves it through the service
with the version it read; a stale save comes back as EditConflict and is counted. At the end:
saves/s, p50/p95 save latency, conflicts, and the check that every piece holds the last
accepted save made of it (zero lost updates).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kerkrade_pa.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pa_jaarschijf_bench")
os.environ.setdefault("EMAIL_URL", "locmem://")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from agreements.models import Agreement, Framework, Membership, Party, Theme  # noqa: E402
from core.actors import DEMO_LOADER  # noqa: E402
from core.drafting.models import PieceChange  # noqa: E402
from cycle import jaarschijf_services as js  # noqa: E402
from cycle import services  # noqa: E402
from cycle.models import Contribution, Jaarschijf  # noqa: E402


def setup(pieces: int):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    municipality, _ = Party.objects.get_or_create(
        slug="bench-gemeente", defaults={"name": "Bench-gemeente", "kind": "gemeente"}
    )
    framework, created = Framework.objects.get_or_create(
        slug="bench-kader",
        defaults={
            "municipality": municipality,
            "title": "Benchkader",
            "period_start": 2030,
            "period_end": 2034,
        },
    )
    framework.parties.add(municipality)
    theme, _ = Theme.objects.get_or_create(
        framework=framework, number=1, defaults={"title": "Thema", "slug": "thema"}
    )
    agreement, _ = Agreement.objects.get_or_create(
        theme=theme, number=1, defaults={"title": "Afspraak", "text": "x"}
    )
    user, _ = User.objects.get_or_create(username="bench-werkgroep")
    Membership.objects.get_or_create(
        user=user, defaults={"party": municipality, "role": Membership.Role.WORKING_GROUP}
    )
    cycle_year = services.cycle_year_create(actor=DEMO_LOADER, framework=framework, year=2030)
    Contribution.objects.filter(jaarschijf__cycle_year=cycle_year).delete()
    PieceChange.objects.filter(
        document_type="jaarschijf",
        document_id__in=Jaarschijf.objects.filter(cycle_year=cycle_year).values("pk"),
    ).delete()
    Jaarschijf.objects.filter(cycle_year=cycle_year).delete()
    jaarschijf = js.jaarschijf_create(actor=DEMO_LOADER, cycle_year=cycle_year, copy_previous=False)
    Contribution.objects.bulk_create(
        Contribution(jaarschijf=jaarschijf, agreement=agreement, party=municipality, order=i)
        for i in range(pieces)
    )
    return jaarschijf, list(jaarschijf.contributions.values_list("pk", flat=True)), user.pk


def run_editor(number: int, piece_ids: list[int], user_id: int, stop_at: float, think: float):
    """One editor: read a random piece, save it on the version read, until ``stop_at``."""
    from django.contrib.auth import get_user_model

    rng = random.Random(number)
    result = {"latencies": [], "conflicts": 0, "accepted": {}, "errors": []}
    try:
        actor = get_user_model().objects.get(pk=user_id)
        while time.monotonic() < stop_at:
            pk = rng.choice(piece_ids)
            version = Contribution.objects.filter(pk=pk).values_list("version", flat=True)[0]
            text = f"editor {number} piece {pk} based on v{version} #{rng.random():.8f}"
            start = time.perf_counter()
            try:
                saved = js.contribution_update(
                    actor=actor,
                    contribution_id=pk,
                    expected_version=version,
                    data=js.ContributionInput(text=text),
                )
            except js.EditConflict:
                result["conflicts"] += 1
                result["latencies"].append(time.perf_counter() - start)
            else:
                result["latencies"].append(time.perf_counter() - start)
                previous = result["accepted"].get(pk)
                if previous is None or saved.version > previous[0]:
                    result["accepted"][pk] = (saved.version, text)
            if think:
                time.sleep(rng.uniform(0, 2 * think))
    except Exception as error:  # noqa: BLE001 - reported by main
        result["errors"].append(repr(error))
    finally:
        connections.close_all()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--pieces", type=int, default=40)
    parser.add_argument(
        "--processes",
        action="store_true",
        help="one process per editor (like web server workers) instead of threads in one process",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause in seconds between one editor's saves (0: save back to back, which "
        "saturates the machine; a person pauses seconds between saves)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("needs PostgreSQL: set DATABASE_URL=postgres://...")
        return 2
    call_command("migrate", verbosity=0)
    jaarschijf, piece_ids, user_id = setup(args.pieces)
    stop_at = time.monotonic() + args.seconds  # CLOCK_MONOTONIC: the same in every process
    jobs = [(n, piece_ids, user_id, stop_at, args.think) for n in range(args.editors)]
    began = time.monotonic()
    if args.processes:
        # Like a web server with one worker process per editor: no shared interpreter lock.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(args.editors) as pool:
            results = pool.starmap(run_editor, jobs)
    else:
        results = [None] * args.editors

        def thread_job(n: int) -> None:
            results[n] = run_editor(*jobs[n])

        threads = [threading.Thread(target=thread_job, args=(n,)) for n in range(args.editors)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    duration = time.monotonic() - began
    latencies = [latency for result in results for latency in result["latencies"]]
    conflicts = sum(result["conflicts"] for result in results)
    errors = [error for result in results for error in result["errors"]]
    # piece id -> (version, text) of the last accepted save, over every editor
    accepted: dict[int, tuple[int, str]] = {}
    for result in results:
        for pk, (version, text) in result["accepted"].items():
            if pk not in accepted or version > accepted[pk][0]:
                accepted[pk] = (version, text)
    saves = len(latencies) - conflicts
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000 if ordered else 0.0
    lost = 0
    stored = dict(Contribution.objects.filter(pk__in=piece_ids).values_list("pk", "text"))
    versions = dict(Contribution.objects.filter(pk__in=piece_ids).values_list("pk", "version"))
    for pk, (version, text) in accepted.items():
        if stored[pk] != text or versions[pk] != version:
            lost += 1
    print(
        f"editors {args.editors} ({'processes' if args.processes else 'threads'}), "
        f"pieces {args.pieces}, think time {args.think:.1f} s, {duration:.1f} s"
    )
    print(f"accepted saves {saves} ({saves / duration:.1f}/s), conflicts detected {conflicts}")
    print(
        f"save latency p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95:.1f} ms "
        "(refused saves included)"
    )
    print(f"lost updates {lost}, errors {len(errors)}")
    for error in errors[:5]:
        print("  ", error)
    return 1 if lost or errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
