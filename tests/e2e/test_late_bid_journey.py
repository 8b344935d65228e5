"""A revised bid reaches the jaarschijf, in a browser.

HEEMwonen's staff revise and submit their bid (version 2) in the web form after the demo
jaarschijf was made. The working group logs in, opens the jaarschijf through the links a person
sees, reads the notice about the newer bid, opens "Bijwerken uit het bod", sees the word diff
(and which contribution was edited by hand), takes over one change, and sees the contribution
say "uit bod HEEMwonen, versie 2". Putting the jaarschijf up for signing then warns about the
newer bid and the open comments and asks to confirm. axe-core on every page state.
"""

from __future__ import annotations

from cycle.models import Contribution, Jaarschijf

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None

NEW_TEXT = "Nieuwbouw van veertig woningen aan de Markt, start in het voorjaar"


def _switch_user(page, log_in, username):
    page.context.clear_cookies()
    log_in(page, username)


def test_a_revised_bid_is_reviewed_and_taken_into_the_jaarschijf(page, log_in, accessible):
    jaarschijf = Jaarschijf.objects.get(state=Jaarschijf.State.CONCEPT)
    piece = Contribution.objects.select_related("agreement__theme").get(
        jaarschijf=jaarschijf, party__slug="heemwonen", bid_figure="nieuwbouw"
    )
    where = f"{piece.agreement.theme.number}.{piece.agreement.number}"

    # HEEMwonen revises its bid in the web form and submits it.
    log_in(page, "heemwonen")
    accessible(page, "start page, corporation staff")
    page.get_by_role("link", name="Ons bod", exact=True).click()
    accessible(page, "our bid")
    page.get_by_role("link", name="Concept (versie 2) bewerken", exact=True).click()
    accessible(page, "bid web form")
    page.get_by_label("Toelichting bij Nieuwbouw (woningen)", exact=True).fill(NEW_TEXT)
    with page.expect_response(lambda r: r.request.method == "POST" and "/bewerken/" in r.url):
        page.get_by_role("button", name="Concept opslaan", exact=True).click()
    page.get_by_role("button", name="Bod indienen", exact=True).click()
    expect(page.get_by_text("Ingediend").first).to_be_visible()
    accessible(page, "bid submitted")

    # The working group finds the jaarschijf and its notice.
    _switch_user(page, log_in, "werkgroep")
    accessible(page, "start page, working group")
    page.get_by_role("link", name="Jaarcyclus 2026", exact=True).first.click()
    accessible(page, "cycle year")
    page.get_by_role("link", name="Jaarschijf 2027", exact=True).first.click()
    notice = page.locator(".pa-bid-notice")
    expect(notice).to_contain_text("Er is een nieuwer bod")
    expect(notice).to_contain_text("HEEMwonen: versie 2 ingediend")
    box = page.locator(f"#bijdrage-{piece.pk}")
    expect(box).to_contain_text("uit bod HEEMwonen, versie 1")
    accessible(page, "jaarschijf with a newer bid")

    # The review: word diff per contribution, the hand-edited one marked.
    notice.get_by_role("link", name="Bijwerken uit het bod", exact=True).click()
    expect(page.get_by_role("heading", name="Bijwerken uit het bod", exact=True)).to_be_visible()
    expect(page.get_by_text("HEEMwonen: van versie 1 naar versie 2")).to_be_visible()
    change = page.locator("article.pa-bid-change").filter(has_text="Nieuwbouw (woningen)")
    expect(change.locator("ins").filter(has_text="veertig")).to_be_visible()
    expect(change.locator("del").first).to_be_visible()
    expect(page.get_by_text("met de hand aangepast").first).to_be_visible()
    accessible(page, "bid update review")
    page.get_by_role(
        "button", name=f"Overnemen uit het bod: {where} HEEMwonen, Nieuwbouw (woningen)", exact=True
    ).click()
    expect(page.get_by_text("is bijgewerkt uit versie 2 van het bod")).to_be_visible()
    expect(
        page.locator("article.pa-bid-change").filter(has_text="Nieuwbouw (woningen)")
    ).to_have_count(0)
    accessible(page, "bid update review after one change")

    # The contribution now says what the new bid says, and where it comes from.
    page.get_by_role("link", name="Terug naar de jaarschijf", exact=True).click()
    box = page.locator(f"#bijdrage-{piece.pk}")
    expect(box).to_contain_text(NEW_TEXT)
    expect(box).to_contain_text("uit bod HEEMwonen, versie 2")
    accessible(page, "jaarschijf after the update")

    # Putting it up for signing warns (other bid changes, open comments) and asks to confirm.
    page.get_by_role("button", name="Vaststellen als definitief concept", exact=True).click()
    expect(page.get_by_text("De status van de jaarschijf is gewijzigd.")).to_be_visible()
    accessible(page, "jaarschijf, definitief concept")
    page.get_by_role("button", name="Ter ondertekening aanbieden", exact=True).click()
    expect(
        page.get_by_role("heading", name="Toch ter ondertekening aanbieden?", exact=True)
    ).to_be_visible()
    warnings = page.locator(".pa-put-up-warnings")
    expect(warnings).to_contain_text("nieuwer bod")
    expect(warnings).to_contain_text("HEEMwonen (versie 2)")
    expect(warnings).to_contain_text("open")
    accessible(page, "put-up confirmation")
    page.get_by_role("button", name="Toch ter ondertekening aanbieden", exact=True).click()
    expect(page.get_by_text("Vink eerst aan dat u de waarschuwingen hebt gelezen")).to_be_visible()
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).state == Jaarschijf.State.FINAL_DRAFT
    accessible(page, "put-up confirmation, not ticked")
    page.get_by_label(
        "Ik heb de waarschuwingen gelezen en bied het document toch ter ondertekening aan",
        exact=True,
    ).check()
    page.get_by_role("button", name="Toch ter ondertekening aanbieden", exact=True).click()
    expect(page.get_by_text("Het document is ter ondertekening aangeboden.")).to_be_visible()
    accessible(page, "signing page, round open")
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).state == Jaarschijf.State.FOR_SIGNING
