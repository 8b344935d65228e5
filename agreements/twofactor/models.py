"""A user's authenticator app (TOTP, on django-otp's Device) and their recovery codes.

The seed is stored encrypted (crypto.py) and the recovery codes as SHA-256 digests: the database,
the admin and the audit trail never hold either in readable form. The seed is shown to its user
only while they set the app up, and the recovery codes once, right after.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.oath import TOTP

from agreements.twofactor.crypto import decrypt_seed, encrypt_seed

TOTP_STEP = 30
TOTP_DIGITS = 6
# One step either way: a phone's clock that is up to 30 seconds off still works.
TOTP_TOLERANCE = 1


class AuthenticatorDevice(Device):
    """One TOTP authenticator app per user; unconfirmed until the user typed a code from it."""

    encrypted_seed = models.TextField(_("versleutelde sleutel"), editable=False)
    # The time step of the last accepted code: a code is accepted once (no replay).
    last_t = models.BigIntegerField(default=-1, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(
        _("demo"),
        default=False,
        editable=False,
        help_text=_("Gemaakt door load_demo met de gepubliceerde demosleutel."),
    )

    class Meta:
        verbose_name = _("authenticator-app")
        verbose_name_plural = _("authenticator-apps")
        constraints = [
            models.UniqueConstraint(fields=["user"], name="one_authenticator_per_user"),
        ]

    @property
    def seed(self) -> bytes:
        return decrypt_seed(self.encrypted_seed)

    @seed.setter
    def seed(self, value: bytes) -> None:
        self.encrypted_seed = encrypt_seed(value)

    def _totp(self) -> TOTP:
        return TOTP(self.seed, step=TOTP_STEP, digits=TOTP_DIGITS)

    def verify_token(self, token) -> bool:
        """True for a current code not accepted before; records its time step (no replay)."""
        token = "".join(str(token or "").split())
        if len(token) != TOTP_DIGITS or not token.isdigit():
            return False
        totp = self._totp()
        if not totp.verify(int(token), tolerance=TOTP_TOLERANCE, min_t=self.last_t + 1):
            return False
        self.last_t = totp.t()
        self.save(update_fields=["last_t"])
        return True

    def was_just_used(self, token) -> bool:
        """True when ``token`` is right but its time step was already used (a replay)."""
        token = "".join(str(token or "").split())
        if len(token) != TOTP_DIGITS or not token.isdigit() or self.last_t < 0:
            return False
        totp = self._totp()
        return totp.verify(int(token), tolerance=TOTP_TOLERANCE) and totp.t() <= self.last_t


class RecoveryCode(models.Model):
    """A single-use code for when the phone is not at hand; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("herstelcode")
        verbose_name_plural = _("herstelcodes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_sha256"], name="recovery_code_once"),
        ]

    def __str__(self) -> str:
        return f"herstelcode van {self.user}"

    @staticmethod
    def normalise(code: str) -> str:
        return "".join(ch for ch in (code or "").lower() if ch.isalnum())

    @classmethod
    def digest(cls, code: str) -> str:
        return hashlib.sha256(cls.normalise(code).encode("ascii", "ignore")).hexdigest()
