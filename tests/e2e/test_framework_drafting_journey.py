"""The working group drafts the next framework in the browser, clicking as a person does.

A concept "Kerkrade 2026-2030" is built beside the demo (one theme, one agreement, one target,
from the 2021-2025 framework's rows). werkgroep opens it from the framework's page ("Concept
bewerken"), types a target value the Dutch way ("4.100") and sees it saved; a second browser,
whose editor was opened before that save, saves a stale version and sees the conflict with
both values; a corporation member comments on the target. axe-core (WCAG 2.1 A/AA) passes on
every page state."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None

TARGET = "Nultredenwoningen in de voorraad"


@pytest.fixture
def concept(demo_server):
    from agreements.models import Agreement, Framework, Target, Theme

    previous = Framework.objects.order_by("period_start").first()
    framework = Framework.objects.create(
        municipality=previous.municipality,
        title="Kerkrade 2026-2030",
        slug="kerkrade-2026-2030",
        period_start=2026,
        period_end=2030,
        status=Framework.Status.CONCEPT,
        introduction=previous.introduction,
    )
    framework.parties.set(previous.parties.all())
    old_theme = previous.themes.order_by("number").first()
    theme = Theme.objects.create(
        framework=framework, number=1, title=old_theme.title, slug=old_theme.slug
    )
    agreement = Agreement.objects.create(theme=theme, number=1, title="Nultreden", text="Meer.")
    Target.objects.create(
        agreement=agreement,
        code="nultreden",
        label=TARGET,
        kind="value",
        value=3590,
        unit="woningen",
        target_year=2030,
    )
    return framework


def _context(browser, demo_server):
    context = browser.new_context(
        base_url=demo_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    return context


def _target(page):
    link = page.get_by_role("link", name=f"Geschiedenis: {TARGET}", exact=True)
    return page.locator("article.pa-piece").filter(has=link)


def _open_editor(page, framework) -> None:
    page.goto(f"/kaders/{framework.slug}/")
    page.get_by_role("link", name="Concept bewerken", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Concept: {framework.title}")
    page.get_by_role("link", name=f"Bewerken: {TARGET}", exact=True).click()
    expect(page.get_by_role("group", name=f"Bewerken: {TARGET}", exact=True)).to_be_visible()


def test_drafting_a_target_with_a_conflict_and_a_comment(browser, demo_server, concept, accessible):
    first_context, second_context = _context(browser, demo_server), _context(browser, demo_server)
    try:
        first, second = first_context.new_page(), second_context.new_page()
        for page in (first, second):
            login(page, "werkgroep")
            _open_editor(page, concept)
        accessible(first, "target editor")
        first.get_by_label("Doelwaarde", exact=True).fill("4.100")
        first.get_by_role("button", name="Opslaan", exact=True).click()
        expect(_target(first)).to_contain_text("4.100")
        expect(first.get_by_text("Opgeslagen.")).to_be_visible()
        accessible(first, "concept page after saving")

        second.get_by_label("Doelwaarde", exact=True).fill("5.000")
        second.get_by_role("button", name="Opslaan", exact=True).click()
        expect(
            second.get_by_text("iemand anders heeft dit onderdeel intussen gewijzigd")
        ).to_be_visible()
        conflict = second.get_by_role("table", name="De huidige versie naast de uwe")
        expect(conflict).to_contain_text("4.100")
        expect(conflict).to_contain_text("5.000")
        accessible(second, "conflict view")
    finally:
        first_context.close()
        second_context.close()

    corporation_context = _context(browser, demo_server)
    try:
        page = corporation_context.new_page()
        login(page, "heemwonen")
        page.goto(f"/kaders/{concept.slug}/")
        page.get_by_role("link", name="Concept bekijken en reageren", exact=True).click()
        piece = _target(page)
        expect(piece).to_contain_text("4.100")
        expect(page.get_by_role("link", name=f"Bewerken: {TARGET}")).to_have_count(0)
        piece.locator("summary").click()
        piece.get_by_label("Nieuwe reactie", exact=True).fill("Is 4.100 haalbaar in 2030?")
        piece.get_by_role("button", name="Reactie plaatsen", exact=True).click()
        expect(piece.locator(".pa-thread").last).to_contain_text("Is 4.100 haalbaar in 2030?")
        accessible(page, "concept page with a comment")
    finally:
        corporation_context.close()
