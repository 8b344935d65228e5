"""Two colleagues of one corporation edit the same draft bid in two browsers: the second one to
change the same figure sees both values (the colleague's and theirs) and keeps one; nothing is
silently lost, and a figure only one of them changed survives the other's autosave."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from cycle.models import Bid
from tests.e2e.conftest import login

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here (or, under CI=true, fails them)
    expect = None


def screenshot(target, name: str) -> None:
    """With PA_SCREENSHOTS=<folder>, keep a picture of the state (to look at, not asserted)."""
    folder = os.environ.get("PA_SCREENSHOTS")
    if folder:
        target.screenshot(path=str(Path(folder) / f"{name}.png"))


@pytest.fixture
def colleague(browser, demo_server):
    """A second browser (its own cookies): another person of the same corporation."""
    context = browser.new_context(
        base_url=demo_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def quantity(figure: str) -> Decimal | None:
    bid = Bid.objects.get(corporation__slug="heemwonen", status=Bid.Status.DRAFT)
    return bid.lines.get(figure=figure).quantity


def open_draft(page, username: str) -> None:
    login(page, username)
    page.get_by_role("main").get_by_role("link", name="Ons bod", exact=True).first.click()
    page.get_by_role("link", name=re.compile(r"^Concept \(versie \d+\) bewerken$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Concept-bod HEEMwonen")


def type_and_tab(page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    with page.expect_response(lambda r: r.request.method == "POST" and "bewerken" in r.url):
        field.press("Tab")


def test_two_colleagues_on_one_draft_see_the_conflict_and_keep_one(page, colleague, accessible):
    open_draft(page, "heemwonen")
    open_draft(colleague, "heemwonen-bestuur")

    # Alice sets Sloop to 111; Bob, whose screen still shows the old figure, changes another
    # figure: his autosave leaves her 111 as it is (it used to bring the old value back).
    type_and_tab(page, "Sloop (woningen)", "111")
    expect(page.locator("#bid-save-status")).to_contain_text("Concept opgeslagen om")
    type_and_tab(colleague, "Nieuwbouw (woningen)", "12")
    expect(colleague.locator("#bid-save-status")).to_contain_text("Concept opgeslagen om")
    assert quantity("sloop") == Decimal(111) and quantity("nieuwbouw") == Decimal(12)

    # Now Bob changes Sloop too: he is shown both values, nothing of his is written.
    type_and_tab(colleague, "Sloop (woningen)", "42")
    box = colleague.locator("#bid-conflict")
    expect(box).to_contain_text("Een collega heeft intussen hetzelfde veld gewijzigd.")
    row = box.locator("tr[data-conflict='quantity_sloop']")
    expect(row.locator(".pa-conflict-theirs")).to_have_text("111")
    expect(row.locator(".pa-conflict-yours")).to_have_text("42")
    # ... at the field he is typing in, too, with the same choice
    slot = colleague.locator("#id_quantity_sloop_slot")
    expect(slot).to_contain_text("Een collega heeft dit veld intussen gewijzigd in 111")
    screenshot(colleague, "bid-conflict")
    screenshot(box, "bid-conflict-summary")
    assert quantity("sloop") == Decimal(111)
    accessible(colleague, "the bid form with a conflict")

    # He keeps his own value: it is saved, and the page says so.
    row.get_by_role("button", name="Mijn waarde houden").click()
    # (the cycle year's framework notice is a status too)
    expect(
        colleague.get_by_role("status").filter(has_text="Het concept is opgeslagen.")
    ).to_be_visible()
    expect(colleague.get_by_label("Sloop (woningen)", exact=True)).to_have_value("42")
    assert quantity("sloop") == Decimal(42)
