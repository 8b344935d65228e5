"""The working group sees that no framework is in force for the jaarschijf 2026 on the page of
the cycle year 2025, clicks "Huidig kader verlengen" and proposes a verlenging to 2026. (The
demo's cycle year 2026 belongs to the concept 2026-2030: its notice says that one is being
drafted, tests/cycle/test_framework_in_force.py.)
axe-core (WCAG 2.1 A/AA) passes on the cycle year page with the notice and on the proposal."""

from __future__ import annotations

import re

from agreements.models import Addendum
from cycle.models import CycleYear

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None

NOTICE = "Er is geen vastgesteld kader voor 2026: stel een nieuw kader op of verleng het huidige"


def test_working_group_proposes_a_verlenging_from_the_notice(page, log_in, accessible):
    cycle_year = CycleYear.objects.get(year=2025)
    log_in(page, "werkgroep")
    page.goto(f"/cyclus/{cycle_year.pk}/")
    notice = page.get_by_test_id("framework-notice")
    expect(notice).to_contain_text(NOTICE)
    expect(notice.get_by_role("link", name="Nieuw kader opstellen")).to_be_visible()
    accessible(page, "the cycle year page with the notice")

    notice.get_by_role("link", name="Huidig kader verlengen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Addendum voorstellen")
    expect(page.get_by_label("Verlenging van de looptijd")).to_be_checked()
    accessible(page, "the proposal of a verlenging")
    page.get_by_label("Verlengen tot en met").fill("2026")
    page.get_by_label("Motivering").fill("Het nieuwe kader 2026-2030 is nog niet vastgesteld.")
    page.get_by_role("button", name="Stel voor").click()

    expect(page).to_have_url(re.compile(r"/addenda/\d+/$"))
    expect(page.get_by_test_id("addendum-extension")).to_have_text("Verlenging tot en met 2026")
    addendum = Addendum.objects.get(kind=Addendum.Kind.EXTENSION)
    assert (addendum.new_period_end, addendum.status) == (2026, Addendum.Status.CONCEPT)
