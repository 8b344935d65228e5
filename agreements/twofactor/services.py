"""Writes of two-step verification: set up, confirm, reset, check a code. Audited.

A code is a 6-digit TOTP code from the user's authenticator app, or one of their ten recovery
codes (used up by the check). Seeds and recovery codes are never written to the audit trail.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.twofactor.models import TOTP_DIGITS, AuthenticatorDevice, RecoveryCode
from core.audit import audit_log
from core.throttle import failure_record, locked_until

SEED_BYTES = 20  # 160 bits, as RFC 4226 recommends
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code written on paper is read back without doubt.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# Wrong codes at the login step and wrong passwords at a reset share one throttle.
THROTTLE_SCOPE = "two_factor"


class TwoFactorError(Exception):
    """A refused step, with a Dutch message; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class Method:
    """Which second factor a code was (stored on a Signature as part of its method)."""

    TOTP = "totp"
    RECOVERY = "herstelcode"


def device_for_user(user: Any, *, confirmed: bool | None = True) -> AuthenticatorDevice | None:
    devices = AuthenticatorDevice.objects.filter(user_id=user.pk)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.first()


def has_device(user: Any) -> bool:
    return device_for_user(user) is not None


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=True).count()


@transaction.atomic
def device_setup_start(*, user: Any) -> AuthenticatorDevice:
    """The user's unconfirmed device with a fresh secret (the same one on a reload of the page,
    so a scanned QR code keeps working). Refused when a confirmed device exists."""
    if has_device(user):
        raise TwoFactorError(_("Tweestapsverificatie is al ingesteld."))
    device = device_for_user(user, confirmed=False)
    if device is None:
        device = AuthenticatorDevice(user=user, name="Authenticator-app", confirmed=False)
        device.seed = secrets.token_bytes(SEED_BYTES)
        device.save()
    return device


def _new_recovery_codes(user: Any) -> list[str]:
    RecoveryCode.objects.filter(user_id=user.pk).delete()
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _j in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_sha256=RecoveryCode.digest(code)) for code in codes]
    )
    return codes


@transaction.atomic
def device_confirm(*, user: Any, code: str) -> list[str]:
    """Confirm the unconfirmed device with a code from the app; returns ten new recovery codes
    in plain text, to be shown once (only their digests are stored)."""
    device = (
        AuthenticatorDevice.objects.select_for_update()
        .filter(user_id=user.pk, confirmed=False)
        .first()
    )
    if device is None:
        raise TwoFactorError(_("Begin opnieuw met het instellen van tweestapsverificatie."))
    if not device.verify_token(code):
        raise TwoFactorError(
            _(
                "De code klopt niet. Typ de %(digits)s cijfers die de app nu toont, en controleer "
                "of de tijd op uw telefoon goed staat."
            )
            % {"digits": TOTP_DIGITS},
            field="code",
        )
    device.confirmed = True
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed", "confirmed_at"])
    codes = _new_recovery_codes(user)
    audit_log(actor=user, action="two_factor_setup", obj=user)
    return codes


def device_reset(*, user: Any, password: str) -> None:
    """Remove the user's device and recovery codes, after their password, to set up again.

    A wrong password counts toward the two-factor throttle (a stolen session cannot guess it).
    """
    until = locked_until(user=user, scope=THROTTLE_SCOPE)
    if until is not None:
        raise TwoFactorError(locked_message(until), field="password")
    if not password or not user.check_password(password):
        until = failure_record(
            user=user, scope=THROTTLE_SCOPE, object_type="user", object_id=user.pk, step="reset"
        )
        if until is not None:
            raise TwoFactorError(locked_message(until), field="password")
        raise TwoFactorError(_("Het wachtwoord klopt niet."), field="password")
    with transaction.atomic():
        AuthenticatorDevice.objects.filter(user_id=user.pk).delete()
        RecoveryCode.objects.filter(user_id=user.pk).delete()
        audit_log(actor=user, action="two_factor_reset", obj=user)


def locked_message(until) -> str:
    minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
    return _("Te veel onjuiste pogingen. Probeer het over %(minutes)s minuten opnieuw.") % {
        "minutes": minutes
    }


def code_check(*, user: Any, code: str) -> str | None:
    """Check a second-factor code inside the caller's transaction: the Method it was, or None.

    A TOTP code is accepted once; a recovery code is used up. Call it only after the password
    (or the login) was checked, and count a None as a failure.
    """
    device = (
        AuthenticatorDevice.objects.select_for_update()
        .filter(user_id=user.pk, confirmed=True)
        .first()
    )
    if device is None:
        return None
    compact = "".join((code or "").split())
    if compact.isdigit():
        return Method.TOTP if device.verify_token(compact) else None
    recovery = (
        RecoveryCode.objects.select_for_update()
        .filter(user_id=user.pk, used_at__isnull=True, code_sha256=RecoveryCode.digest(code))
        .first()
    )
    if recovery is None:
        return None
    recovery.used_at = timezone.now()
    recovery.save(update_fields=["used_at"])
    return Method.RECOVERY


def wrong_code_message(*, user: Any, code: str) -> str:
    device = device_for_user(user)
    if device is not None and device.was_just_used(code):
        return _("Deze code is al gebruikt. Wacht op de volgende code in uw app.")
    return _("De code klopt niet.")


def login_verify(*, user: Any, code: str) -> AuthenticatorDevice:
    """The code step of the login (REQUIRE_2FA_LOGIN): the device to mark the session with."""
    until = locked_until(user=user, scope=THROTTLE_SCOPE)
    if until is not None:
        raise TwoFactorError(locked_message(until), field="code")
    with transaction.atomic():
        method = code_check(user=user, code=code)
        if method is not None:
            audit_log(actor=user, action="two_factor_login", obj=user, method=method)
            return device_for_user(user)
    message = wrong_code_message(user=user, code=code)
    until = failure_record(
        user=user, scope=THROTTLE_SCOPE, object_type="user", object_id=user.pk, step="login"
    )
    if until is not None:
        raise TwoFactorError(locked_message(until), field="code")
    raise TwoFactorError(message, field="code")


@transaction.atomic
def demo_device_ensure(*, user: Any, seed: bytes) -> AuthenticatorDevice:
    """load_demo only: a confirmed device with the published demo secret (never in production:
    anyone who read the README can compute its codes). A confirmed device the user has already
    (the demo one, or their own after a reset) is kept: running load_demo again changes nothing.
    """
    existing = device_for_user(user)
    if existing is not None:
        return existing
    AuthenticatorDevice.objects.filter(user_id=user.pk).delete()
    device = AuthenticatorDevice(
        user=user,
        name="Demo-authenticator",
        confirmed=True,
        confirmed_at=timezone.now(),
        is_demo=True,
    )
    device.seed = seed
    device.save()
    return device
