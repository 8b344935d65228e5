"""The working group opens the end-evaluation of the demo's framework 2021-2025 from the
framework page, reads the plans against their realisation, writes a conclusion on a theme and
sees it saved; a tenant-organisation member reads it but has no form. axe-core on each state.
"""

from __future__ import annotations

import os

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None


def _open(page):
    page.get_by_role("link", name="Meerjarig kader", exact=True).first.click()
    page.get_by_role("link", name="2021-2025").first.click()
    page.get_by_role("link", name="Eindevaluatie 2021-2025", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eindevaluatie 2021-2025")


def test_the_working_group_writes_a_conclusion_on_the_end_evaluation(page, log_in, accessible):
    log_in(page, "werkgroep")
    _open(page)
    accessible(page, "end-evaluation")
    sloop = page.locator("#doel-sloop")
    expect(sloop).to_contain_text("478 woningen")
    expect(page.get_by_text("Concept", exact=True).first).to_be_visible()
    theme = page.locator("#thema-1")
    theme.get_by_label("Conclusie van de werkgroep").fill("De sloop bleef achter bij het plan.")
    theme.get_by_role("button", name="Conclusie opslaan").click()
    expect(page.get_by_text("De conclusie is opgeslagen.")).to_be_visible()
    expect(page.locator("#thema-1")).to_contain_text("De sloop bleef achter bij het plan.")
    accessible(page, "end-evaluation after saving")
    if os.environ.get("END_EVALUATION_SCREENSHOT"):
        page.screenshot(path=os.environ["END_EVALUATION_SCREENSHOT"], full_page=False)


def test_a_tenant_member_reads_it_without_a_form(page, log_in, accessible):
    log_in(page, "huurders")
    _open(page)
    accessible(page, "end-evaluation, read only")
    expect(page.locator("#doel-renovatie")).to_contain_text("332 woningen")
    expect(page.get_by_role("button", name="Conclusie opslaan")).to_have_count(0)
