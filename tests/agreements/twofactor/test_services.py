"""Two-step verification services: set up, confirm, codes once, recovery codes, reset, throttle."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_otp.oath import TOTP

from agreements.twofactor import services
from agreements.twofactor.models import AuthenticatorDevice, RecoveryCode
from core.models import AuditEvent
from tests.factories import DEFAULT_PASSWORD, UserFactory


def code_for(device, *, at=None) -> str:
    totp = TOTP(AuthenticatorDevice.objects.get(pk=device.pk).seed)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


@pytest.fixture
def user(db):
    return UserFactory(username="tekenaar")


@pytest.fixture
def confirmed(user):
    device = services.device_setup_start(user=user)
    codes = services.device_confirm(user=user, code=code_for(device))
    return AuthenticatorDevice.objects.get(pk=device.pk), codes


def test_setup_starts_an_unconfirmed_device_and_keeps_it_on_a_reload(user):
    first = services.device_setup_start(user=user)
    again = services.device_setup_start(user=user)
    assert first.pk == again.pk
    assert not first.confirmed
    assert services.device_for_user(user) is None


def test_the_seed_is_stored_encrypted_not_in_hex_or_base32(user):
    device = services.device_setup_start(user=user)
    seed = device.seed
    assert len(seed) == services.SEED_BYTES
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT encrypted_seed FROM twofactor_authenticatordevice WHERE id = %s", [device.pk]
        )
        stored = cursor.fetchone()[0]
    import base64

    assert seed.hex() not in stored
    assert base64.b32encode(seed).decode().rstrip("=") not in stored
    assert stored.startswith("gAAAA")  # a Fernet token


def test_a_wrong_code_does_not_confirm(user):
    services.device_setup_start(user=user)
    with pytest.raises(services.TwoFactorError, match="De code klopt niet"):
        services.device_confirm(user=user, code="000000")
    assert not services.has_device(user)


def test_confirming_gives_ten_recovery_codes_stored_only_as_digests(user, confirmed):
    device, codes = confirmed
    assert device.confirmed and device.confirmed_at is not None
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(user=user).values_list("code_sha256", flat=True))
    assert len(stored) == 10
    assert not set(codes) & set(stored)
    assert RecoveryCode.digest(codes[0]) in stored
    assert AuditEvent.objects.filter(action="two_factor_setup", actor=user).exists()


def test_setup_is_refused_once_confirmed(user, confirmed):
    with pytest.raises(services.TwoFactorError, match="al ingesteld"):
        services.device_setup_start(user=user)


def test_a_totp_code_is_accepted_once(user, confirmed):
    device, _codes = confirmed
    # The confirming code's time step is used; the next step's code works once.
    later = timezone.now().timestamp() + 30
    code = code_for(device, at=later)
    with mock.patch("django_otp.oath.time", return_value=later):
        assert services.code_check(user=user, code=code) == services.Method.TOTP
        assert services.code_check(user=user, code=code) is None
        assert "al gebruikt" in services.wrong_code_message(user=user, code=code)


def test_a_code_two_steps_off_is_refused(user, confirmed):
    device, _codes = confirmed
    stale = code_for(device, at=timezone.now().timestamp() - 90)
    assert services.code_check(user=user, code=stale) is None


def test_a_recovery_code_works_once_in_any_spelling(user, confirmed):
    _device, codes = confirmed
    assert services.code_check(user=user, code=codes[3].upper().replace("-", " ")) == "herstelcode"
    assert services.code_check(user=user, code=codes[3]) is None
    assert services.recovery_codes_left(user) == 9


def test_another_users_recovery_code_is_refused(user, confirmed):
    _device, codes = confirmed
    other = UserFactory()
    services.device_confirm(user=other, code=code_for(services.device_setup_start(user=other)))
    assert services.code_check(user=other, code=codes[0]) is None


def test_reset_needs_the_password_and_removes_device_and_codes(user, confirmed):
    with pytest.raises(services.TwoFactorError, match="wachtwoord klopt niet"):
        services.device_reset(user=user, password="fout")
    assert services.has_device(user)
    services.device_reset(user=user, password=DEFAULT_PASSWORD)
    assert not AuthenticatorDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="two_factor_reset", actor=user).exists()


def test_login_step_locks_after_five_wrong_codes(user, confirmed, settings):
    device, _codes = confirmed
    for _i in range(4):
        with pytest.raises(services.TwoFactorError, match="De code klopt niet"):
            services.login_verify(user=user, code="000000")
    with pytest.raises(services.TwoFactorError, match="Te veel onjuiste pogingen"):
        services.login_verify(user=user, code="000000")
    later = timezone.now().timestamp() + 30
    with (
        mock.patch("django_otp.oath.time", return_value=later),
        pytest.raises(services.TwoFactorError, match="Te veel onjuiste pogingen"),
    ):
        services.login_verify(user=user, code=code_for(device, at=later))
    assert AuditEvent.objects.filter(action="two_factor_failed", actor=user).count() == 5
    assert AuditEvent.objects.filter(action="two_factor_locked", actor=user).count() == 1
    # After the lock-out the right code works again.
    after = timezone.now() + timedelta(minutes=settings.SECOND_FACTOR_LOCKOUT_MINUTES + 1)
    with (
        mock.patch("django.utils.timezone.now", return_value=after),
        mock.patch("django_otp.oath.time", return_value=after.timestamp()),
    ):
        code = code_for(device, at=after.timestamp())
        assert services.login_verify(user=user, code=code).pk == device.pk


def test_demo_totp_prints_the_code_of_a_demo_device_only(user):
    services.demo_device_ensure(user=user, seed=b"kerkrade-demo-totp!!")
    out = StringIO()
    call_command("demo_totp", "tekenaar", stdout=out)
    assert out.getvalue().strip() == f"{TOTP(b'kerkrade-demo-totp!!').token():06d}"
    own = UserFactory(username="echt")
    services.device_confirm(user=own, code=code_for(services.device_setup_start(user=own)))
    with pytest.raises(CommandError, match="geen demo-authenticator"):
        call_command("demo_totp", "echt", stdout=StringIO())
