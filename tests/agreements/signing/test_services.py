"""Signing services: put up, sign with the password again, decline, complete."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from agreements.canonical import canonical_bytes, framework_content
from agreements.models import Framework, Membership, Signature, SigningRequest
from agreements.signing.framework import FrameworkSignable
from agreements.signing.registry import adapter_for, signable_types
from agreements.signing.services import (
    SigningError,
    signature_add,
    signing_decline,
    signing_put_up,
)
from agreements.signing.snapshot import renderings_match, signed_data
from core.already import AlreadyDone
from core.models import AuditEvent
from tests.factories import MembershipFactory, otp_code

from .conftest import PASSWORD


def put_up(world):
    return signing_put_up(signable=FrameworkSignable(world.framework), user=world.working_group)


def sign(world, slug, password=PASSWORD, request=None, **extra):
    request = request or SigningRequest.objects.get(status="open")
    user = world.signatories[slug]
    if "otp_code" not in extra:
        extra["otp_code"] = otp_code(user)
    return signature_add(
        signing_request=request,
        user=user,
        password=password,
        **extra,
        ip_address="192.0.2.7",
        user_agent="pytest",
    )


def sign_all(world):
    for party in world.parties:
        sign(world, party.slug)
    return SigningRequest.objects.get(status="ondertekend")


def test_framework_and_addendum_are_registered():
    assert {"kader", "addendum"} <= set(signable_types())


def test_canonical_content_is_deterministic_sorted_json(world):
    first = canonical_bytes(framework_content(world.framework))
    again = canonical_bytes(framework_content(Framework.objects.get(pk=world.framework.pk)))
    assert first == again
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert data["themes"][0]["agreements"][0]["targets"][0]["value"] == "100.00"


def test_put_up_freezes_and_records_hash_and_round(world):
    request = put_up(world)
    world.framework.refresh_from_db()
    assert world.framework.signing_state == Framework.SigningState.UP_FOR_SIGNING
    assert request.round == 1
    # The hash covers the data and the SHA-256 of both stored renderings (the snapshot).
    assert request.content_hash == hashlib.sha256(request.content.encode("utf-8")).hexdigest()
    assert signed_data(request) == json.loads(canonical_bytes(framework_content(world.framework)))
    assert renderings_match(request)
    assert "Kader Teststad" in request.document_html
    assert request.page_html.lstrip().startswith('<div class="pa-document">')
    assert set(request.parties.all()) == set(world.parties)
    assert AuditEvent.objects.filter(action="signing_put_up").exists()


def test_put_up_tells_the_signatories_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        put_up(world)
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {u.email for u in world.signatories.values()}


def test_only_working_group_puts_up(world):
    with pytest.raises(PermissionDenied):
        signing_put_up(
            signable=FrameworkSignable(world.framework), user=world.signatories["gemeente-teststad"]
        )


def test_put_up_is_refused_while_a_party_has_no_signatory(world):
    Membership.objects.filter(user=world.signatories["huurders-test"]).update(role="member")
    with pytest.raises(SigningError, match="Huurders Test"):
        put_up(world)
    assert not SigningRequest.objects.exists()


def test_put_up_twice_is_refused(world):
    put_up(world)
    with pytest.raises(SigningError):
        put_up(world)


def test_wrong_password_stores_nothing(world):
    put_up(world)
    with pytest.raises(SigningError, match="wachtwoord klopt niet"):
        sign(world, "gemeente-teststad", password="verkeerd")
    assert not Signature.objects.exists()


def test_signature_records_who_where_and_what(world):
    request = put_up(world)
    signature = sign(world, "woonstichting-test")
    assert signature.party.slug == "woonstichting-test"
    assert signature.job_title == "bestuurder"
    assert signature.ip_address == "192.0.2.7"
    assert signature.user_agent == "pytest"
    assert signature.content_hash == request.content_hash
    assert signature.round == 1
    assert signature.role == Membership.Role.SIGNATORY


def test_nobody_signs_twice_for_a_party(world):
    put_up(world)
    sign(world, "gemeente-teststad")
    second = MembershipFactory(
        party=world.parties[0], role=Membership.Role.SIGNATORY, user__username="tweede"
    ).user
    world.signatories["gemeente-teststad"] = second
    with pytest.raises(AlreadyDone, match="al ondertekend"):
        sign(world, "gemeente-teststad")
    assert Signature.objects.count() == 1


def test_database_refuses_a_second_signature_per_party(world):
    request = put_up(world)
    signature = sign(world, "gemeente-teststad")
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            request=request,
            party=signature.party,
            signer=signature.signer,
            signer_name="x",
            role="signatory",
            signed_at=signature.signed_at,
            content_hash=request.content_hash,
            round=1,
        )


@pytest.mark.parametrize("who", ["member", "working_group"])
def test_only_signatories_sign(world, who):
    put_up(world)
    user = world.member if who == "member" else world.working_group
    with pytest.raises(PermissionDenied):
        signature_add(
            signing_request=SigningRequest.objects.get(),
            user=user,
            password=PASSWORD,
            otp_code="000000",
        )


def test_a_signatory_of_another_party_cannot_sign(world):
    put_up(world)
    outsider = MembershipFactory(role=Membership.Role.SIGNATORY).user
    with pytest.raises(PermissionDenied):
        signature_add(
            signing_request=SigningRequest.objects.get(),
            user=outsider,
            password=PASSWORD,
            otp_code="000000",
        )


def test_last_signature_signs_the_document_and_stores_its_pdf(world):
    put_up(world)
    request = sign_all(world)
    world.framework.refresh_from_db()
    assert world.framework.signing_state == Framework.SigningState.SIGNED
    pdf = bytes(request.signed_pdf)
    assert pdf.startswith(b"%PDF-")
    assert request.signed_pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert request.completed_at is not None


def test_decline_returns_to_concept_and_tells_everybody(world, django_capture_on_commit_callbacks):
    request = put_up(world)
    sign(world, "gemeente-teststad")
    with django_capture_on_commit_callbacks(execute=True):
        signing_decline(
            signing_request=request,
            user=world.signatories["huurders-test"],
            reason="Paragraaf 2 klopt niet.",
        )
    request.refresh_from_db()
    world.framework.refresh_from_db()
    assert request.status == SigningRequest.Status.DECLINED
    assert request.declined_party.slug == "huurders-test"
    assert world.framework.signing_state == Framework.SigningState.OPEN
    declined = [m for m in mail.outbox if "Niet getekend" in m.subject]
    recipients = {a for m in declined for a in m.to}
    assert world.working_group.email in recipients
    assert {u.email for u in world.signatories.values()} <= recipients
    assert "Paragraaf 2 klopt niet." in declined[0].body


def test_decline_needs_a_reason(world):
    request = put_up(world)
    with pytest.raises(SigningError):
        signing_decline(
            signing_request=request, user=world.signatories["huurders-test"], reason=" "
        )


def test_signatures_of_an_older_round_are_void(world):
    from agreements.signing.selectors import signature_is_void

    first = put_up(world)
    old = sign(world, "gemeente-teststad")
    signing_decline(signing_request=first, user=world.signatories["huurders-test"], reason="Nee")
    second = put_up(world)
    assert second.round == 2
    assert signature_is_void(old, latest_round=2, request=first)
    new = sign(world, "gemeente-teststad", request=second)
    assert not signature_is_void(new, latest_round=2, request=second)


def test_cannot_sign_a_closed_round(world):
    request = put_up(world)
    signing_decline(signing_request=request, user=world.signatories["huurders-test"], reason="Nee")
    with pytest.raises(SigningError, match="afgesloten"):
        sign(world, "gemeente-teststad", request=request)


def test_adapter_for_finds_the_framework(world):
    assert adapter_for(world.framework).key == "kader"
