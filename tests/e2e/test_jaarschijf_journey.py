"""Two people draft the same jaarschijf piece in two browsers: werkgroep and HEEMwonen.

The second save, based on a version that is no longer current, shows the conflict view; a
comment by one is seen by the other (after a reload); the pages pass axe (WCAG 2.1 AA)."""

from __future__ import annotations

from cycle.models import Contribution, Jaarschijf
from tests.e2e.conftest import login

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None


def _context(browser, demo_server):
    context = browser.new_context(
        base_url=demo_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    return context


def test_two_editors_conflict_and_see_each_others_comments(browser, demo_server, accessible):
    jaarschijf = Jaarschijf.objects.get(state=Jaarschijf.State.CONCEPT)
    piece = (
        Contribution.objects.filter(jaarschijf=jaarschijf, party__slug="heemwonen")
        .exclude(agreement=None)
        .order_by("id")
        .first()
    )
    url = f"/cyclus/jaarschijf/{jaarschijf.pk}/"
    werkgroep_context = _context(browser, demo_server)
    heemwonen_context = _context(browser, demo_server)
    try:
        werkgroep, heemwonen = werkgroep_context.new_page(), heemwonen_context.new_page()
        login(werkgroep, "werkgroep")
        login(heemwonen, "heemwonen")
        for page in (werkgroep, heemwonen):
            page.goto(url)
        accessible(werkgroep, "jaarschijf (werkgroep)")
        box = f"#bijdrage-{piece.pk}"
        # both open the same piece for editing
        for page in (werkgroep, heemwonen):
            page.locator(box).get_by_role("link", name="Bewerken").click()
            expect(page.locator(f"{box} textarea").first).to_be_visible()
        accessible(heemwonen, "editor")
        werkgroep.locator(f"{box} textarea").first.fill("Tekst van de werkgroep")
        werkgroep.locator(box).get_by_role("button", name="Opslaan").click()
        expect(werkgroep.locator(box)).to_contain_text("Tekst van de werkgroep")
        heemwonen.locator(f"{box} textarea").first.fill("Tekst van HEEMwonen")
        heemwonen.locator(box).get_by_role("button", name="Opslaan").click()
        expect(heemwonen.locator(box)).to_contain_text("iemand anders heeft dit onderdeel")
        expect(heemwonen.get_by_role("button", name="Mijn versie bewaren")).to_be_visible()
        accessible(heemwonen, "conflict view")
        heemwonen.get_by_role("button", name="Mijn versie bewaren").click()
        expect(heemwonen.locator(box)).to_contain_text("Tekst van HEEMwonen")
        # a comment by HEEMwonen appears for the working group
        heemwonen.locator(f"{box} summary").click()
        heemwonen.locator(box).get_by_label("Nieuwe reactie").fill("Graag overleg hierover")
        heemwonen.locator(box).get_by_role("button", name="Reactie plaatsen").click()
        expect(heemwonen.locator(box)).to_contain_text("Graag overleg hierover")
        werkgroep.reload()
        werkgroep.locator(f"{box} summary").click()
        expect(werkgroep.locator(box)).to_contain_text("Graag overleg hierover")
        accessible(werkgroep, "jaarschijf with comments open")
        werkgroep.goto(f"/cyclus/jaarschijf/{jaarschijf.pk}/bijdrage/{piece.pk}/geschiedenis/")
        expect(werkgroep.locator("del, ins").first).to_be_visible()
        accessible(werkgroep, "piece history")
    finally:
        werkgroep_context.close()
        heemwonen_context.close()
