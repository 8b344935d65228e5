"""The jaarschijf's signing round in a browser, from the working group to the last signatory.

werkgroep goes from the start page to the demo jaarschijf, makes it a definitief concept and
puts it up for signing (the demo has open comments: the warning is confirmed). Then every
signatory of the demo (the alderman, every corporation's director, every tenant organisation's
chair) logs in, sees "Voor u ter ondertekening: … — vóór …" on the start page, follows it, sees
the deadline on the signing page and signs with their password (the first also tries a wrong
one); the start page then no longer asks them. The last signature completes the round: the
jaarschijf is ondertekend, the signed PDF downloads, and the verify page recognises it and not
a copy with one byte changed. Only visible links and buttons; axe-core on every page state (for
the first signatory; the others see the same pages). One test, one demo load.
"""

from __future__ import annotations

import re

from agreements.models import Membership, SigningRequest
from cycle.models import Jaarschijf
from tests.e2e.demo_accounts import SIGNATORIES
from tests.e2e.seal import assert_sealed, one_byte_changed
from tests.e2e.signing import sign

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None

DEADLINE = re.compile(r"vóór \d{1,2} [a-z]+ \d{4}")
CONFIRM = "Ik heb de waarschuwingen gelezen en bied het document toch ter ondertekening aan"


def _switch_user(page, log_in, username):
    page.context.clear_cookies()
    log_in(page, username)


def _put_up_by_the_working_group(page, log_in, accessible) -> None:
    log_in(page, "werkgroep")
    page.get_by_role("link", name="Jaarcyclus 2026", exact=True).first.click()
    page.get_by_role("link", name="Jaarschijf 2027", exact=True).first.click()
    page.get_by_role("button", name="Vaststellen als definitief concept").click()
    expect(page.get_by_text("De status van de jaarschijf is gewijzigd.")).to_be_visible()
    accessible(page, "jaarschijf page, definitief concept")
    page.get_by_role("button", name="Ter ondertekening aanbieden").click()
    expect(page.get_by_role("heading", name="Toch ter ondertekening aanbieden?")).to_be_visible()
    accessible(page, "put-up confirmation")
    page.get_by_label(CONFIRM, exact=True).check()
    page.get_by_role("button", name="Toch ter ondertekening aanbieden", exact=True).click()
    expect(page.get_by_text("Het document is ter ondertekening aangeboden.")).to_be_visible()
    accessible(page, "jaarschijf signing page, round open")


def _sign(page, accessible, *, title: str, first: bool) -> None:
    link_name = f"Voor u ter ondertekening: {title}"
    item = page.locator(".pa-waiting--sign").filter(has_text=title)
    expect(item).to_contain_text(DEADLINE)
    expect(page.get_by_text("Niets te doen")).to_have_count(0)
    if first:
        accessible(page, "start page of a signatory, a round waiting")
    page.get_by_role("link", name=link_name, exact=True).click()
    expect(page.get_by_role("heading", name="Tekenen", exact=True)).to_be_visible()
    expect(page.locator(".pa-signing-deadline")).to_contain_text(DEADLINE)
    if first:
        accessible(page, "signing page with its deadline")
    sign(page, accessible, try_wrong_password=first)
    if first:
        accessible(page, "signing page after signing")


def test_every_party_signs_the_jaarschijf(page, log_in, accessible, tmp_path):
    demo_signatories = set(
        Membership.objects.filter(role=Membership.Role.SIGNATORY).values_list(
            "user__username", flat=True
        )
    )
    assert demo_signatories == set(SIGNATORIES)
    jaarschijf = Jaarschijf.objects.get(state=Jaarschijf.State.CONCEPT)
    title = str(jaarschijf)

    _put_up_by_the_working_group(page, log_in, accessible)
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).state == Jaarschijf.State.FOR_SIGNING

    for number, username in enumerate(SIGNATORIES, start=1):
        _switch_user(page, log_in, username)
        _sign(page, accessible, title=title, first=number == 1)
        if number < len(SIGNATORIES):
            # Back on the start page (the header link, as a person does): no longer asked.
            page.get_by_role("link", name="Start", exact=True).click()
            expect(
                page.get_by_role("link", name=f"Voor u ter ondertekening: {title}", exact=True)
            ).to_have_count(0)
            if number == 1:
                accessible(page, "start page of a signatory who signed")

    request = SigningRequest.objects.get(document_type="jaarschijf", object_id=jaarschijf.pk)
    assert request.status == SigningRequest.Status.SIGNED
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).state == Jaarschijf.State.SIGNED
    accessible(page, "jaarschijf signing page, signed")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de ondertekende PDF").click()
    signed = tmp_path / "jaarschijf-ondertekend.pdf"
    download_info.value.save_as(signed)
    data = signed.read_bytes()
    assert data == bytes(request.signed_pdf)
    assert_sealed(data, parties=request.parties.count())

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Ondertekening", exact=True
    ).click()
    page.get_by_role("link", name="Controleer een ondertekende PDF", exact=True).click()
    accessible(page, "verify page")
    page.get_by_label("PDF-bestand").set_input_files(str(signed))
    page.get_by_role("button", name="Controleer").click()
    expect(page.get_by_role("heading", name="Echt: dit is een ondertekende versie")).to_be_visible()
    expect(page.get_by_text(title).first).to_be_visible()
    accessible(page, "verify page, recognised")

    changed = tmp_path / "gewijzigd.pdf"
    changed.write_bytes(one_byte_changed(data))
    page.get_by_label("PDF-bestand").set_input_files(str(changed))
    page.get_by_role("button", name="Controleer").click()
    expect(page.get_by_role("heading", name="Gewijzigd: dit bestand is")).to_be_visible()
    assert not page.csp_errors
