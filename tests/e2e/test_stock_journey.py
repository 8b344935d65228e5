"""A corporation's staff member brings the housing stock up to date in a real browser: they
download a template, fill it in Excel (openpyxl here), upload it, and read the new snapshot with
its charts; a broken file shows every error with sheet, row and column and changes nothing.
Every page they pass meets WCAG 2.1 AA as far as axe-core can tell."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from agreements.models import Party
from housing_stock.models import StockImport, StockSnapshot

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here (or, under CI=true, fails them)
    expect = None


# What HEEMwonen reports per 1-1-2025, as a person types it into the aggregate template:
# {sheet: {row label: {column label: count}}}. Every table adds up to 4.596 dwellings.
RENT_CLASSES = ["Goedkoop", "Betaalbaar 1", "Betaalbaar 2", "Duur", "Geliberaliseerd"]
FIGURES = {
    "Voorraad": {
        "Grondgebonden 1 kamer": dict(zip(RENT_CLASSES, [12, 8, 3, 0, 0], strict=True)),
        "Grondgebonden > 1 kamer": dict(zip(RENT_CLASSES, [410, 1234, 655, 120, 15], strict=True)),
        "Gestapeld zonder lift": dict(zip(RENT_CLASSES, [300, 512, 210, 40, 5], strict=True)),
        "Gestapeld met lift": dict(zip(RENT_CLASSES, [150, 388, 402, 96, 22], strict=True)),
        "Anders": dict(zip(RENT_CLASSES, [7, 4, 2, 1, 0], strict=True)),
    },
    "Energielabels": {
        label: {"Aantal woningen": n}
        for label, n in zip(
            ["A of beter", "B", "C", "D", "E", "F", "G"],
            [1500, 1100, 900, 600, 300, 150, 46],
            strict=True,
        )
    },
    "Toegankelijkheid": {
        label: {"Aantal woningen": n}
        for label, n in zip(
            [
                "BAT 0 ongeschikt",
                "BAT 1 wandelstokgeschikt",
                "BAT 2 rollatorbewoonbaar",
                "BAT 3 rolstoelbewoonbaar",
                "BAT 4 geschikt voor verpleegzorg",
            ],
            [2100, 1300, 800, 350, 46],
            strict=True,
        )
    },
    "Nultreden": {
        "Nultreden": {"Aantal woningen": 1780},
        "Niet nultreden": {"Aantal woningen": 2816},
    },
    "Conditie": {
        label: {"Aantal woningen": n}
        for label, n in zip(
            ["1 uitstekend", "2 goed", "3 redelijk", "4 matig", "5 slecht", "6 zeer slecht"],
            [400, 1900, 1600, 500, 150, 46],
            strict=True,
        )
    },
}


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploads (and load_demo's demo import) go to a temporary folder, not to ./media.

    Autouse, so it is set before demo_server loads the demo data; the live server runs in
    this process and sees the changed setting.
    """
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Filling a downloaded workbook the way a person does: find the labels, type the numbers --


def fill_aggregate(template: Path, target: Path, figures: dict) -> None:
    """Write the counts into the cells under the column labels and beside the row labels."""
    workbook = load_workbook(template)
    for title, rows in figures.items():
        sheet = workbook[title]
        columns = {cell.value: cell.column for cell in sheet[1] if cell.value}
        row_numbers = {
            sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value
        }
        for row_label, values in rows.items():
            assert row_label in row_numbers, f"{title}: no row {row_label!r} in the template"
            for col_label, value in values.items():
                assert col_label in columns, f"{title}: no column {col_label!r} in the template"
                sheet.cell(row_numbers[row_label], columns[col_label], value)
    workbook.save(target)


def fill_units(template: Path, target: Path, dwellings: list[dict]) -> None:
    """Replace the template's example row by one row per dwelling, under the headers."""
    workbook = load_workbook(template)
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    for dwelling in dwellings:
        sheet.append([dwelling.get(header) for header in headers])
    workbook.save(target)


def download_template(page, link_name: str, folder: Path) -> Path:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    path = folder / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"PK"), "the template is no xlsx (zip) file"
    return path


# --- Steps of the journey ------------------------------------------------------------------


def open_import_page(page) -> None:
    """From anywhere: main navigation → Woningvoorraad → Cijfers importeren."""
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Woningvoorraad"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Woningvoorraad")
    page.get_by_role("link", name="Cijfers importeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers woningvoorraad importeren")


def submit_import(page, *, peildatum: str, kind: str, file: Path) -> None:
    page.get_by_label("Peildatum", exact=True).fill(peildatum)
    page.get_by_label("Soort bestand", exact=True).select_option(label=kind)
    page.get_by_label("Bestand", exact=True).set_input_files(file)
    page.get_by_role("button", name="Importeren", exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def heem_snapshots() -> int:
    return StockSnapshot.objects.filter(party__slug="heemwonen").count()


def assert_charts_with_tables(page) -> None:
    """Every chart is an SVG image named by its <title>, with the same figures in a table."""
    charts = page.locator("figure.pa-chart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 4, f"only {charts.count()} charts on the snapshot page"
    for i in range(charts.count()):
        chart = charts.nth(i)
        caption = chart.locator("figcaption").inner_text().strip()
        svg = chart.locator("svg[role='img']")
        expect(svg).to_have_count(1)
        title = svg.locator("title").text_content()
        assert title and title.strip() == caption, f"chart {caption!r}: svg title {title!r}"
        assert svg.locator("desc").text_content().strip(), f"chart {caption!r} has no <desc>"
        labelled = svg.get_attribute("aria-labelledby") or ""
        assert svg.locator("title").get_attribute("id") in labelled.split(), caption
        table = chart.get_by_role("region", name=f"Cijfers bij {caption}").locator("table")
        expect(table).to_be_visible()
        assert table.locator("tbody tr").count() >= 1, f"chart {caption!r}: empty table"


def assert_no_csp_errors(page) -> None:
    assert not page.csp_errors, "Content-Security-Policy violations:\n" + "\n".join(page.csp_errors)


# --- The journeys --------------------------------------------------------------------------


def test_heemwonen_imports_the_template_then_a_broken_file_changes_nothing(
    page, log_in, accessible, tmp_path
):
    heading = page.get_by_role("heading", level=1)
    heem = Party.objects.get(slug="heemwonen")
    snapshots_before = heem_snapshots()

    # Log in and find the import page through the main navigation.
    log_in(page, "heemwonen")
    expect(heading).to_contain_text("Welkom")
    open_import_page(page)
    corporation = page.get_by_label("Corporatie", exact=True)
    expect(corporation.locator("option")).to_have_count(1)
    expect(corporation.locator("option")).to_have_text(heem.name)
    accessible(page, "the import page")

    # Download the aggregate template and fill in real figures.
    template = download_template(page, "Sjabloon totaaltabellen (.xlsx)", tmp_path)
    filled = tmp_path / "heemwonen-voorraad-2025.xlsx"
    fill_aggregate(template, filled, FIGURES)

    # Upload it: new figures for a new peildatum are imported at once.
    submit_import(page, peildatum="2025-01-01", kind="Totaaltabellen (sjabloon)", file=filled)
    expect(heading).to_have_text(f"Import {filled.name}")
    status = page.locator("#import-status")
    expect(status.get_by_role("heading", level=2)).to_have_text("Status: Geïmporteerd")
    expect(page.locator(".pa-facts")).to_contain_text("1 januari 2025")
    accessible(page, "the import result page")
    assert heem_snapshots() == snapshots_before + 1

    # The new snapshot shows exactly the figures that were typed in, and its charts.
    status.get_by_role("link", name="Bekijk de momentopname").click()
    title = f"Woningvoorraad {heem.name} per 01-01-2025"
    expect(heading).to_have_text(title)
    expect(page.locator(".pa-facts")).to_contain_text(filled.name)
    type_rent = page.locator("table.pa-stock-table").filter(
        has=page.get_by_text("Woningtype × huurprijsklasse")
    )
    expect(type_rent.locator("caption")).to_contain_text("totaal 4.596")
    big_row = type_rent.get_by_role("row", name=re.compile(r"^Grondgebonden > 1 kamer"))
    expect(big_row.locator("td")).to_have_text(["410", "1.234", "655", "120", "15"])
    labels = page.locator("table.pa-stock-table").filter(has=page.get_by_text("Energielabels"))
    expect(labels.locator("caption")).to_contain_text("totaal 4.596")
    expect(labels.get_by_role("row", name=re.compile(r"^A of beter")).locator("td")).to_have_text(
        ["1.500"]
    )
    nultreden = page.locator("table.pa-stock-table").filter(
        has=page.get_by_text("Nultredenwoningen")
    )
    expect(nultreden.get_by_role("row", name=re.compile(r"^Nultreden")).locator("td")).to_have_text(
        ["1.780"]
    )
    expect(page.get_by_role("heading", name="In beeld", level=2)).to_be_visible()
    assert_charts_with_tables(page)
    # The nultreden chart carries the number that was entered, in Dutch notation.
    expect(page.locator("figure.pa-chart").filter(has_text="1.780").first).to_be_visible()
    accessible(page, "the new snapshot")
    snapshot = StockSnapshot.objects.get(party=heem, peildatum=dt.date(2025, 1, 1))
    expect(page).to_have_url(re.compile(rf"/momentopname/{snapshot.pk}/$"))

    # A broken file for the same peildatum: a word and a negative count in the stock sheet.
    broken_figures = {
        "Voorraad": {
            **FIGURES["Voorraad"],
            "Gestapeld zonder lift": {
                **FIGURES["Voorraad"]["Gestapeld zonder lift"],
                "Duur": "veel",
            },
            "Anders": {**FIGURES["Voorraad"]["Anders"], "Goedkoop": -7},
        }
    }
    broken = tmp_path / "heemwonen-voorraad-fout.xlsx"
    fill_aggregate(template, broken, broken_figures)
    imports_before = StockImport.objects.filter(party=heem).count()
    open_import_page(page)
    submit_import(page, peildatum="2025-01-01", kind="Totaaltabellen (sjabloon)", file=broken)

    expect(heading).to_have_text(f"Import {broken.name}")
    expect(status.get_by_role("heading", level=2)).to_have_text("Status: Afgekeurd")
    expect(status.get_by_role("alert")).to_have_text(
        "Er zijn 2 fouten gevonden; er is niets geïmporteerd."
    )
    expect(status.locator(".pa-error-list li")).to_have_text(
        [
            "Blad Voorraad, rij 4, kolom Duur: 'veel' is geen geheel aantal",
            "Blad Voorraad, rij 6, kolom Goedkoop: '-7' is negatief",
        ]
    )
    expect(status.get_by_role("button")).to_have_count(0)  # nothing to confirm
    accessible(page, "the import error page")

    # Nothing changed: the failed import is on record, but no snapshot was added or replaced.
    assert StockImport.objects.filter(party=heem).count() == imports_before + 1
    assert heem_snapshots() == snapshots_before + 1
    snapshot.refresh_from_db()
    assert snapshot.is_current
    page.goto(f"/voorraad/momentopname/{snapshot.pk}/")
    expect(heading).to_have_text(title)
    expect(big_row.locator("td")).to_have_text(["410", "1.234", "655", "120", "15"])
    expect(page.get_by_text("vervangen op")).to_have_count(0)

    assert_no_csp_errors(page)


def test_heemwonen_replaces_figures_with_a_unit_list_after_confirming(
    page, log_in, accessible, tmp_path
):
    heading = page.get_by_role("heading", level=1)
    heem = Party.objects.get(slug="heemwonen")
    # The demo holds an import of HEEMwonen per 1-1-2024: a new list for that date replaces it.
    earlier = StockSnapshot.objects.get(
        party=heem, peildatum=dt.date(2024, 1, 1), stock_import__isnull=False
    )
    snapshots_before = heem_snapshots()

    log_in(page, "heemwonen")
    open_import_page(page)
    template = download_template(page, "Sjabloon lijst per woning (.xlsx)", tmp_path)
    # Netto huur against the 2024 limits: 454,47 / 650,43 / 697,07 / 879,66.
    dwellings = [
        ("Hoofdstraat 1", "Grondgebonden > 1 kamer", 430.00, "A", 1, "nee", 2),
        ("Hoofdstraat 3", "Grondgebonden > 1 kamer", 612.50, "B", 1, "nee", 2),
        ("Hoofdstraat 5", "Grondgebonden > 1 kamer", 690.00, "C", 2, "nee", 3),
        ("Flatweg 10", "Gestapeld met lift", 600.00, "A", 3, "ja", 1),
        ("Flatweg 12", "Gestapeld met lift", 760.25, "B", 3, "ja", 1),
        ("Flatweg 14", "Gestapeld met lift", 925.00, "E", 2, "ja", 4),
    ]
    filled = tmp_path / "heemwonen-woningen-2024.xlsx"
    fill_units(
        template,
        filled,
        [
            {
                "Complex": "Demo-complex 1",
                "Woning-ID of adres": address,
                "Woningtype": kind,
                "Netto huur": rent,
                "Energielabel": label,
                "BAT-klasse": bat,
                "Nultreden": nultreden,
                "Conditiescore": condition,
            }
            for address, kind, rent, label, bat, nultreden, condition in dwellings
        ],
    )

    # The page asks before it replaces the figures of the same corporation and peildatum.
    submit_import(page, peildatum="2024-01-01", kind="Lijst per woning", file=filled)
    status = page.locator("#import-status")
    expect(status.get_by_role("heading", level=2)).to_have_text("Status: Wacht op bevestiging")
    expect(status).to_contain_text("Er bestaan al cijfers van deze corporatie per 1-1-2024.")
    accessible(page, "the import page asking for confirmation")
    assert heem_snapshots() == snapshots_before

    status.get_by_role("button", name="Ja, vervang de eerdere cijfers").click()
    expect(status.get_by_role("heading", level=2)).to_have_text("Status: Geïmporteerd")
    expect(page.get_by_text("De nieuwe cijfers vervangen de eerdere")).to_be_visible()
    accessible(page, "the import result after confirming")

    status.get_by_role("link", name="Bekijk de momentopname").click()
    expect(heading).to_have_text(f"Woningvoorraad {heem.name} per 01-01-2024")
    type_rent = page.locator("table.pa-stock-table").filter(
        has=page.get_by_text("Woningtype × huurprijsklasse")
    )
    expect(type_rent.locator("caption")).to_contain_text("totaal 6")
    expect(
        type_rent.get_by_role("row", name=re.compile(r"^Grondgebonden > 1 kamer")).locator("td")
    ).to_have_text(["1", "1", "1", "0", "0"])
    expect(
        type_rent.get_by_role("row", name=re.compile(r"^Gestapeld met lift")).locator("td")
    ).to_have_text(["0", "1", "0", "1", "1"])
    assert_charts_with_tables(page)
    accessible(page, "the snapshot from a unit list")

    # The earlier figures stay in the history, marked as replaced.
    assert heem_snapshots() == snapshots_before + 1
    earlier.refresh_from_db()
    assert not earlier.is_current
    page.goto(f"/voorraad/momentopname/{earlier.pk}/")
    expect(page.locator(".pa-facts")).to_contain_text("vervangen op")
    page.get_by_role("link", name="naar de nieuwe cijfers").click()
    expect(heading).to_have_text(f"Woningvoorraad {heem.name} per 01-01-2024")

    assert_no_csp_errors(page)


def test_heemwonen_cannot_import_for_another_corporation(page, log_in, tmp_path):
    heem = Party.objects.get(slug="heemwonen")
    zuid = Party.objects.get(slug="wonen-zuid")
    zuid_snapshots = StockSnapshot.objects.filter(party=zuid).count()

    log_in(page, "heemwonen")
    open_import_page(page)
    template = download_template(page, "Sjabloon totaaltabellen (.xlsx)", tmp_path)
    filled = tmp_path / "wonen-zuid.xlsx"
    fill_aggregate(template, filled, FIGURES)

    # The form offers only the own corporation ...
    corporation = page.get_by_label("Corporatie", exact=True)
    expect(corporation.locator("option")).to_have_text([heem.name])
    # ... and a choice forged in the browser (an option added with the developer tools) is
    # refused by the server.
    corporation.evaluate(
        "(select, [pk, name]) => { select.add(new Option(name, pk)); select.value = pk; }",
        [str(zuid.pk), zuid.name],
    )
    submit_import(page, peildatum="2025-01-01", kind="Totaaltabellen (sjabloon)", file=filled)

    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers woningvoorraad importeren")
    expect(page.get_by_text("Selecteer een geldige keuze.", exact=False)).to_be_visible()
    expect(page.get_by_label("Corporatie", exact=True)).to_have_attribute("aria-invalid", "true")
    assert not StockImport.objects.filter(party=zuid).exists()
    assert StockSnapshot.objects.filter(party=zuid).count() == zuid_snapshots
    # Nor can they open, or confirm, an import of Wonen Zuid.
    zuid_import = StockImport.objects.create(
        created_by=None,
        party=zuid,
        peildatum=dt.date(2025, 1, 1),
        kind=StockImport.Kind.AGGREGATE,
        file="x.xlsx",
        original_name="wonen-zuid.xlsx",
        status=StockImport.Status.AWAITING_CONFIRMATION,
    )
    response = page.goto(f"/voorraad/import/{zuid_import.pk}/")
    assert response is not None and response.status == 404
    # A confirmation posted by hand, with a valid CSRF token, is refused all the same.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    forged = page.request.post(
        f"/voorraad/import/{zuid_import.pk}/bevestigen/", headers={"X-CSRFToken": csrf}
    )
    assert forged.status == 404, forged.status
    zuid_import.refresh_from_db()
    assert zuid_import.status == StockImport.Status.AWAITING_CONFIRMATION
