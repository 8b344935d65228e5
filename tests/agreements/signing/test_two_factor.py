"""Signing takes two factors: the password and a code from the app (or a recovery code)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import TOTP

from agreements.models import Signature, SigningRequest
from agreements.signing.services import SigningError
from agreements.twofactor import services as twofactor
from agreements.twofactor.models import AuthenticatorDevice
from core.already import AlreadyDone
from core.models import AuditEvent
from tests.factories import otp_code

from .test_services import put_up, sign


def pdf_text(data: bytes) -> str:
    """The PDF's text with every run of whitespace as one space."""
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)
    return " ".join(text.split())


def doc_url(world, name="signing-document", **extra):
    return reverse(f"agreements:{name}", args=["kader", world.framework.pk, *extra.values()])


def test_signing_with_password_and_app_code_records_the_method(world):
    put_up(world)
    signature = sign(world, "gemeente-teststad")
    assert signature.method == Signature.Method.PASSWORD_TOTP
    event = AuditEvent.objects.get(action="signature_add")
    assert event.details["method"] == "wachtwoord+totp"


def test_a_wrong_code_signs_nothing_and_says_so_in_dutch(world):
    put_up(world)
    otp_code(world.signatories["gemeente-teststad"])
    with pytest.raises(SigningError) as error:
        sign(world, "gemeente-teststad", otp_code="000000")
    assert "De code klopt niet. Er is niets ondertekend." in str(error.value)
    assert error.value.field == "otp_code"
    assert not Signature.objects.exists()


def test_the_right_password_alone_does_not_sign(world):
    put_up(world)
    otp_code(world.signatories["gemeente-teststad"])
    with pytest.raises(SigningError, match="De code klopt niet"):
        sign(world, "gemeente-teststad", otp_code="")
    assert not Signature.objects.exists()


def test_a_signatory_without_an_app_is_asked_to_set_it_up(world):
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    with pytest.raises(SigningError, match="Stel eerst tweestapsverificatie in"):
        sign(world, "gemeente-teststad", otp_code="123456")
    assert not AuthenticatorDevice.objects.filter(user=user).exists()
    assert not Signature.objects.exists()


def test_a_recovery_code_signs_once_and_is_recorded_as_such(world):
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    device = twofactor.device_setup_start(user=user)
    codes = twofactor.device_confirm(user=user, code=f"{TOTP(device.seed).token():06d}")
    signature = sign(world, "gemeente-teststad", otp_code=codes[0])
    assert signature.method == Signature.Method.PASSWORD_RECOVERY
    assert twofactor.recovery_codes_left(user) == 9


def test_a_used_recovery_code_is_refused_for_the_next_signature(world):
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    device = twofactor.device_setup_start(user=user)
    codes = twofactor.device_confirm(user=user, code=f"{TOTP(device.seed).token():06d}")
    twofactor.code_check(user=user, code=codes[0])  # used, e.g. at a login
    with pytest.raises(SigningError, match="De code klopt niet"):
        sign(world, "gemeente-teststad", otp_code=codes[0])
    assert not Signature.objects.exists()


def test_a_refused_signature_leaves_the_recovery_code_unused(world):
    """A code is used up only when the signature is made (same transaction)."""
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    device = twofactor.device_setup_start(user=user)
    codes = twofactor.device_confirm(user=user, code=f"{TOTP(device.seed).token():06d}")
    sign(world, "gemeente-teststad")
    with pytest.raises(AlreadyDone, match="al ondertekend"):
        sign(world, "gemeente-teststad", otp_code=codes[1])
    assert twofactor.recovery_codes_left(user) == 10


# --- the page ---------------------------------------------------------------------------------


def test_the_page_leads_a_signatory_without_an_app_to_the_setup(world, login):
    put_up(world)
    page = login(world.signatories["gemeente-teststad"]).get(doc_url(world))
    assert "Tweestapsverificatie instellen" in page.text
    assert reverse("twofactor:setup") + "?next=" in page.text
    assert "Uw wachtwoord" not in page.text


def test_a_wrong_code_in_the_page_shows_the_error_at_the_code_field(world, login):
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    otp_code(user)
    response = login(user).post(
        doc_url(world, "signing-sign", round=1),
        {"confirm": "on", "password": "geheim-voor-tests", "otp_code": "999999"},
    )
    assert response.status_code == 400
    form = response.context["sign_form"]
    assert "De code klopt niet. Er is niets ondertekend." in form.errors["otp_code"][0]
    assert not Signature.objects.exists()


def test_the_history_and_the_pdf_show_the_method_with_two_factors(world, login):
    put_up(world)
    for party in world.parties:
        sign(world, party.slug)
    page = login(world.member).get(doc_url(world))
    assert "wachtwoord en code uit de app" in page.text
    text = pdf_text(bytes(SigningRequest.objects.get().signed_pdf))
    assert "code uit de authenticator-app" in text
    assert "(tweestapsverificatie)" in text
    assert "192.0.2.7" in text  # the IP address of each signature
    assert "(rol in het portaal: ondertekenaar)" in text
