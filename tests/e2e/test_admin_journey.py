"""The admin's journey: log in at /admin/ (the admin's own start page), click through to a
signed jaarschijf and see that it can only be viewed, not changed; then over to the portal.

axe-core (WCAG 2.1 A/AA) runs on every page visited. On Django's own admin pages one finding
of Django's stylesheet is left out: its breadcrumb links (white on light blue, no underline)
fail "link-in-text-block" on a change/view page. That is Django's admin, not the portal; every
other rule must pass there too (admin_accessible).
"""

from __future__ import annotations

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None

from tests.browser import axe_violations, format_violations

DEMO_PASSWORD = "kerkrade-demo"


def _django_breadcrumbs_only(violation: dict) -> bool:
    return violation["id"] == "link-in-text-block" and all(
        any(".breadcrumbs" in str(target) for target in node.get("target", []))
        for node in violation.get("nodes", [])
    )


def admin_accessible(page, label: str) -> None:
    violations = [v for v in axe_violations(page) if not _django_breadcrumbs_only(v)]
    assert not violations, f"axe on {label} ({page.url}):\n" + format_violations(violations)


def test_admin_sees_a_signed_jaarschijf_read_only(page, accessible):
    page.goto("/admin/")
    page.get_by_label("Gebruikersnaam:", exact=True).fill("admin")
    page.get_by_label("Wachtwoord:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_role("link", name="Jaarschijven", exact=True).first).to_be_visible()
    admin_accessible(page, "admin index")

    page.get_by_role("link", name="Jaarschijven", exact=True).first.click()
    admin_accessible(page, "admin jaarschijf list")
    page.get_by_role("link", name="Jaarschijf 2025 (Gemeente Kerkrade)", exact=True).click()

    # Signed: the admin only views it (Django's view page), there is nothing to save or delete.
    expect(page.get_by_role("heading", name="jaarschijf weergeven")).to_be_visible()
    expect(page.get_by_text("Ondertekend", exact=True)).to_be_visible()
    for name in ("Opslaan", "Opslaan en opnieuw bewerken", "Verwijderen"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Verwijderen", exact=True)).to_have_count(0)
    expect(page.get_by_role("textbox")).to_have_count(0)
    admin_accessible(page, "admin view of a signed jaarschijf")

    page.get_by_role("link", name="Website bekijken", exact=True).click()
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    accessible(page, "portal start page as admin")
