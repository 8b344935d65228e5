"""The otpauth:// address of a device and its QR code (segno; an SVG data URI for an <img>)."""

from __future__ import annotations

import base64
from urllib.parse import quote, urlencode

import segno
from django.conf import settings

from agreements.twofactor.models import TOTP_DIGITS, TOTP_STEP, AuthenticatorDevice


def secret_base32(device: AuthenticatorDevice) -> str:
    """The secret as authenticator apps take it when typed in: base32, in groups of four."""
    raw = base64.b32encode(device.seed).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def otpauth_uri(device: AuthenticatorDevice) -> str:
    issuer = settings.PORTAL_NAME
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = {
        "secret": secret_base32(device).replace(" ", ""),
        "issuer": issuer,
        "digits": TOTP_DIGITS,
        "period": TOTP_STEP,
        "algorithm": "SHA1",
    }
    return f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"


def qr_data_uri(device: AuthenticatorDevice) -> str:
    return segno.make(otpauth_uri(device), error="m").svg_data_uri(
        scale=5, border=4, dark="#000", light="#fff"
    )
