"""The jaarschijf's signing round in a browser: werkgroep makes the demo jaarschijf a definitief
concept and puts it up for signing from the jaarschijf page; every party's signatory signs with
their password again; the jaarschijf is ondertekend, the signed PDF downloads, the verify page
recognises it and not a copy with one byte changed. axe-core on the jaarschijf signing pages.

The demo framework has six parties. The demo accounts include `huurders-wonenzuid-voorzitter`
(fixtures/kerkrade/accounts.toml); when an older fixture lacks it, the test creates it.
"""

from __future__ import annotations

from agreements.models import Membership, Party, SigningRequest
from cycle.models import Jaarschijf
from tests.factories import MembershipFactory, UserFactory

DEMO_PASSWORD = "kerkrade-demo"
SIGNATORIES = [
    "wethouder",
    "heemwonen-bestuur",
    "wonenzuid-bestuur",
    "wonenlimburg-bestuur",
    "huurders-voorzitter",
    "huurders-wonenzuid-voorzitter",
]

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None


def _ensure_second_tenant_signatory() -> None:
    from django.contrib.auth import get_user_model

    if get_user_model().objects.filter(username="huurders-wonenzuid-voorzitter").exists():
        return
    MembershipFactory(
        party=Party.objects.get(slug="huurdersorganisatie-wonen-zuid"),
        role=Membership.Role.SIGNATORY,
        job_title="voorzitter",
        user=UserFactory(
            username="huurders-wonenzuid-voorzitter",
            first_name="Demo",
            last_name="Voorzitter huurders Wonen Zuid",
            password=DEMO_PASSWORD,
        ),
    )


def _switch_user(page, log_in, username):
    page.context.clear_cookies()
    log_in(page, username)


def test_every_party_signs_the_jaarschijf(page, log_in, accessible, tmp_path):
    _ensure_second_tenant_signatory()
    jaarschijf = Jaarschijf.objects.get(state=Jaarschijf.State.CONCEPT)
    jaarschijf_url = f"/cyclus/jaarschijf/{jaarschijf.pk}/"
    signing_url = f"/kaders/ondertekening/jaarschijf/{jaarschijf.pk}/"

    # The working group: definitief concept, then put up from the jaarschijf page.
    log_in(page, "werkgroep")
    page.goto(jaarschijf_url)
    page.get_by_role("button", name="Vaststellen als definitief concept").click()
    expect(page.get_by_text("De status van de jaarschijf is gewijzigd.")).to_be_visible()
    accessible(page, "jaarschijf page, definitief concept")
    page.get_by_role("button", name="Ter ondertekening aanbieden").click()
    # The demo jaarschijf has open comments: putting it up asks to confirm them first.
    expect(page.get_by_role("heading", name="Toch ter ondertekening aanbieden?")).to_be_visible()
    accessible(page, "put-up confirmation")
    page.get_by_label(
        "Ik heb de waarschuwingen gelezen en bied het document toch ter ondertekening aan",
        exact=True,
    ).check()
    page.get_by_role("button", name="Toch ter ondertekening aanbieden", exact=True).click()
    expect(page.get_by_text("Het document is ter ondertekening aangeboden.")).to_be_visible()
    assert page.url.endswith(signing_url)
    accessible(page, "jaarschijf signing page, round open")
    page.goto(jaarschijf_url)
    expect(page.get_by_text("Deze jaarschijf is bevroren")).to_be_visible()

    for number, username in enumerate(SIGNATORIES, start=1):
        _switch_user(page, log_in, username)
        page.goto(jaarschijf_url)
        page.get_by_role("link", name="Naar de ondertekening").click()
        expect(page.get_by_role("heading", name="Tekenen")).to_be_visible()
        if number == 1:
            accessible(page, "jaarschijf signing page for a signatory")
            page.get_by_label("Ik heb het document gelezen").check()
            page.get_by_label("Uw wachtwoord").fill("verkeerd")
            page.get_by_role("button", name="Onderteken").click()
            expect(page.get_by_text("Het wachtwoord klopt niet").first).to_be_visible()
        page.get_by_label("Ik heb het document gelezen").check()
        page.get_by_label("Uw wachtwoord").fill(DEMO_PASSWORD)
        # The last signature renders and stores the signed PDF: allow it the time.
        page.get_by_role("button", name="Onderteken").click(timeout=120_000)
        page.wait_for_load_state("domcontentloaded", timeout=120_000)
        expect(page.get_by_text("U hebt getekend.")).to_be_visible(timeout=120_000)

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

    page.goto(jaarschijf_url)
    expect(page.locator(".pa-state").first).to_have_text("Ondertekend")
    accessible(page, "jaarschijf page, signed")

    page.goto("/kaders/ondertekening/verifieer/")
    page.get_by_label("PDF-bestand").set_input_files(str(signed))
    page.get_by_role("button", name="Controleer").click()
    expect(page.get_by_role("heading", name="Echt: dit is een ondertekende versie")).to_be_visible()
    expect(page.get_by_text(str(jaarschijf)).first).to_be_visible()

    changed = tmp_path / "gewijzigd.pdf"
    altered = bytearray(data)
    altered[len(altered) // 2] ^= 0x01
    changed.write_bytes(bytes(altered))
    page.get_by_label("PDF-bestand").set_input_files(str(changed))
    page.get_by_role("button", name="Controleer").click()
    expect(page.get_by_role("heading", name="Niet herkend")).to_be_visible()
    assert not page.csp_errors
