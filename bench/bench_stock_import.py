"""Benchmark of the unit-level stock import.

Generates a 100.000-dwelling unit-level .xlsx, then measures, each in its own process (so that
peak memory is that step's own):
  - the portal's import end to end (gate, record, Celery task path, parse, classify, count,
    atomic write) on a fresh SQLite database;
  - pandas.read_excel(engine="calamine") on the same file;
  - openpyxl read_only iterating every row of the same file;
  - the rejection of a hostile zip bomb at the gate.

Targets: import <= 2x the calamine read, peak memory < 600 MB, hostile rejection < 100 ms.

Usage: .venv/bin/python bench/bench_stock_import.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from core.actors import DEMO_LOADER

ROOT = Path(__file__).resolve().parent.parent
TYPES = [
    "Grondgebonden 1 kamer",
    "Grondgebonden > 1 kamer",
    "Gestapeld zonder lift",
    "Gestapeld met lift",
    "Anders",
]
LABELS = ["A", "A+", "B", "C", "D", "E", "F", "G"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from housing_stock.importing.parsing import UNIT_COLUMNS

    rng = random.Random(2020)  # noqa: S311 - reproducible test data
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Woningen")
    sheet.append([c.header for c in UNIT_COLUMNS])
    for n in range(rows):
        sheet.append(
            [
                f"Complex {n // 40}",
                f"Teststraat {n}",
                rng.choice(TYPES),
                round(rng.uniform(300, 1000), 2),
                rng.choice(LABELS),
                rng.randint(0, 4),
                rng.choice(["ja", "nee"]),
                rng.randint(1, 6),
            ]
        )
    workbook.save(path)


def zip_bomb(path: Path) -> None:
    """A small .xlsx whose parts declare ~1 GB: 0,5 MB on disk."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"\0" * (100 * 1024 * 1024)
        for i in range(10):
            archive.writestr(f"xl/worksheets/sheet{i + 1}.xml", chunk)


# --- steps, each run in a child process ----------------------------------------------------


def step_calamine(path: str) -> dict:
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_excel(path, engine="calamine")
    return {"seconds": time.perf_counter() - start, "rows": len(frame)}


def step_openpyxl(path: str) -> dict:
    from openpyxl import load_workbook

    start = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in workbook["Woningen"].iter_rows(values_only=True)) - 1
    workbook.close()
    return {"seconds": time.perf_counter() - start, "rows": rows}


def _django(tmp: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "kerkrade_pa.settings_test"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def step_import(path: str) -> dict:
    import datetime as dt

    with tempfile.TemporaryDirectory() as tmp:
        _django(tmp)
        from django.contrib.auth import get_user_model
        from django.core.files.uploadedfile import SimpleUploadedFile

        from agreements.models import Party
        from housing_stock import services
        from housing_stock.models import StockImport

        municipality = Party.objects.create(name="Gemeente", slug="gemeente", kind="gemeente")
        party = Party.objects.create(
            name="Corporatie", slug="corporatie", kind="corporatie", municipality=municipality
        )
        services.reference_year_upsert(
            actor=DEMO_LOADER,
            year=2024,
            values={
                "kwaliteitskortingsgrens": "454.47",
                "aftoppingsgrens_1": "650.43",
                "aftoppingsgrens_2": "697.07",
                "liberalisatiegrens": "879.66",
            },
            unverified=[],
        )
        user = get_user_model().objects.create_superuser("bench", password="x")
        content = Path(path).read_bytes()
        start = time.perf_counter()
        stock_import = services.stock_import_create(
            user=user,
            party=party,
            peildatum=dt.date(2024, 1, 1),
            kind="units",
            upload=SimpleUploadedFile("bench.xlsx", content),
        )
        seconds = time.perf_counter() - start
        stock_import = StockImport.objects.get(pk=stock_import.pk)
        counted = sum(
            int(v)
            for v in stock_import.snapshot.counts.filter(table="type_rent").values_list(
                "value", flat=True
            )
        )
        return {
            "seconds": seconds,
            "rows": counted,
            "status": stock_import.status,
            "background": stock_import.run_in_background,
        }


def step_bomb(path: str) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kerkrade_pa.settings_test")
    import django

    django.setup()
    from housing_stock.importing.safety import UploadRejected, inspect_upload

    data = Path(path).read_bytes()
    handle = io.BytesIO(data)
    handle.name = "bom.xlsx"
    start = time.perf_counter()
    try:
        inspect_upload(handle, kind="units")
        message = "NIET geweigerd"
    except UploadRejected as error:
        message = error.messages[0]
    return {"seconds": time.perf_counter() - start, "message": message, "size": len(data)}


STEPS = {
    "calamine": step_calamine,
    "openpyxl": step_openpyxl,
    "import": step_import,
    "bomb": step_bomb,
}


def child(step: str, path: str) -> None:
    result = STEPS[step](path)
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


def run_child(step: str, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--step", step, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--step")
    parser.add_argument("path", nargs="?")
    args = parser.parse_args()
    if args.step:
        child(args.step, args.path)
        return
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kerkrade_pa.settings_test")
    import django

    django.setup()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "woningen.xlsx"
        start = time.perf_counter()
        generate(path, args.rows)
        print(
            f"generated {args.rows} dwellings: {path.stat().st_size / 1e6:.1f} MB "
            f"in {time.perf_counter() - start:.1f} s"
        )
        bomb = Path(tmp) / "bom.xlsx"
        zip_bomb(bomb)
        results = {step: run_child(step, bomb if step == "bomb" else path) for step in STEPS}
    calamine, openpyxl_, imported, bombed = (
        results[s] for s in ("calamine", "openpyxl", "import", "bomb")
    )

    def line(label: str, result: dict) -> str:
        return f"{label:<29} {result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB"

    print(line("pandas.read_excel(calamine):", calamine))
    print(line("openpyxl read_only:", openpyxl_))
    print(
        line("portal import end to end:", imported)
        + f" ({imported['rows']} dwellings counted, status {imported['status']}, "
        f"background path {imported['background']})"
    )
    ratio = imported["seconds"] / calamine["seconds"]
    print(f"  ratio to calamine read:    {ratio:.2f}x (target <= 2x)")
    print(f"  ratio to openpyxl read:    {imported['seconds'] / openpyxl_['seconds']:.2f}x")
    print(
        f"zip bomb ({bombed['size'] / 1e6:.1f} MB on disk, ~1 GB declared): rejected in "
        f"{bombed['seconds'] * 1000:.1f} ms (target < 100 ms): {bombed['message']}"
    )


if __name__ == "__main__":
    main()
