"""Benchmark of the upload limits (core.uploads): how fast and how cheaply the gate answers.

Builds two workbooks in a temporary folder:
  - the issue's bomb: a valid-looking workbook (~10 MB) whose one sheet inflates to 399 MB of
    ordinary row XML (compressed ~30:1, under the per-part ratio check, so only the limit on
    the unpacked total, MAX_UNCOMPRESSED_MB, stops it);
  - a legitimate large per-dwelling list: 60 000 rows x 30 columns, the size of a large
    corporation's list (what it inflates to is the basis of MAX_UNCOMPRESSED_MB's default).
Then measures, each in its own process (so that peak memory is that step's own): the gate on
the bomb (must refuse in well under a second), the gate on the large list (must accept), and
the unit-list reader (python-calamine) reading every row of the large list.

Usage: .venv/bin/python bench/bench_upload_limits.py [--rows 60000] [--columns 30]
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

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kerkrade_pa.settings_test")
    import django

    django.setup()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_bomb(path: Path) -> None:
    _setup()
    from tests.hostile.files import inflating_workbook

    path.write_bytes(inflating_workbook(399))


def build_large(path: Path, rows: int, columns: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(60)  # noqa: S311 - reproducible test data
    types = ["Gestapeld met lift", "Gestapeld zonder lift", "Grondgebonden > 1 kamer"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Woningen")
    sheet.append([f"Kolom {i + 1}" for i in range(columns)])
    for n in range(rows):
        row = [
            f"Complex {n // 150}",
            f"Straatweg {n % 900} {6400 + n % 90}AB",
            rng.choice(types),
            round(rng.uniform(400, 1100), 2),
            rng.choice("ABCDEFG"),
            rng.randint(0, 4),
            rng.choice(["ja", "nee"]),
            rng.randint(1, 6),
        ]
        row += [
            rng.randint(0, 10**6) if i % 2 else f"kenmerk {rng.randint(0, 999)}"
            for i in range(columns - len(row))
        ]
        sheet.append(row[:columns])
    workbook.save(path)


def step_gate(path: str) -> dict:
    _setup()
    from core.uploads import UploadRejected, inspect_upload

    handle = io.BytesIO(Path(path).read_bytes())
    handle.name = Path(path).name
    start = time.perf_counter()
    try:
        info = inspect_upload(handle)
        answer = f"aanvaard (rijen volgens <dimension>: {info.rows_estimate})"
    except UploadRejected as error:
        answer = error.messages[0]
    return {"seconds": time.perf_counter() - start, "answer": answer}


def step_read(path: str) -> dict:
    _setup()
    from housing_stock.importing.parsing import _calamine_rows

    start = time.perf_counter()
    with open(path, "rb") as handle:
        _name, rows, _start, cells = _calamine_rows(handle)
        count = sum(1 for _ in rows)
    return {"seconds": time.perf_counter() - start, "answer": f"{count} rijen, {cells} cellen"}


STEPS = {"gate": step_gate, "read": step_read}


def child(step: str, path: str) -> None:
    _setup()
    # The readers' libraries are loaded before the baseline: the step's own cost is the rest.
    import openpyxl  # noqa: F401
    import python_calamine  # noqa: F401

    baseline = peak_mb()
    result = STEPS[step](path)
    result["peak_mb"] = peak_mb()
    result["baseline_mb"] = baseline
    print(json.dumps(result))


def run(step: str, path: Path) -> dict:
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--child", step, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def unpacked_mb(path: Path) -> float:
    with zipfile.ZipFile(path) as archive:
        return sum(i.file_size for i in archive.infolist()) / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--columns", type=int, default=30)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        bomb, large = Path(folder) / "bom.xlsx", Path(folder) / "groot.xlsx"
        started = time.perf_counter()
        build_bomb(bomb)
        print(
            f"bomb: {bomb.stat().st_size / 1024 / 1024:.1f} MB, unpacks to "
            f"{unpacked_mb(bomb):.0f} MB (built in {time.perf_counter() - started:.1f} s)"
        )
        started = time.perf_counter()
        build_large(large, args.rows, args.columns)
        print(
            f"large list {args.rows} x {args.columns}: {large.stat().st_size / 1024 / 1024:.1f}"
            f" MB, unpacks to {unpacked_mb(large):.0f} MB "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        for label, step, path in [
            ("gate, bomb", "gate", bomb),
            ("gate, large list", "gate", large),
            ("calamine read, large list", "read", large),
        ]:
            result = run(step, path)
            peak, baseline = result["peak_mb"], result["baseline_mb"]
            print(
                f"{label:<28} {result['seconds'] * 1000:9.1f} ms  peak {peak:5.0f} MB "
                f"(+{peak - baseline:.0f} over the process's {baseline:.0f})  {result['answer']}"
            )


if __name__ == "__main__":
    main()
