"""The signatory records the decision they sign under (mandaat): stored, shown, audited."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from agreements.models import Signature, SigningRequest
from core.models import AuditEvent
from tests.factories import otp_code

from .test_services import put_up, sign
from .test_two_factor import pdf_text

MANDATE = "Collegebesluit nr. 2026/123"


def test_the_mandate_is_stored_on_the_signature_and_audited(world):
    put_up(world)
    signature = sign(
        world, "gemeente-teststad", mandate=f"  {MANDATE} ", mandate_date=date(2026, 11, 10)
    )
    signature.refresh_from_db()
    assert signature.mandate == MANDATE
    assert signature.mandate_date == date(2026, 11, 10)
    details = AuditEvent.objects.get(action="signature_add").details
    assert details["mandate"] == MANDATE
    assert details["mandate_date"] == "2026-11-10"


def test_the_mandate_is_optional(world):
    put_up(world)
    signature = sign(world, "gemeente-teststad")
    assert signature.mandate == "" and signature.mandate_date is None


def _post(world, login, user, **data):
    url = reverse("agreements:signing-sign", args=["kader", world.framework.pk, 1])
    form = {"confirm": "on", "password": "geheim-voor-tests", "otp_code": otp_code(user), **data}
    return login(user).post(url, form)


def test_the_sign_form_records_the_mandate_and_the_page_shows_it(world, login):
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    response = _post(world, login, user, mandate=MANDATE, mandate_date="2026-11-10")
    assert response.status_code == 302
    assert Signature.objects.get().mandate == MANDATE
    page = login(world.member).get(
        reverse("agreements:signing-document", args=["kader", world.framework.pk])
    )
    assert f"besluit: {MANDATE} van 10 november 2026" in page.text


def test_a_date_without_a_decision_is_refused_in_dutch(world, login):
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    response = _post(world, login, user, mandate_date="2026-11-10")
    assert response.status_code == 400
    assert "Noem het besluit bij deze datum." in response.text
    assert not Signature.objects.exists()


def test_the_pdf_audit_section_shows_each_mandate(world):
    put_up(world)
    sign(world, "gemeente-teststad", mandate=MANDATE, mandate_date=date(2026, 11, 10))
    sign(world, "woonstichting-test", mandate="Besluit raad van commissarissen")
    sign(world, "huurders-test")
    # pypdf reads "nr. 2026" as "nr . 2026" (kerning): compare without spaces.
    text = pdf_text(bytes(SigningRequest.objects.get().signed_pdf)).replace(" ", "")
    assert f"{MANDATE}, 10 november 2026".replace(" ", "") in text
    assert "Besluitraadvancommissarissen" in text
    assert "nietvermeld" in text
