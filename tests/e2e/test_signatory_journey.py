"""Every signatory of the demo, told on their start page: with the demo jaarschijf up for
signing, each signatory (the alderman, every corporation's director, every tenant
organisation's chair) logs in, sees "Voor u ter ondertekening: … — vóór …" on the start page,
follows it, sees the deadline on the signing page and signs with their password; the start page
then no longer asks them, and the last signature completes the round. axe-core on every page
state.

The round is opened in setup through the signing service (the working group's clicks up to
"Ter ondertekening aanbieden" are walked in test_jaarschijf_signing_journey.py), so that this
journey is about the signatories. One test, one demo load, every signatory in turn.
"""

from __future__ import annotations

import re

from agreements.models import Membership, SigningRequest
from agreements.signing.services import signing_put_up
from cycle.jaarschijf import services as js
from cycle.jaarschijf.signing import JaarschijfSignable
from cycle.models import Jaarschijf

DEMO_PASSWORD = "kerkrade-demo"
# Every signatory role of the demo (README, "Demo accounts"); the test checks that the list is
# complete, so a signatory added to the demo is walked too.
SIGNATORIES = [
    "wethouder",
    "heemwonen-bestuur",
    "wonenzuid-bestuur",
    "wonenlimburg-bestuur",
    "huurders-voorzitter",
    "huurders-wonenzuid-voorzitter",
]
DEADLINE = re.compile(r"vóór \d{1,2} [a-z]+ \d{4}")

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None


def _open_round() -> Jaarschijf:
    """The working group puts the demo's concept jaarschijf up for signing."""
    from django.contrib.auth import get_user_model

    werkgroep = get_user_model().objects.get(username="werkgroep")
    jaarschijf = Jaarschijf.objects.get(state=Jaarschijf.State.CONCEPT)
    jaarschijf = js.jaarschijf_set_state(
        actor=werkgroep, jaarschijf=jaarschijf, state=Jaarschijf.State.FINAL_DRAFT
    )
    signing_put_up(signable=JaarschijfSignable(jaarschijf), user=werkgroep)
    return jaarschijf


def _switch_user(page, log_in, username):
    page.context.clear_cookies()
    log_in(page, username)


def test_every_signatory_is_told_on_the_start_page_and_signs(page, log_in, accessible):
    demo_signatories = set(
        Membership.objects.filter(role=Membership.Role.SIGNATORY).values_list(
            "user__username", flat=True
        )
    )
    assert demo_signatories == set(SIGNATORIES)
    jaarschijf = _open_round()
    title = str(jaarschijf)
    link_name = f"Voor u ter ondertekening: {title}"

    for number, username in enumerate(SIGNATORIES, start=1):
        _switch_user(page, log_in, username)
        item = page.locator(".pa-waiting--sign").filter(has_text=title)
        expect(item).to_contain_text(DEADLINE)
        expect(page.get_by_text("Niets te doen")).to_have_count(0)
        if number == 1:
            accessible(page, "start page of a signatory, a round waiting")
        page.get_by_role("link", name=link_name, exact=True).click()
        expect(page.get_by_role("heading", name="Tekenen", exact=True)).to_be_visible()
        expect(page.locator(".pa-signing-deadline")).to_contain_text(DEADLINE)
        if number == 1:
            accessible(page, "signing page with its deadline")
        page.get_by_label("Ik heb het document gelezen").check()
        page.get_by_label("Uw wachtwoord").fill(DEMO_PASSWORD)
        # The last signature renders and stores the signed PDF: allow it the time.
        page.get_by_role("button", name="Onderteken").click(timeout=120_000)
        page.wait_for_load_state("domcontentloaded", timeout=120_000)
        expect(page.get_by_text("U hebt getekend.")).to_be_visible(timeout=120_000)
        if number == 1:
            accessible(page, "signing page after signing")
        # Back on the start page (the header link, as a person does): no longer asked.
        page.get_by_role("link", name="Start", exact=True).click()
        expect(page.get_by_role("link", name=link_name, exact=True)).to_have_count(0)
        if number == 1:
            accessible(page, "start page of a signatory who signed")

    request = SigningRequest.objects.get(document_type="jaarschijf", object_id=jaarschijf.pk)
    assert request.status == SigningRequest.Status.SIGNED
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).state == Jaarschijf.State.SIGNED
    assert not page.csp_errors
