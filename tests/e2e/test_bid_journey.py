"""A corporation's staff member hands in the annual bid in a real browser, clicking only what a
person sees: once through the web form (Dutch numbers, autosave, a rejected value shown at its
field, "Bod indienen"), once through the Excel template (download, fill, upload, a broken file
refused with sheet, row and column). axe-core checks every page state, htmx swaps included."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cycle.models import Bid

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here (or, under CI=true, fails them)
    expect = None


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def heem_draft() -> Bid:
    return Bid.objects.get(corporation__slug="heemwonen", status=Bid.Status.DRAFT)


def quantity(bid: Bid, figure: str) -> Decimal | None:
    return bid.lines.get(figure=figure).quantity


def open_my_bid(page) -> None:
    """From the start page: the link to the corporation's own bid."""
    page.get_by_role("main").get_by_role("link", name="Ons bod", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Bod van HEEMwonen voor \d{4}$")
    )


def type_and_tab(page, field, text: str) -> None:
    """Type into a field and Tab on, as a person does; wait for the autosave it triggers."""
    field.fill("")
    field.press_sequentially(text)
    with page.expect_response(lambda r: r.request.method == "POST" and "bewerken" in r.url):
        field.press("Tab")


def assert_no_csp_errors(page) -> None:
    assert not page.csp_errors, "Content-Security-Policy violations:\n" + "\n".join(page.csp_errors)


def test_heemwonen_fills_the_web_form_with_dutch_numbers_and_submits(page, log_in, accessible):
    heading = page.get_by_role("heading", level=1)
    status = page.locator("#bid-save-status")
    live = page.locator("#pa-live")

    log_in(page, "heemwonen")
    expect(heading).to_contain_text("Welkom")
    accessible(page, "the start page")
    open_my_bid(page)
    accessible(page, "Ons bod")
    page.get_by_role("link", name=re.compile(r"^Concept \(versie \d+\) bewerken$")).click()
    expect(heading).to_contain_text("Concept-bod HEEMwonen")
    accessible(page, "the bid form")
    draft = heem_draft()
    demolition_before = quantity(draft, "sloop")

    # Dutch numbers, as typed: a thousands dot and a decimal comma. Tab on, and it is saved.
    budget = page.get_by_label("Budget leefbaarheid (€)", exact=True)
    type_and_tab(page, budget, "75.000")
    expect(status).to_contain_text("Concept opgeslagen om")
    # The save leaves focus where Tab put it.
    expect(page.get_by_label("Afspraak bij Budget leefbaarheid (€)", exact=True)).to_be_focused()
    expect(live).to_contain_text("Concept opgeslagen om")
    accessible(page, "the bid form after an autosave")
    assert quantity(draft, "leefbaarheid") == Decimal(75000)

    rent = page.get_by_label("Gemiddelde huurverhoging (%)", exact=True)
    type_and_tab(page, rent, "2,9")
    expect(status).to_contain_text("Concept opgeslagen om")
    assert quantity(draft, "huurverhoging") == Decimal("2.9")

    # A text is saved while typing (a pause is enough), after those swaps too.
    summary = page.get_by_label("Samenvatting van het bod", exact=True)
    summary.fill("")
    with page.expect_response(lambda r: r.request.method == "POST" and "bewerken" in r.url):
        summary.press_sequentially("Ons bod voor volgend jaar")
    expect(status).to_contain_text("Concept opgeslagen om")
    expect(summary).to_be_focused()
    draft.refresh_from_db()
    assert draft.summary == "Ons bod voor volgend jaar"

    # The connection drops: the status says the change was not saved (not "opgeslagen om").
    explanation = page.get_by_label("Toelichting bij Sloop (woningen)", exact=True)
    page.route("**/bewerken/", lambda route: route.abort())
    explanation.fill("Twee complexen aan de Hoofdstraat")
    explanation.press("Tab")
    expect(status).to_contain_text("Niet opgeslagen: er ging iets mis met de verbinding.")
    expect(status).not_to_contain_text("Concept opgeslagen")
    accessible(page, "the bid form after a failed autosave")
    page.unroute("**/bewerken/")

    # Something that is no number: refused at the field and in the status, never "saved".
    demolition = page.get_by_label("Sloop (woningen)", exact=True)
    type_and_tab(page, demolition, "veel")
    expect(status).to_contain_text("Niet opgeslagen.")
    expect(status).not_to_contain_text("Concept opgeslagen")
    expect(live).to_contain_text("Niet opgeslagen.")
    expect(demolition).to_have_attribute("aria-invalid", "true")
    error_id = demolition.get_attribute("aria-describedby")
    expect(page.locator(f"#{error_id}")).to_contain_text("‘veel’ is geen getal")
    expect(page.locator(f"#{error_id}")).to_contain_text("Typ een getal zoals 75.000")
    expect(demolition).to_have_value("veel")  # what was typed stays
    accessible(page, "the bid form with a rejected autosave")
    assert quantity(draft, "sloop") == demolition_before

    # The error summary links to the field.
    link = status.get_by_role("link", name=re.compile(r"^Sloop \(woningen\): "))
    link.click()
    expect(demolition).to_be_focused()

    # "Bod indienen" with the error still there: the form comes back with everything typed,
    # the error summary first in line.
    page.get_by_role("button", name="Bod indienen", exact=True).click()
    expect(heading).to_contain_text("Concept-bod HEEMwonen")
    expect(page.locator(".pa-error-summary")).to_be_focused()
    expect(page.locator(".pa-error-summary")).to_contain_text("Sloop (woningen): ‘veel’")
    expect(demolition).to_have_value("veel")
    expect(explanation).to_have_value("Twee complexen aan de Hoofdstraat")
    expect(budget).to_have_value("75.000")  # as typed
    accessible(page, "the bid form after a refused submit")
    draft.refresh_from_db()
    assert draft.status == Bid.Status.DRAFT

    # Fix it and submit at once, before any autosave: "Bod indienen" sends what is typed.
    demolition.fill("12")
    page.get_by_role("button", name="Bod indienen", exact=True).click()
    expect(page.get_by_text("Het bod is ingediend.")).to_be_visible()
    expect(heading).to_have_text(re.compile(r"^Bod van HEEMwonen voor \d{4}$"))
    figures = page.get_by_role("table", name=re.compile(r"^Kerncijfers voor"))
    expect(figures.get_by_role("row", name=re.compile(r"^Sloop \(woningen\)"))).to_contain_text(
        "12"
    )
    expect(figures.get_by_role("row", name=re.compile(r"^Budget leefbaarheid"))).to_contain_text(
        "€ 75.000"
    )
    expect(
        figures.get_by_role("row", name=re.compile(r"^Gemiddelde huurverhoging"))
    ).to_contain_text(re.compile(r"2,9\s?%"))
    accessible(page, "the submitted bid")
    draft.refresh_from_db()
    assert draft.status == Bid.Status.SUBMITTED
    assert quantity(draft, "sloop") == 12
    assert draft.lines.get(figure="sloop").explanation == "Twee complexen aan de Hoofdstraat"
    assert_no_csp_errors(page)


def fill_template(template: Path, target: Path, *, rent_increase: float, rent_format: str) -> None:
    """Fill the downloaded template as a person does in Excel: find each figure's row by its
    code, type the numbers; the rent increase goes into a percentage cell."""
    workbook = load_workbook(template)
    sheet = workbook["Bod"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 6).value == "Aantal")
    for row in range(header + 1, header + 20):
        code = sheet.cell(row, 1).value
        if not code:
            continue
        cell = sheet.cell(row, 6)
        if code == "huurverhoging":
            cell.value = rent_increase
            cell.number_format = rent_format
        elif code == "leefbaarheid":
            cell.value = 75000
        else:
            cell.value = 7
        sheet.cell(row, 7).value = f"Toelichting bij {code}"
    workbook.save(target)


def upload(page, path: Path) -> None:
    page.get_by_label("Ingevuld sjabloon (.xlsx)", exact=True).set_input_files(path)
    page.get_by_role("button", name="Uploaden", exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def test_heemwonen_uploads_the_excel_template_with_a_percentage(page, log_in, accessible, tmp_path):
    heading = page.get_by_role("heading", level=1)
    log_in(page, "heemwonen")
    expect(heading).to_contain_text("Welkom")
    accessible(page, "the start page")
    open_my_bid(page)
    accessible(page, "Ons bod")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download het bod-sjabloon (.xlsx)", exact=True).click()
    download = download_info.value
    template = tmp_path / download.suggested_filename
    download.save_as(template)
    assert load_workbook(template)["Uitleg"]["A1"].value == "Zo vult u het sjabloon in"

    good = tmp_path / "bod-ingevuld.xlsx"
    fill_template(template, good, rent_increase=0.032, rent_format="0.0%")
    upload(page, good)
    expect(page.get_by_text(re.compile(r"Het bestand is verwerkt in uw concept"))).to_be_visible()
    figures = page.get_by_role("table", name=re.compile(r"^Kerncijfers voor"))
    expect(
        figures.get_by_role("row", name=re.compile(r"^Gemiddelde huurverhoging"))
    ).to_contain_text(re.compile(r"3,2\s?%"))
    expect(figures.get_by_role("row", name=re.compile(r"^Budget leefbaarheid"))).to_contain_text(
        "€ 75.000"
    )
    accessible(page, "the draft from the upload")
    assert quantity(heem_draft(), "huurverhoging") == Decimal("3.2")

    # A share over 100 %: refused with sheet, row and column; the draft stays as it was.
    page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Ons bod").click()
    expect(heading).to_have_text(re.compile(r"^Bod van HEEMwonen voor \d{4}$"))
    bad = tmp_path / "bod-fout.xlsx"
    fill_template(template, bad, rent_increase=1.2, rent_format="0%")
    upload(page, bad)
    expect(heading).to_have_text("Upload niet verwerkt")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("uw bod is niet gewijzigd")
    expect(alert).to_contain_text(
        re.compile(r"Blad 'Bod', rij \d+, kolom F \(Aantal\): 120 % kan niet")
    )
    accessible(page, "the refused upload")
    assert quantity(heem_draft(), "huurverhoging") == Decimal("3.2")
    assert_no_csp_errors(page)
