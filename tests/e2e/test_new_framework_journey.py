"""The working group starts the next framework in the browser: from the framework list it
clicks "Nieuw kader", chooses the copy of the 2021-2025 framework, fills in 2026-2030, lands
on the concept, adds a policy-basis entry and makes it a definitief concept. axe-core (WCAG 2.1
A/AA) on every page.

load_demo already drafts a concept 2026-2030 (the demo's own), with the cycle year 2026 and its
jaarschijf under it; so the server here holds only the framework and the demo accounts
(agreements.demo), where a working group stands when the old framework has just ended.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from agreements.models import Framework

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None

TITLE = "Meerjarig kader prestatieafspraken 2026-2030"


@pytest.fixture
def demo_server(live_server):
    """The live server with the transcribed framework and the demo accounts only."""
    from agreements import demo

    demo.load(Path(settings.BASE_DIR) / "fixtures" / "kerkrade")
    return live_server


def test_the_working_group_starts_the_next_framework_as_a_copy(page, log_in, accessible):
    log_in(page, "werkgroep")
    page.get_by_role("link", name="Meerjarig kader", exact=True).first.click()
    page.get_by_role("link", name="Nieuw kader", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw meerjarig kader")
    accessible(page, "new framework form")

    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Eerste jaar").fill("2026")
    page.get_by_label("Laatste jaar").fill("2030")
    page.get_by_role("radio", name=re.compile(r"^Kopie van .*2021-2025")).check()
    page.get_by_role("button", name="Start het concept").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    alert = page.locator(".pa-drafting")
    expect(alert).to_contain_text("Dit kader is nog niet vastgesteld: Concept.")
    expect(alert).to_contain_text("Gekopieerd van")
    expect(page.get_by_role("heading", name="Aangepast bij het kopiëren")).to_be_visible()
    accessible(page, "concept framework")

    page.get_by_role("link", name="Beleidsstuk toevoegen").click()
    page.get_by_label("Soort").select_option(label="Woonvisie")
    page.get_by_label("Titel").fill("Woonvisie 2026")
    page.get_by_label("Datum").fill("2025-06-26")
    page.get_by_label("Bron").fill("https://example.org/woonvisie")
    accessible(page, "policy basis form")
    page.get_by_role("button", name="Bewaar").click()

    expect(page.get_by_text("De beleidsbasis is bijgewerkt.")).to_be_visible()
    section = page.locator("#beleidsbasis")
    expect(section).to_contain_text("Woonvisie 2026")
    expect(section.get_by_role("link", name="https://example.org/woonvisie")).to_be_visible()
    accessible(page, "concept with policy basis")

    page.get_by_role("button", name="Maak definitief concept").click()
    expect(page.get_by_text("Het kader is nu “Definitief concept”.")).to_be_visible()
    expect(page.locator(".pa-drafting")).to_contain_text("Definitief concept")
    expect(page.get_by_role("button", name="Terug naar concept")).to_be_visible()
    # A definitief concept is still edited until it is put up for signing (states.is_editable).
    expect(page.get_by_role("link", name="Beleidsstuk toevoegen")).to_be_visible()
    accessible(page, "definitief concept")
    assert Framework.objects.get(title=TITLE).status == Framework.Status.DEFINITIVE_CONCEPT
