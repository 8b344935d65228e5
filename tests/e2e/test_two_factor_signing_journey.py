"""A signatory without an authenticator app signs for the first time, in a browser.

The alderman's demo app is removed first (as for any real account, which load_demo gives none).
The framework is up for signing; the alderman follows "Voor u ter ondertekening", is led to set
up two-step verification, types the secret shown on the page into "the app" (the code is computed
from that secret here, as the app would), confirms with a code, sees ten recovery codes once,
goes back and signs with password + code, recording the decision signed under. Typing the same
code again is refused as already used (a person waits for the next code). The page's history
shows the method and the decision; when the other parties have signed, the signed PDF's audit
section shows them too. The "Tweestapsverificatie" page from the user menu says what is set up.
axe-core on every new page. With PA_SCREENSHOTS=<folder>, screenshots of the setup page, the sign
form and the PDF's audit pages are written there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from agreements.models import Framework, SigningRequest
from agreements.signing.framework import FrameworkSignable
from agreements.signing.services import signature_add, signing_put_up
from agreements.twofactor.models import AuthenticatorDevice
from tests.e2e.demo_accounts import DEMO_FRAMEWORK_SLUG, DEMO_PASSWORD, SIGNATORIES, totp_code
from tests.factories import otp_code

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None

MANDATE = "Collegebesluit van 10 november 2026, nr. 2026/123"


def _shot(page, name: str) -> None:
    folder = os.environ.get("PA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _wait_for_the_next_code(first: str, secret: str) -> str:
    """As a person does after "al gebruikt": wait until the app shows a new code."""
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        code = totp_code(secret)
        if code != first:
            return code
        time.sleep(1)
    raise AssertionError("the app's code did not change within 40 seconds")


def test_a_signatory_sets_up_the_app_on_first_signing_and_signs(page, log_in, accessible, tmp_path):
    from django.contrib.auth import get_user_model

    wethouder = get_user_model().objects.get(username="wethouder")
    AuthenticatorDevice.objects.filter(user=wethouder).delete()
    framework = Framework.objects.get(slug=DEMO_FRAMEWORK_SLUG)
    werkgroep = get_user_model().objects.get(username="werkgroep")
    signing_put_up(signable=FrameworkSignable(framework), user=werkgroep)
    title = SigningRequest.objects.get(document_type="kader", object_id=framework.pk).title

    log_in(page, "wethouder")
    page.get_by_role("link", name=f"Voor u ter ondertekening: {title}", exact=True).click()
    expect(page.get_by_text("Om te tekenen hebt u tweestapsverificatie nodig")).to_be_visible()
    expect(page.get_by_label("Uw wachtwoord")).to_have_count(0)
    accessible(page, "signing page, two-step verification not set up")
    signing_url = page.url
    page.get_by_role("link", name="Tweestapsverificatie instellen").click()

    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    expect(page.get_by_role("img", name="QR-code")).to_be_visible()
    accessible(page, "two-step verification set-up")
    _shot(page, "1-setup")
    secret = page.locator("#totp-secret").inner_text()
    first = totp_code(secret)
    page.get_by_label("Code uit de app").fill("000000")
    page.get_by_role("button", name="Bevestig").click()
    expect(page.get_by_text("De code klopt niet.")).to_be_visible()
    accessible(page, "set-up with a wrong code")
    page.get_by_label("Code uit de app").fill(first)
    page.get_by_role("button", name="Bevestig").click()

    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible()
    assert page.locator(".pa-recovery-codes li").count() == 10
    accessible(page, "recovery codes")
    _shot(page, "2-recovery-codes")
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    assert page.url == signing_url

    # The code that confirmed the app was used: typed again, it is refused.
    page.get_by_label("Ik heb het document gelezen").check()
    page.get_by_label("Uw wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_label("Code uit uw authenticator-app").fill(first)
    page.get_by_role("button", name="Onderteken").click()
    expect(page.get_by_text("Deze code is al gebruikt.").first).to_be_visible()
    accessible(page, "signing page, code already used")

    page.get_by_label("Ik heb het document gelezen").check()
    page.get_by_label("Uw wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_label("Code uit uw authenticator-app").fill(_wait_for_the_next_code(first, secret))
    page.get_by_label("Besluit waaronder u tekent").fill(MANDATE)
    page.get_by_label("Datum van het besluit").fill("2026-11-10")
    _shot(page, "3-sign-form")
    page.get_by_role("button", name="Onderteken").click()
    expect(page.get_by_text("U hebt getekend.")).to_be_visible()
    history = page.locator("section", has=page.get_by_role("heading", name="Alle rondes"))
    expect(history).to_contain_text("wachtwoord en code uit de app")
    expect(history).to_contain_text(f"besluit: {MANDATE} van 10 november 2026")
    accessible(page, "signing page after signing with two factors")

    page.get_by_role("link", name="Tweestapsverificatie", exact=True).click()
    expect(page.get_by_text("10 ongebruikte herstelcodes")).to_be_visible()
    accessible(page, "two-step verification page")

    # The other parties sign (their demo apps), and the signed PDF's audit section shows it all.
    request = SigningRequest.objects.get(document_type="kader", object_id=framework.pk)
    for username in SIGNATORIES[1:]:
        user = get_user_model().objects.get(username=username)
        signature_add(
            signing_request=request, user=user, password=DEMO_PASSWORD, otp_code=otp_code(user)
        )
    page.goto(signing_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de ondertekende PDF").click()
    pdf = tmp_path / "ondertekend.pdf"
    download_info.value.save_as(pdf)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(  # noqa: S603 - fixed arguments, our own PDF
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout
        assert "Verantwoording van de ondertekening" in text
        assert "Collegebesluit van 10 november 2026, nr. 2026/123" in " ".join(text.split())
        assert "authenticator-app" in text
    folder = os.environ.get("PA_SCREENSHOTS")
    pdftoppm = shutil.which("pdftoppm")
    if folder and pdftoppm:
        subprocess.run(  # noqa: S603 - fixed arguments
            [pdftoppm, "-png", "-r", "70", str(pdf), str(Path(folder) / "4-pdf")], check=True
        )
    assert not page.csp_errors
