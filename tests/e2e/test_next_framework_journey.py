"""Issue 12's journey, for a second municipality beside the demo (tests/second_municipality.py):
Mergelrade's framework 2021-2025 has ended and its cycle year 2026 drafts a jaarschijf 2027
that has no framework in force.

Clicking only what a person sees: the working group reads the notice on the cycle year 2026
page, clicks "Nieuw kader opstellen", starts 2026-2030 as a copy of 2021-2025, moves the cycle
year 2026 to it ("Ander kader koppelen", confirming), types a target value the Dutch way
("1.250"); the corporation member comments on that target; a second browser whose editor was
opened before the save saves a stale version and sees the conflict; the working group makes it
a definitief concept and puts it up for signing; every party's signatory signs with password
and authenticator code. Then the cycle year 2026 page names the new framework and shows no
notice, and the framework's PDF has a cover, a contents list with page numbers and a signature
page with the portal's signatures. axe-core (WCAG 2.1 A/AA) on every new page state.

Screenshots of the key steps go to /tmp/journey12-*.png.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

from agreements.models import Framework, SigningRequest
from tests.agreements.test_pdf import pdf_pages_text
from tests.e2e.conftest import login
from tests.e2e.signing import sign
from tests.second_municipality import SIGNATORIES, second_municipality

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None

TITLE = "Prestatieafspraken Mergelrade 2026-2030"
TARGET = "Nieuwe huurwoningen in Mergelrade"
# The key steps' screenshots and the downloaded PDF, to look at (/tmp/journey12-*).
SHOTS = Path(tempfile.gettempdir())
NOTICE = "Er is geen vastgesteld kader voor 2027: stel een nieuw kader op of verleng het huidige"


@pytest.fixture
def mergelrade(live_server):
    """The second municipality, in the live server's database (no demo data)."""
    return second_municipality()


def _context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    return context


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"journey12-{name}.png"), full_page=True)


def _target(page):
    link = page.get_by_role("link", name=f"Geschiedenis: {TARGET}", exact=True)
    return page.locator("article.pa-piece").filter(has=link)


def _open_concept_editor(page) -> None:
    """From the start page to the target's editor in the concept."""
    page.get_by_role("link", name="Meerjarig kader", exact=True).first.click()
    page.get_by_role("link", name=TITLE, exact=True).first.click()
    page.get_by_role("link", name="Concept bewerken", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Concept: {TITLE}")
    page.get_by_role("link", name=f"Bewerken: {TARGET}", exact=True).click()
    expect(page.get_by_role("group", name=f"Bewerken: {TARGET}", exact=True)).to_be_visible()


def _open_cycle_year(page, year: int) -> None:
    """ "Jaarcyclus" opens the current cycle year (or the list): from there, the year's link."""
    heading = f"Jaarcyclus Gemeente Mergelrade {year}"
    page.get_by_role("link", name="Jaarcyclus", exact=True).first.click()
    if page.get_by_role("heading", level=1).text_content() != heading:
        main = page.get_by_role("main")
        main.get_by_role("link", name=re.compile(rf"^(Gemeente Mergelrade )?{year}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_the_next_framework_is_drafted_signed_and_runs_the_cycle_year(
    browser, live_server, mergelrade, accessible, tmp_path
):
    context = _context(browser, live_server)
    try:
        page = context.new_page()
        login(page, "mr-werkgroep")
        _open_cycle_year(page, 2026)
        notice = page.get_by_test_id("framework-notice")
        expect(notice).to_contain_text(NOTICE)
        _shot(page, "1-notice")
        accessible(page, "cycle year 2026 with the notice")

        notice.get_by_role("link", name="Nieuw kader opstellen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw meerjarig kader")
        page.get_by_label("Titel").fill(TITLE)
        page.get_by_label("Eerste jaar").fill("2026")
        page.get_by_label("Laatste jaar").fill("2030")
        page.get_by_role("radio", name=re.compile(r"^Kopie van .*Mergelrade 2021-2025")).check()
        accessible(page, "new framework form, filled in")
        page.get_by_role("button", name="Start het concept").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.locator(".pa-drafting")).to_contain_text("Gekopieerd van")
        _shot(page, "2-concept")
        accessible(page, "the new concept")

        # The cycle year 2026 moves to the concept; the notice now says it is being drafted.
        _open_cycle_year(page, 2026)
        page.get_by_role("link", name="Ander kader koppelen", exact=True).click()
        page.get_by_label("Kader", exact=True).select_option(label=f"{TITLE} (2026-2030, concept)")
        page.get_by_label(re.compile("^Ik begrijp dat de mijlpalen")).check()
        accessible(page, "attach form, filled in")
        page.get_by_role("button", name="Koppelen").click()
        expect(page.get_by_text("Het cyclusjaar hoort nu bij het gekozen kader.")).to_be_visible()
        notice = page.get_by_test_id("framework-notice")
        expect(notice).to_contain_text("het nieuwe kader wordt opgesteld")
        expect(notice.get_by_role("link", name=TITLE)).to_be_visible()
        accessible(page, "cycle year 2026 under the concept")

        # A second browser opens the same editor before the first one saves.
        stale_context = _context(browser, live_server)
        try:
            stale = stale_context.new_page()
            login(stale, "mr-corp-werkgroep")
            _open_concept_editor(stale)

            _open_concept_editor(page)
            accessible(page, "target editor")
            page.get_by_label("Doelwaarde", exact=True).fill("1.250")
            page.get_by_role("button", name="Opslaan", exact=True).click()
            expect(page.get_by_text("Opgeslagen.")).to_be_visible()
            expect(_target(page)).to_contain_text("1.250")
            _shot(page, "3-saved")
            accessible(page, "concept after saving the target")

            stale.get_by_label("Doelwaarde", exact=True).fill("900")
            stale.get_by_role("button", name="Opslaan", exact=True).click()
            expect(
                stale.get_by_text("iemand anders heeft dit onderdeel intussen gewijzigd")
            ).to_be_visible()
            conflict = stale.get_by_role("table", name="De huidige versie naast de uwe")
            expect(conflict).to_contain_text("1.250")
            expect(conflict).to_contain_text("900")
            _shot(stale, "4-conflict")
            accessible(stale, "conflict view")
        finally:
            stale_context.close()

        member_context = _context(browser, live_server)
        try:
            member = member_context.new_page()
            login(member, "mr-corporatie")
            member.get_by_role("link", name="Meerjarig kader", exact=True).first.click()
            member.get_by_role("link", name=TITLE, exact=True).first.click()
            member.get_by_role("link", name="Concept bekijken en reageren", exact=True).click()
            piece = _target(member)
            expect(piece).to_contain_text("1.250")
            piece.locator("summary").click()
            piece.get_by_label("Nieuwe reactie", exact=True).fill(
                "Lukt 1.250 met de grondposities?"
            )
            piece.get_by_role("button", name="Reactie plaatsen", exact=True).click()
            expect(piece.locator(".pa-thread").last).to_contain_text("Lukt 1.250")
            _shot(member, "5-comment")
            accessible(member, "concept with the corporation's comment")
        finally:
            member_context.close()

        page.get_by_role("link", name=TITLE, exact=True).first.click()
        page.get_by_role("button", name="Maak definitief concept").click()
        expect(page.get_by_text("Het kader is nu “Definitief concept”.")).to_be_visible()
        accessible(page, "definitief concept")
        page.get_by_role("main").get_by_role("link", name="Ondertekening", exact=True).click()
        page.get_by_role("button", name="Ter ondertekening aanbieden").click()
        expect(page.get_by_text("Het document is ter ondertekening aangeboden.")).to_be_visible()
        accessible(page, "signing page, round open")

        framework = Framework.objects.get(title=TITLE)
        request = SigningRequest.objects.get(document_type="kader", object_id=framework.pk)
        for number, username in enumerate(SIGNATORIES, start=1):
            page.context.clear_cookies()
            login(page, username)
            page.get_by_role(
                "link", name=f"Voor u ter ondertekening: {request.title}", exact=True
            ).click()
            if number == 1:
                accessible(page, "signing page for a signatory")
            sign(page, accessible)
        _shot(page, "6-signed")
        accessible(page, "signing page, signed by every party")
        request.refresh_from_db()
        assert request.status == SigningRequest.Status.SIGNED

        # The cycle year 2026 now runs under the signed framework: no notice, its name.
        page.context.clear_cookies()
        login(page, "mr-werkgroep")
        _open_cycle_year(page, 2026)
        expect(page.get_by_test_id("framework-notice")).to_have_count(0)
        expect(page.locator(".pa-year-scheme")).to_contain_text(
            f"onder het meerjarig kader {TITLE} (2026-2030)"
        )
        _shot(page, "7-cycle-year")
        accessible(page, "cycle year 2026 under the signed framework")

        page.get_by_role("link", name="Meerjarig kader", exact=True).first.click()
        page.get_by_role("link", name=TITLE, exact=True).first.click()
        with page.expect_download(timeout=120_000) as download_info:
            page.get_by_role("link", name="Download als PDF").click()
        pdf = tmp_path / "kader.pdf"
        download_info.value.save_as(pdf)
        shutil.copy(pdf, SHOTS / "journey12-kader.pdf")
    finally:
        context.close()

    pages = pdf_pages_text(pdf.read_bytes())
    cover, contents = pages[0], pages[1]
    assert TITLE in cover and "ondertekend door alle partijen" in cover
    assert contents.startswith(f"{TITLE} Inhoud")
    # Each contents line ends with the page its part starts on, and that page has the part.
    listed = contents.split(" Inhoud ", 1)[1]
    entries = re.findall(r"(?:\d+(?:\.\d+)? )?([A-Z][\w ]+?) (?:\. )+\.? ?(\d+)", listed)
    assert [title for title, _number in entries] == [
        "Inleiding",
        "Betaalbaar wonen",
        "Verhuren en bouwen",
        "Jaarlijkse cyclus",
        "Ondertekening",
    ]
    for title, number in entries:
        assert title in pages[int(number) - 1], (title, number)
    signed = next(p for p in pages if "Aldus overeengekomen en ondertekend in het portaal" in p)
    for name in ["Wilma Wethouder", "Bert Bestuurder", "Vera Voorzitter"]:
        assert name in signed
    audit = " ".join(pages[pages.index(signed) :])
    assert "Verantwoording van de ondertekening" in audit and "tweestapsverificatie" in audit
