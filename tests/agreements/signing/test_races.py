"""The same party signs the same round many times at once (a double click with one code, or two
signatories of the party at the same moment): one signature is made, the others land on the
document's page with "<partij> heeft deze versie al ondertekend."; never a 500, nothing written
twice, and the repeated code is not counted as a wrong one (no lock-out)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Membership, Signature
from agreements.signing.services import SIGNING_THROTTLE
from core.models import AuditEvent
from core.throttle import locked_until
from tests.factories import MembershipFactory, otp_code
from tests.races import fire, needs_postgres

from .conftest import PASSWORD
from .test_services import put_up

SIGNED = "U hebt getekend."


def _already(world) -> str:
    return f"{world.parties[0].name} heeft deze versie al ondertekend."


def _sign_url(world) -> str:
    return reverse("agreements:signing-sign", args=["kader", world.framework.pk, 1])


def _signed_once(world, *users) -> None:
    assert Signature.objects.filter(party=world.parties[0]).count() == 1
    assert AuditEvent.objects.filter(action="signature_add").count() == 1
    assert not AuditEvent.objects.filter(action__contains="fail").exists()
    for user in users:
        assert locked_until(user=user, scope=SIGNING_THROTTLE) is None


def test_a_second_signature_of_the_party_is_told_it_signed(world, login):
    put_up(world)
    user = world.signatories["gemeente-teststad"]
    client = login(user)
    first = client.post(
        _sign_url(world),
        {"confirm": "on", "password": PASSWORD, "otp_code": otp_code(user)},
        follow=True,
    )
    assert first.status_code == 200 and SIGNED in first.text
    second = client.post(
        _sign_url(world),
        {"confirm": "on", "password": PASSWORD, "otp_code": otp_code(user)},
        follow=True,
    )
    assert second.status_code == 200
    assert second.redirect_chain[-1][0] == reverse(
        "agreements:signing-document", args=["kader", world.framework.pk]
    )
    assert _already(world) in second.text and SIGNED not in second.text
    _signed_once(world, user)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_signatures_of_one_party_sign_once(world):
    needs_postgres()
    put_up(world)
    first = world.signatories["gemeente-teststad"]
    second = MembershipFactory(
        party=world.parties[0], role=Membership.Role.SIGNATORY, user__username="tweede"
    ).user
    # each signatory's double (triple) click sends the same code from their app
    posts = iter(
        [(first, {"confirm": "on", "password": PASSWORD, "otp_code": otp_code(first)})] * 3
        + [(second, {"confirm": "on", "password": PASSWORD, "otp_code": otp_code(second)})] * 3
    )

    def sign():
        user, data = next(posts)
        client = Client()
        client.force_login(user)
        return client.post(_sign_url(world), data, follow=True)

    responses = fire(6, sign)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
    pages = [r.content.decode() for r in responses]
    assert sum(SIGNED in page for page in pages) == 1
    assert sum(_already(world) in page for page in pages) == 5
    _signed_once(world, first, second)
