"""The admin lists who set up an app, never a seed or a recovery code; removing one is audited."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from agreements.twofactor.models import AuthenticatorDevice, RecoveryCode
from agreements.twofactor.services import device_confirm, device_setup_start
from core.models import AuditEvent
from tests.factories import UserFactory, otp_code


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(username="beheer", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def device(db):
    user = UserFactory(username="tekenaar")
    started = device_setup_start(user=user)
    device_confirm(user=user, code=f"{TOTP(started.seed).token():06d}")
    return AuthenticatorDevice.objects.get(pk=started.pk)


def test_the_device_page_shows_no_secret(admin_client, device):
    seed = device.seed
    forms = [
        seed.hex(),
        base64.b32encode(seed).decode().rstrip("="),
        device.encrypted_seed,
        *RecoveryCode.objects.values_list("code_sha256", flat=True),
    ]
    for url in [
        reverse("admin:twofactor_authenticatordevice_changelist"),
        reverse("admin:twofactor_authenticatordevice_change", args=[device.pk]),
    ]:
        page = admin_client.get(url)
        assert page.status_code == 200
        assert not [secret for secret in forms if secret in page.text], url


def test_recovery_codes_are_not_in_the_admin(admin_client, device):
    assert admin_client.get("/admin/twofactor/recoverycode/").status_code == 404


def test_the_admin_cannot_add_or_change_a_device(admin_client, device):
    assert admin_client.get(reverse("admin:twofactor_authenticatordevice_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:twofactor_authenticatordevice_change", args=[device.pk]),
        {"name": "anders", "confirmed": "on"},
    )
    assert response.status_code == 403
    assert AuthenticatorDevice.objects.get(pk=device.pk).name != "anders"


def test_removing_a_device_for_a_lost_phone_is_audited(admin_client, device):
    response = admin_client.post(
        reverse("admin:twofactor_authenticatordevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AuthenticatorDevice.objects.filter(pk=device.pk).exists()
    assert not RecoveryCode.objects.filter(user=device.user).exists()
    assert AuditEvent.objects.filter(
        action="two_factor_reset_by_admin", object_id=device.user_id
    ).exists()


def test_the_test_helper_gives_a_working_code(db):
    user = UserFactory()
    code = otp_code(user)
    assert AuthenticatorDevice.objects.get(user=user).verify_token(code)
