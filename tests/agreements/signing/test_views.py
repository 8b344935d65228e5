"""Signing pages, PDFs and the verify page."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Framework, Membership, Signature, SigningRequest
from tests.factories import MembershipFactory, otp_code

from .conftest import PASSWORD
from .test_services import put_up, sign_all


def doc_url(world, name="signing-document", **extra):
    return reverse(f"agreements:{name}", args=["kader", world.framework.pk, *extra.values()])


def test_working_group_puts_up_through_the_page(world, login):
    client = login(world.working_group)
    page = client.get(doc_url(world))
    assert "Ter ondertekening aanbieden" in page.text
    response = client.post(doc_url(world, "signing-put-up"))
    assert response.status_code == 302
    assert Framework.objects.get(pk=world.framework.pk).signing_state == "ter_ondertekening"


def test_a_member_cannot_put_up(world, login):
    response = login(world.member).post(doc_url(world, "signing-put-up"))
    assert response.status_code == 404
    assert not SigningRequest.objects.exists()


def test_outsider_gets_404(world, login):
    outsider = MembershipFactory(role=Membership.Role.SIGNATORY).user
    assert login(outsider).get(doc_url(world)).status_code == 404


def test_signatory_sees_the_sign_form_and_the_pdf(world, login):
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    otp_code(user)  # has set up two-step verification
    client = login(user)
    page = client.get(doc_url(world))
    assert "Uw wachtwoord" in page.text
    assert "Code uit uw authenticator-app" in page.text
    pdf = client.get(doc_url(world, "signing-document-pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_wrong_password_in_the_page_shows_a_dutch_error(world, login):
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    client = login(user)
    response = client.post(
        doc_url(world, "signing-sign", round=1),
        {"confirm": "on", "password": "fout", "otp_code": otp_code(user)},
    )
    assert response.status_code == 400
    assert "Het wachtwoord klopt niet" in response.text
    assert not Signature.objects.exists()


def test_signing_through_the_page_records_ip_and_browser(world, login):
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    client = login(user)
    response = client.post(
        doc_url(world, "signing-sign", round=1),
        {"confirm": "on", "password": PASSWORD, "otp_code": otp_code(user)},
        HTTP_USER_AGENT="Testbrowser/1.0",
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.user_agent == "Testbrowser/1.0"
    assert signature.ip_address == "198.51.100.4"


def test_decline_through_the_page(world, login):
    put_up(world)
    client = login(world.signatories["huurders-test"])
    response = client.post(doc_url(world, "signing-decline", round=1), {"reason": "Niet eens."})
    assert response.status_code == 302
    assert SigningRequest.objects.get().status == "geweigerd"


def test_signed_pdf_download_returns_exactly_the_stored_bytes(world, login):
    put_up(world)
    request = sign_all(world)
    client = login(world.member)
    first = client.get(doc_url(world, "signing-signed-pdf", round=1))
    second = client.get(doc_url(world, "signing-signed-pdf", round=1))
    assert first.content == bytes(request.signed_pdf) == second.content
    assert hashlib.sha256(first.content).hexdigest() == request.signed_pdf_sha256


def test_overview_lists_the_rounds_of_my_party(world, login):
    put_up(world)
    page = login(world.member).get(reverse("agreements:signing-overview"))
    assert "Kader Teststad" in page.text


@pytest.fixture
def signed_pdf(world):
    put_up(world)
    return bytes(sign_all(world).signed_pdf)


def verify(client, **data):
    return client.post(reverse("agreements:signing-verify"), data)


def test_verify_recognises_the_signed_pdf(world, login, signed_pdf):
    client = login(world.member)
    response = verify(client, file=SimpleUploadedFile("a.pdf", signed_pdf, "application/pdf"))
    assert "Echt: dit is een ondertekende versie" in response.text
    assert "Tekenaar Huurders Test" in response.text


def test_verify_rejects_a_one_byte_change(world, login, signed_pdf):
    changed = bytearray(signed_pdf)
    changed[len(changed) // 2] ^= 1
    response = verify(
        login(world.member), file=SimpleUploadedFile("a.pdf", bytes(changed), "application/pdf")
    )
    # Where the byte lands decides whether the file still reads as a PDF (then its seal reports
    # the change: test_seal.py) or not; either way it is no signed version.
    assert "Echt:" not in response.text
    assert "Niet herkend" in response.text or "Gewijzigd:" in response.text


def test_verify_accepts_a_pasted_pdf_or_content_hash(world, login, signed_pdf):
    client = login(world.member)
    request = SigningRequest.objects.get()
    assert "Echt" in verify(client, digest=hashlib.sha256(signed_pdf).hexdigest().upper()).text
    assert "canonieke" in verify(client, digest=request.content_hash).text


def test_verify_refuses_a_file_that_is_no_pdf(world, login):
    response = verify(login(world.member), file=SimpleUploadedFile("a.pdf", b"hallo", "text/plain"))
    assert response.status_code == 400
    assert "Dit is geen PDF-bestand" in response.text


def test_verify_caps_the_upload_size(world, login, settings):
    settings.MAX_UPLOAD_MB = 0
    response = verify(
        login(world.member), file=SimpleUploadedFile("a.pdf", b"%PDF-1.7 x", "application/pdf")
    )
    assert response.status_code == 400
    assert "groter dan" in response.text


def test_verify_needs_login(client):
    response = client.get(reverse("agreements:signing-verify"))
    assert response.status_code == 302


def test_signed_pdf_ends_with_signature_page_and_audit(world, signed_pdf):
    import shutil
    import subprocess

    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(  # noqa: S603 - fixed arguments, our own PDF on stdin
        [pdftotext, "-", "-"], input=signed_pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Verantwoording van de ondertekening" in text
    assert SigningRequest.objects.get().content_hash in text.replace("\n", "").replace(" ", "")
    assert "Tekenaar Gemeente Teststad" in text
