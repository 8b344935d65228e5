"""Browser journey in Debian's Chromium: heemwonen downloads the bid template, fills it in,
uploads and submits it; huurders reads the submitted bid and its PDF; wonenzuid never sees
the draft."""

import os

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from cycle.bids import services as bids_services
from cycle.bids import xlsx as bid_xlsx
from cycle.models import Bid
from tests.browser import CHROMIUM, axe_violations, format_violations, launch

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Debian's chromium at {CHROMIUM}"),
]


@pytest.fixture
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def assert_accessible(page):
    """axe-core (WCAG 2.1 A/AA) finds no violations on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def login(browser, live_server, username):
    context = browser.new_context(accept_downloads=True, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "kerkrade-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.mark.django_db(transaction=True)
def test_bid_journey(world, live_server, browser, tmp_path):
    page = login(browser, live_server, "heemwonen")
    page.goto(f"{live_server.url}/cyclus/{world.cycle_year.pk}/bod/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.click("#bid-template-link")
    template = tmp_path / "sjabloon.xlsx"
    download_info.value.save_as(template)

    workbook = load_workbook(template)
    sheet = workbook["Bod"]
    assert sheet["B3"].value == "HEEMwonen"
    for row in range(bid_xlsx.FIRST_ROW, bid_xlsx.FIRST_ROW + 10):
        # The rent increase is a percentage cell (Excel holds 3,6 % as 0,036).
        percentage = sheet[f"A{row}"].value == "huurverhoging"
        sheet[f"F{row}"] = row * 2 / 1000 if percentage else row * 2
        sheet[f"G{row}"] = f"Toelichting rij {row}"
    filled = tmp_path / "bod-heemwonen.xlsx"
    workbook.save(filled)

    page.set_input_files("input[type=file]", str(filled))
    page.click("text=Uploaden")
    page.wait_for_url("**/cyclus/bod/*/")
    assert "Concept" in page.content()
    assert_accessible(page)
    draft = Bid.objects.get(corporation__slug="heemwonen")
    assert draft.status == Bid.Status.DRAFT and draft.lines.get(figure="sloop").quantity == 18

    # wonenzuid cannot open HEEMwonen's draft
    other = login(browser, live_server, "wonenzuid")
    response = other.goto(f"{live_server.url}/cyclus/bod/{draft.pk}/")
    assert response.status == 404
    response = other.goto(f"{live_server.url}/cyclus/bod/{draft.pk}/bewerken/")
    assert response.status == 404

    page.click("#bid-submit")
    page.wait_for_selector("text=Het bod is ingediend.")
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.status == Bid.Status.SUBMITTED and draft.submitted_at is not None

    reader = login(browser, live_server, "huurders")
    reader.goto(f"{live_server.url}/cyclus/bod/{draft.pk}/")
    assert "Ingediend" in reader.content() and "Toelichting rij 9" in reader.content()
    assert_accessible(reader)
    with reader.expect_download() as pdf_info:
        reader.click("#bid-pdf-link")
    pdf = tmp_path / "bod.pdf"
    pdf_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # still not for another corporation's staff once submitted (they are not in the working group)
    assert other.goto(f"{live_server.url}/cyclus/bod/{draft.pk}/").status == 404


@pytest.mark.django_db(transaction=True)
def test_pages_are_accessible_and_autosave_works(world, live_server, browser, submitted_bid):
    """The other cycle pages pass axe; typing in the web form saves the draft through htmx."""
    user = world.users["heemwonen"]

    draft = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=submitted_bid.corporation
    )
    page = login(browser, live_server, "heemwonen")
    page.goto(f"{live_server.url}/cyclus/bod/{draft.pk}/bewerken/")
    assert_accessible(page)
    # Keyboard only: tab from the last theme note to the first figure, type, tab on.
    page.focus("#id_theme_2")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_quantity_sloop"
    page.keyboard.type("321")
    page.keyboard.press("Tab")
    page.wait_for_selector("#bid-save-status >> text=Concept opgeslagen")
    assert draft.lines.get(figure="sloop").quantity == 321
    # the save announces itself and leaves focus where the user is
    assert page.evaluate("document.activeElement.id") == "id_agreement_sloop"
    expect(page.locator("#pa-live")).to_contain_text("opgeslagen")
    assert_accessible(page)
    page.goto(f"{live_server.url}/cyclus/bod/{draft.pk}/vergelijk/?met={submitted_bid.pk}")
    assert_accessible(page)

    wg = login(browser, live_server, "werkgroep")
    for path in [
        f"/cyclus/{world.cycle_year.pk}/",
        f"/cyclus/kader/{world.framework.slug}/sommen/",
        "/cyclus/instellingen/",
        f"/cyclus/{world.cycle_year.pk}/mijlpaal/nieuw/",
    ]:
        wg.goto(live_server.url + path)
        assert_accessible(wg)
