"""Signing as a signatory does it on the signing page: tick "gelezen", type the password and the
code from the authenticator app (the demo's published secret), sign."""

from __future__ import annotations

from tests.e2e.demo_accounts import DEMO_PASSWORD, totp_code


def sign(page, accessible, *, try_wrong_password: bool = False, mandate: str = "") -> None:
    """Sign on the open signing page; with ``try_wrong_password`` first a wrong password, which
    signs nothing and says so in Dutch (axe on that state). ``mandate``: the decision signed
    under, typed into the form."""
    from playwright.sync_api import expect

    if try_wrong_password:
        page.get_by_label("Ik heb het document gelezen").check()
        page.get_by_label("Uw wachtwoord").fill("verkeerd")
        page.get_by_label("Code uit uw authenticator-app").fill(totp_code())
        page.get_by_role("button", name="Onderteken").click()
        expect(page.get_by_text("Het wachtwoord klopt niet").first).to_be_visible()
        accessible(page, "signing page with a password error")
    page.get_by_label("Ik heb het document gelezen").check()
    page.get_by_label("Uw wachtwoord").fill(DEMO_PASSWORD)
    # A wrong password checks no code: the same code still works.
    page.get_by_label("Code uit uw authenticator-app").fill(totp_code())
    if mandate:
        page.get_by_label("Besluit waaronder u tekent").fill(mandate)
    # The last signature renders and stores the signed PDF: allow it the time.
    page.get_by_role("button", name="Onderteken").click(timeout=120_000)
    page.wait_for_load_state("domcontentloaded", timeout=120_000)
    expect(page.get_by_text("U hebt getekend.")).to_be_visible(timeout=120_000)
