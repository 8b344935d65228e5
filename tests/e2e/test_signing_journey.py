"""The whole signing round in a browser: werkgroep puts the framework up for signing, every
party's signatory signs with their password again, the signed PDF downloads, and the verify page
recognises it and not a copy with one byte changed. The working group reaches the signing page
from the start page through the framework; each signatory through "Voor u ter ondertekening".
axe-core on every signing page.

The demo framework has six parties and every party must sign, so the demo accounts include a
signatory for the second tenant organisation (`huurders-wonenzuid-voorzitter`).
"""

from __future__ import annotations

from agreements.models import Framework, SigningRequest
from tests.e2e.demo_accounts import DEMO_FRAMEWORK_SLUG, SIGNATORIES
from tests.e2e.seal import assert_sealed, one_byte_changed
from tests.e2e.signing import sign

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None


def _switch_user(page, log_in, username):
    page.context.clear_cookies()
    log_in(page, username)


def test_every_party_signs_the_framework(page, log_in, accessible, tmp_path):
    framework = Framework.objects.get(slug=DEMO_FRAMEWORK_SLUG)
    url = f"/kaders/ondertekening/kader/{framework.pk}/"

    log_in(page, "werkgroep")
    page.get_by_role("main").get_by_role("link", name=framework.title, exact=True).first.click()
    page.get_by_role("main").get_by_role("link", name="Ondertekening", exact=True).click()
    assert page.url.endswith(url)
    accessible(page, "signing page before put-up")
    page.get_by_role("button", name="Ter ondertekening aanbieden").click()
    expect(page.get_by_text("Het document is ter ondertekening aangeboden.")).to_be_visible()
    accessible(page, "signing page, round open")
    title = SigningRequest.objects.get(document_type="kader", object_id=framework.pk).title

    for number, username in enumerate(SIGNATORIES, start=1):
        _switch_user(page, log_in, username)
        page.get_by_role("link", name=f"Voor u ter ondertekening: {title}", exact=True).click()
        if number == 1:
            accessible(page, "signing page for a signatory")
        sign(page, accessible, try_wrong_password=number == 1)

    request = SigningRequest.objects.get(document_type="kader", object_id=framework.pk)
    assert request.status == SigningRequest.Status.SIGNED
    accessible(page, "signing page, signed")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de ondertekende PDF").click()
    signed = tmp_path / "ondertekend.pdf"
    download_info.value.save_as(signed)
    data = signed.read_bytes()
    assert data == bytes(request.signed_pdf)
    assert_sealed(data, parties=request.parties.count())

    page.goto("/kaders/ondertekening/verifieer/")
    accessible(page, "verify page")
    page.get_by_label("PDF-bestand").set_input_files(str(signed))
    page.get_by_role("button", name="Controleer").click()
    expect(page.get_by_role("heading", name="Echt: dit is een ondertekende versie")).to_be_visible()
    accessible(page, "verify page, recognised")

    changed = tmp_path / "gewijzigd.pdf"
    changed.write_bytes(one_byte_changed(data))
    page.get_by_label("PDF-bestand").set_input_files(str(changed))
    page.get_by_role("button", name="Controleer").click()
    expect(page.get_by_role("heading", name="Gewijzigd: dit bestand is")).to_be_visible()
    expect(page.get_by_text("Verbroken.")).to_be_visible()
    accessible(page, "verify page, seal broken")
    assert not page.csp_errors
