"""Demo data of the housing stock: the seed's stock tables and the statutory reference years."""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import Party
from core.actors import DEMO_LOADER
from housing_stock import services
from housing_stock.models import StockImport, StockSnapshot

DEMO_SOURCE = (
    "DEMOGEGEVENS – gegenereerd door de portal uit de tabellen per 01-01-2020 om de "
    "vergelijking per jaar te laten zien; dit zijn geen cijfers van de corporaties."
)
DEMO_YEARS = [2021, 2022, 2023, 2024]
# Yearly drift per rent class (demo only): cheap homes are sold or demolished, new ones added.
_RENT_DRIFT = {
    "goedkoop": -0.03,
    "betaalbaar_1": 0.01,
    "betaalbaar_2": 0.005,
    "duur": -0.01,
    "geliberaliseerd": 0.0,
}


def _read(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load(fixtures_dir: Path, *, generated: bool = True) -> list[str]:
    """Load reference years and stock snapshots; idempotent. Returns a line per thing loaded.

    With `generated` (the default, for load_demo) also later years and one import of generated
    demo figures, marked as such in title and source; the seed's figures are never altered.
    """
    report = []
    # National data: read from the municipality's folder, or from fixtures/ once it moves there.
    candidates = [
        fixtures_dir / "reference_years.toml",
        fixtures_dir.parent / "reference_years.toml",
    ]
    reference_path = next((path for path in candidates if path.exists()), None)
    if reference_path is not None:
        years = _read(reference_path)["years"]
        for row in years:
            values = {k: v for k, v in row.items() if k in services.REFERENCE_FIELDS}
            services.reference_year_upsert(
                actor=DEMO_LOADER,
                year=row["year"],
                values=values,
                unverified=row.get("unverified", []),
                note=row.get("note", ""),
            )
        report.append(f"{len(years)} referentiejaren")
    for path in sorted(fixtures_dir.glob("stock_*.toml")):
        data = _read(path)
        by_slug = {party.slug: party for party in Party.objects.all()}
        municipality = by_slug[data["municipality"]]
        for row in data["snapshots"]:
            services.snapshot_upsert(
                actor=DEMO_LOADER,
                key=row["key"],
                municipality=municipality,
                party=by_slug[row["party"]] if row.get("party") else None,
                peildatum=row["peildatum"],
                title=row["title"],
                source=row["source"],
                tables=row["tables"],
            )
        report.append(f"{len(data['snapshots'])} momentopnamen woningvoorraad ({path.name})")
        if generated:
            report.extend(_demo(municipality, seed=data["snapshots"]))
    return report


def _demo(municipality: Party, seed: list[dict]) -> list[str]:
    """Generated later years (visibly marked) and one demo import, so every page has data."""
    by_key = {row["key"]: row for row in seed}
    type_rent = by_key.get("kerkrade-2020-woningtype-huurklasse", {}).get("tables", {})
    labels = by_key.get("kerkrade-2020-energielabels", {}).get("tables", {})
    if not type_rent or not labels:
        return []
    cells = type_rent["type_rent"]
    label_counts = {k: v["aantal"] for k, v in labels["energy_label"].items()}
    nultreden = 3590
    for k, year in enumerate(DEMO_YEARS, start=1):
        demo_type_rent = {
            row: {
                col: round(value * (1 + _RENT_DRIFT[col]) ** k)
                for col, value in cols.items()
                if col != "totaal"
            }
            for row, cols in cells.items()
            if row != "totaal"
        }
        moved = {g: round(label_counts[g] * 0.08 * k) for g in ("E", "F", "G")}
        demo_labels = dict(label_counts)
        for g, n in moved.items():
            demo_labels[g] -= n
        demo_labels["A"] += sum(moved.values()) // 2
        demo_labels["B"] += sum(moved.values()) - sum(moved.values()) // 2
        services.snapshot_upsert(
            actor=DEMO_LOADER,
            key=f"demo-{year}-alle-corporaties",
            municipality=municipality,
            party=None,
            peildatum=dt.date(year, 1, 1),
            title=f"Demo: woningvoorraad alle corporaties {year}",
            source=DEMO_SOURCE,
            tables={
                "type_rent": demo_type_rent,
                "energy_label": {g: {"aantal": n} for g, n in demo_labels.items()},
                "nultreden": {"nultreden": {"aantal": nultreden + 85 * k}},
            },
        )
    report = [f"{len(DEMO_YEARS)} demo-momentopnamen {DEMO_YEARS[0]}-{DEMO_YEARS[-1]} (gemarkeerd)"]
    report.extend(_demo_import(municipality))
    return report


DEMO_IMPORT_NAME = "demo-heemwonen-lijst-per-woning-2024.xlsx"
DEMO_IMPORT_DWELLINGS = 4908


def _demo_import(municipality: Party) -> list[str]:
    user = get_user_model().objects.filter(username="heemwonen").first()
    party = Party.objects.filter(slug="heemwonen", municipality=municipality).first()
    if user is None or party is None:
        return []
    if StockImport.objects.filter(party=party, original_name=DEMO_IMPORT_NAME).exists():
        return []
    from openpyxl import Workbook

    from core.spreadsheets import workbook_bytes
    from housing_stock.domain import DwellingType
    from housing_stock.importing.parsing import UNIT_COLUMNS

    rng = random.Random(2024)  # noqa: S311 - reproducible demo data, no security use
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Woningen"
    sheet.append([c.header for c in UNIT_COLUMNS])
    types = [str(label) for label in DwellingType.labels]
    # As many dwellings as HEEMwonen holds in the seed's BAT table (4.908), so that figures
    # computed from each corporation's latest snapshot (the evaluation's share of the
    # vergunninghouders task) stay in proportion; the dwellings themselves are invented.
    for n in range(1, DEMO_IMPORT_DWELLINGS + 1):
        sheet.append(
            [
                f"Demo-complex {n // 40 + 1}",
                f"Demostraat {n}",
                rng.choice(types),
                round(rng.uniform(380, 950), 2),
                rng.choice("AABBCCCDDEFG"),
                rng.choice([0, 0, 0, 1, 1, 2, 3, 4]),
                rng.choice(["ja", "nee", "nee"]),
                rng.choice([1, 2, 2, 3, 3, 3, 4, 5]),
            ]
        )
    stock_import = services.stock_import_create(
        user=user,
        party=party,
        peildatum=dt.date(2024, 1, 1),
        kind="units",
        upload=SimpleUploadedFile(DEMO_IMPORT_NAME, workbook_bytes(workbook)),
    )
    snapshot = StockSnapshot.objects.filter(stock_import=stock_import).first()
    if snapshot is not None:
        snapshot.title = f"Demo: {snapshot.title}"
        snapshot.source = f"{DEMO_SOURCE} {snapshot.source}"
        snapshot.save(update_fields=["title", "source"])
    return [f"demo-import {DEMO_IMPORT_NAME}: {stock_import.get_status_display().lower()}"]
