"""The seal: the PDF stored when the last party signs carries one PAdES signature per party's
signing event, made with the portal's certificate, and pyHanko's own validator accepts it
(against the demo certificate as trust root); one changed byte breaks it, and the verify page
says so and shows the round's audit trail.
"""

from __future__ import annotations

import hashlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from agreements.models import Signature, SigningRequest
from agreements.signing.seal import certificate, validate
from agreements.signing.seal.checks import seal_certificate_check
from agreements.signing.services import SigningError
from tests.factories import MembershipFactory, PartyFactory, otp_code

from .test_services import put_up, sign, sign_all


def demo_context() -> ValidationContext:
    """The demo certificate as the one trust root (what a municipality does with its own)."""
    from pyhanko.keys import load_cert_from_pemder

    root = load_cert_from_pemder(str(certificate.demo_certificate_pem()))
    return ValidationContext(trust_roots=[root], allow_fetching=False)


def embedded(pdf: bytes):
    return list(PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures)


def first_stream_byte(pdf: bytes) -> int:
    """A byte inside the first content stream of the original document: changing it keeps the
    file readable as a PDF but alters what every signature covers."""
    return pdf.index(b"stream\n") + len(b"stream\n") + 40


def one_byte_changed(pdf: bytes) -> bytes:
    changed = bytearray(pdf)
    changed[first_stream_byte(pdf)] ^= 0x01
    return bytes(changed)


@pytest.fixture
def signed(world) -> SigningRequest:
    put_up(world)
    return sign_all(world)


def test_the_stored_pdf_has_one_signature_per_party_in_signing_order(world, signed):
    signatures = embedded(bytes(signed.signed_pdf))
    order = list(Signature.objects.filter(request=signed).order_by("signed_at", "id"))
    assert len(signatures) == len(world.parties) == len(order)
    for sig, signature in zip(signatures, order, strict=True):
        assert signature.party.slug in sig.field_name
        assert str(sig.sig_object["/Name"]) == signature.signer_name
        reason = str(sig.sig_object["/Reason"])
        assert f"namens {signature.party.name}" in reason
        assert "rol: Ondertekenaar" in reason
        assert signed.content_hash in reason
        assert str(sig.sig_object["/Location"]) == "Teststad"
        assert str(sig.sig_object["/SubFilter"]) == "/ETSI.CAdES.detached"  # PAdES


def test_pyhanko_validates_every_seal_against_the_demo_root(signed):
    signatures = embedded(bytes(signed.signed_pdf))
    for sig in signatures:
        status = validate_pdf_signature(sig, signer_validation_context=demo_context())
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert status.bottom_line
        assert status.signing_cert.subject.native["common_name"] == certificate.DEMO_COMMON_NAME
    last = validate_pdf_signature(signatures[-1], signer_validation_context=demo_context())
    assert last.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_without_the_demo_root_the_seal_is_valid_but_untrusted(signed, settings):
    pdf = bytes(signed.signed_pdf)
    assert validate.check_seals(pdf).verdict == validate.VALID_UNTRUSTED
    settings.PA_SEAL_TRUST_ROOTS = [str(certificate.demo_certificate_pem())]
    report = validate.check_seals(pdf)
    assert report.verdict == validate.VALID_TRUSTED
    assert all(s.trusted and s.intact and s.valid for s in report.seals)


def test_the_download_is_exactly_the_stored_sealed_bytes(world, signed, login):
    url = reverse("agreements:signing-signed-pdf", args=["kader", world.framework.pk, signed.round])
    client = login(world.member)
    first, again = client.get(url), client.get(url)
    assert first.status_code == 200
    body = b"".join(first.streaming_content) if first.streaming else first.content
    repeat = b"".join(again.streaming_content) if again.streaming else again.content
    assert body == repeat == bytes(signed.signed_pdf)
    assert hashlib.sha256(body).hexdigest() == signed.signed_pdf_sha256
    assert len(embedded(body)) == len(world.parties)


def test_a_one_byte_change_fails_pyhanko_validation(signed):
    changed = one_byte_changed(bytes(signed.signed_pdf))
    for sig in embedded(changed):
        status = validate_pdf_signature(sig, signer_validation_context=demo_context())
        assert not status.intact
        assert not status.bottom_line
    assert validate.check_seals(changed).verdict == validate.CHANGED


def test_a_revision_appended_after_sealing_is_reported(signed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(bytes(signed.signed_pdf)), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)  # a real change to the document
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    report = validate.check_seals(out.getvalue())
    assert report.verdict == validate.CHANGED
    assert report.change == validate.APPENDED
    assert all(s.intact for s in report.seals)  # what they signed is still there, unchanged


def test_a_signature_with_another_certificate_after_the_seal_is_reported(signed, tmp_path):
    from pyhanko.sign.signers import SimpleSigner

    from agreements.signing.seal.sign import SealEntry, seal_pdf

    path, _ = certificate.ensure_demo_certificate(tmp_path)
    other = SimpleSigner.load_pkcs12_data(
        path.read_bytes(), other_certs=[], passphrase=certificate.DEMO_PASSWORD.encode()
    )
    extra = SealEntry("Nog-een", "Iemand anders", "Toegevoegd", "Elders")
    report = validate.check_seals(seal_pdf(bytes(signed.signed_pdf), [extra], signer=other))
    assert report.verdict == validate.CHANGED
    assert report.change == validate.FOREIGN


def verify_upload(client, data: bytes, name: str = "ondertekend.pdf"):
    upload = SimpleUploadedFile(name, data, "application/pdf")
    return client.post(reverse("agreements:signing-verify"), {"file": upload})


def test_verify_page_shows_seal_and_audit_trail_of_the_round(world, signed, login):
    response = verify_upload(login(world.member), bytes(signed.signed_pdf))
    text = response.text
    assert "Echt: dit is een ondertekende versie" in text
    assert "Geldig maar niet vertrouwd." in text
    assert certificate.DEMO_COMMON_NAME in text
    assert "Verantwoording van de ondertekening" in text
    for signature in Signature.objects.filter(request=signed).select_related("party"):
        assert signature.signer_name in text
        assert signature.party.name in text
        assert signature.get_method_display() in text
    assert text.count("192.0.2.7") == len(world.parties)  # the holder of the PDF sees the IPs
    assert "Ondertekenaar" in text
    assert signed.content_hash in text
    assert signed.signed_pdf_sha256 in text


def test_verify_page_says_a_one_byte_change_was_made_after_sealing(world, signed, login):
    response = verify_upload(login(world.member), one_byte_changed(bytes(signed.signed_pdf)))
    text = response.text
    assert "Gewijzigd: dit bestand is na het verzegelen veranderd" in text
    assert "Verbroken." in text
    assert "verbroken: de ondertekende bytes zijn gewijzigd" in text
    assert "Echt:" not in text
    assert "Verantwoording van de ondertekening" not in text


def test_verify_with_a_pasted_hash_hides_the_ips_from_other_parties(world, signed, login):
    outsider = MembershipFactory(party=PartyFactory(name="Andere corporatie")).user
    response = login(outsider).post(
        reverse("agreements:signing-verify"), {"digest": signed.signed_pdf_sha256}
    )
    assert "Echt: dit is een ondertekende versie" in response.text
    assert "192.0.2.7" not in response.text
    assert "alleen zichtbaar voor de partijen" in response.text
    own = login(world.member).post(
        reverse("agreements:signing-verify"), {"digest": signed.signed_pdf_sha256}
    )
    assert "192.0.2.7" in own.text


def test_verify_refuses_a_file_that_is_not_a_pdf(world, login):
    response = verify_upload(login(world.member), b"GIF89a not a pdf", name="foto.pdf")
    assert response.status_code == 400
    assert "Dit is geen PDF-bestand." in response.text


def test_verify_refuses_an_oversized_file(world, login, settings):
    settings.MAX_UPLOAD_MB = 1
    response = verify_upload(login(world.member), b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert "Het bestand is groter dan 1 MB." in response.text


def test_an_unsealed_pdf_is_reported_without_seal(world, login):
    from core.pdf import html_to_pdf

    response = verify_upload(login(world.member), html_to_pdf("<p lang='nl'>Los</p>"))
    assert "Niet herkend" in response.text
    assert "Geen zegel." in response.text


def test_without_a_certificate_the_last_signature_is_refused(world, settings):
    settings.PA_SEAL_DEMO = False
    settings.PA_SEAL_PKCS12 = None
    put_up(world)
    *first, last = world.parties
    for party in first:
        sign(world, party.slug)
    with pytest.raises(SigningError, match="kan het ondertekende document nu niet verzegelen"):
        sign(world, last.slug)
    request = SigningRequest.objects.get()
    assert request.status == SigningRequest.Status.OPEN
    assert request.signed_pdf is None
    assert not Signature.objects.filter(request=request, party=last).exists()
    # Once the certificate is set, the same signatory signs and the round completes sealed.
    settings.PA_SEAL_DEMO = True
    sign(world, last.slug)
    request.refresh_from_db()
    assert request.status == SigningRequest.Status.SIGNED
    assert len(embedded(bytes(request.signed_pdf))) == len(world.parties)


def test_the_sign_page_shows_the_refusal_in_dutch(world, settings, login):
    from .conftest import PASSWORD

    settings.PA_SEAL_DEMO = False
    put_up(world)
    *first, last = world.parties
    for party in first:
        sign(world, party.slug)
    request = SigningRequest.objects.get()
    url = reverse("agreements:signing-sign", args=["kader", world.framework.pk, request.round])
    signatory = world.signatories[last.slug]
    response = login(signatory).post(
        url, {"confirm": "on", "password": PASSWORD, "otp_code": otp_code(signatory)}
    )
    assert response.status_code == 400
    assert "Uw handtekening is niet opgeslagen" in response.text


def test_a_configured_pkcs12_seals_instead_of_the_demo(world, settings, tmp_path):
    path, created = certificate.ensure_demo_certificate(tmp_path / "eigen")
    assert created
    settings.PA_SEAL_PKCS12 = str(path)
    settings.PA_SEAL_PASSWORD = certificate.DEMO_PASSWORD
    settings.PA_SEAL_DEMO = False
    put_up(world)
    request = sign_all(world)
    from pyhanko.keys import load_cert_from_pemder

    own = load_cert_from_pemder(str(tmp_path / "eigen" / certificate.DEMO_PEM))
    demo = load_cert_from_pemder(str(certificate.demo_certificate_pem()))
    assert own.sha256 != demo.sha256
    for sig in embedded(bytes(request.signed_pdf)):
        assert sig.signer_cert.sha256 == own.sha256


def test_a_wrong_password_makes_the_certificate_unavailable(settings, tmp_path):
    path, _ = certificate.ensure_demo_certificate(tmp_path)
    settings.PA_SEAL_PKCS12 = str(path)
    settings.PA_SEAL_PASSWORD = "fout"
    with pytest.raises(certificate.SealUnavailable, match="PA_SEAL_PASSWORD"):
        certificate.load_signer()


def test_system_check_reports_a_missing_or_unreadable_certificate(settings, tmp_path):
    settings.PA_SEAL_DEMO = False
    settings.PA_SEAL_PKCS12 = None
    [missing] = seal_certificate_check()
    assert missing.id == "signing.E001"
    assert "PA_SEAL_PKCS12" in missing.msg and "PA_SEAL_PASSWORD" in missing.hint
    settings.PA_SEAL_PKCS12 = str(tmp_path / "weg.p12")
    [unreadable] = seal_certificate_check()
    assert unreadable.id == "signing.E001" and "weg.p12" in unreadable.msg
    path, _ = certificate.ensure_demo_certificate(tmp_path)
    settings.PA_SEAL_PKCS12 = str(path)
    settings.PA_SEAL_PASSWORD = certificate.DEMO_PASSWORD
    assert seal_certificate_check() == []
    settings.PA_SEAL_TRUST_ROOTS = [str(tmp_path / "geen-root.pem")]
    assert [m.id for m in seal_certificate_check()] == ["signing.E002"]


def test_system_check_warns_that_the_demo_certificate_seals(settings):
    settings.PA_SEAL_DEMO = True
    settings.PA_SEAL_PKCS12 = None
    assert [m.id for m in seal_certificate_check()] == ["signing.W001"]


def test_load_demo_report_creates_the_demo_certificate_once(settings, tmp_path):
    settings.PA_SEAL_DEMO_DIR = tmp_path / "demo"
    settings.PA_SEAL_PKCS12 = None
    first = certificate.demo_certificate_report()
    assert "aangemaakt" in first[0] and certificate.DEMO_COMMON_NAME in first[0]
    assert "geldig maar niet vertrouwd" in first[1]
    assert (tmp_path / "demo" / certificate.DEMO_P12).exists()
    assert (tmp_path / "demo" / certificate.DEMO_PEM).exists()
    pfx = (tmp_path / "demo" / certificate.DEMO_P12).read_bytes()
    again = certificate.demo_certificate_report()
    assert "aangemaakt" not in again[0]
    assert (tmp_path / "demo" / certificate.DEMO_P12).read_bytes() == pfx


def test_sealing_and_checking_work_inside_a_running_event_loop(signed):
    """An async caller (an ASGI view, Playwright's sync API in a journey) has an event loop
    running; pyHanko's own asyncio.run must not meet it."""
    import asyncio

    from agreements.signing.seal.sign import SealEntry, seal_pdf

    async def seal_and_check() -> validate.SealReport:
        extra = SealEntry("In-een-lus", "Iemand", "Getest", "Hier")
        return validate.check_seals(seal_pdf(bytes(signed.signed_pdf), [extra]))

    report = asyncio.run(seal_and_check())
    assert len(report.seals) == len(embedded(bytes(signed.signed_pdf))) + 1
    assert all(s.intact for s in report.seals)
