"""Wrong passwords or codes at signing lock signing for that person, like the login does."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from agreements.models import Signature
from agreements.signing.services import SigningError, SigningLocked
from agreements.twofactor.models import AuthenticatorDevice
from core.models import AuditEvent
from tests.factories import otp_code

from .test_services import put_up, sign

LOCKED = "Te veel onjuiste pogingen. U kunt over 15 minuten opnieuw tekenen."


@pytest.fixture
def signer(world):
    put_up(world)
    return world.signatories["gemeente-teststad"]


def wrong_passwords(world, times: int) -> list[str]:
    messages = []
    for _i in range(times):
        with pytest.raises(SigningError) as error:
            sign(world, "gemeente-teststad", password="verkeerd")
        messages.append(str(error.value))
    return messages


def test_the_fifth_wrong_password_locks_signing(world, signer):
    messages = wrong_passwords(world, 5)
    assert all("Het wachtwoord klopt niet" in m for m in messages[:4])
    assert messages[4] == LOCKED


def test_the_right_password_and_code_are_refused_while_locked(world, signer):
    wrong_passwords(world, 5)
    with pytest.raises(SigningLocked, match="Te veel onjuiste pogingen"):
        sign(world, "gemeente-teststad")
    assert not Signature.objects.exists()


def test_twenty_five_wrong_attempts_then_the_right_one_does_not_sign(world, signer):
    """The issue's finding: 25 wrong attempts and then the right one used to sign."""
    messages = wrong_passwords(world, 25)
    assert messages[5:] == [LOCKED] * 20
    with pytest.raises(SigningLocked):
        sign(world, "gemeente-teststad")
    assert not Signature.objects.exists()


def test_wrong_codes_count_too(world, signer):
    otp_code(signer)
    for _i in range(4):
        with pytest.raises(SigningError, match="De code klopt niet"):
            sign(world, "gemeente-teststad", otp_code="000000")
    with pytest.raises(SigningLocked):
        sign(world, "gemeente-teststad", otp_code="000000")


def test_each_failure_and_the_lock_are_in_the_audit_trail(world, signer):
    wrong_passwords(world, 5)
    failures = AuditEvent.objects.filter(action="signing_failed", actor=signer)
    assert failures.count() == 5
    assert failures.first().details["reason"] == "password"
    assert failures.first().object_type == "kader"
    lock = AuditEvent.objects.get(action="signing_locked", actor=signer)
    assert lock.details["failures"] == 5
    assert lock.object_id == world.framework.pk


def test_the_lock_is_per_person(world, signer):
    wrong_passwords(world, 5)
    signature = sign(world, "woonstichting-test")
    assert signature.party.slug == "woonstichting-test"


def test_signing_works_again_after_the_lock_out(world, signer, settings):
    wrong_passwords(world, 5)
    otp_code(signer)
    later = timezone.now() + timedelta(minutes=settings.SECOND_FACTOR_LOCKOUT_MINUTES, seconds=5)
    totp = TOTP(AuthenticatorDevice.objects.get(user=signer).seed)
    totp.time = later.timestamp()  # the code the app shows then
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("django_otp.oath.time", return_value=later.timestamp()),
    ):
        signature = sign(world, "gemeente-teststad", otp_code=f"{totp.token():06d}")
    assert signature.signer == signer


def test_failures_spread_over_more_than_the_window_do_not_lock(world, signer, settings):
    wrong_passwords(world, 4)
    later = timezone.now() + timedelta(minutes=settings.SECOND_FACTOR_LOCKOUT_MINUTES + 1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        messages = wrong_passwords(world, 1)
    assert "Het wachtwoord klopt niet" in messages[0]


def test_the_page_shows_the_dutch_lock_message(world, signer, login):
    wrong_passwords(world, 5)
    url = reverse("agreements:signing-sign", args=["kader", world.framework.pk, 1])
    response = login(signer).post(
        url, {"confirm": "on", "password": "geheim-voor-tests", "otp_code": otp_code(signer)}
    )
    assert response.status_code == 400
    assert LOCKED in response.text
    assert not Signature.objects.exists()
