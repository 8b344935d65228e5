"""Encryption of TOTP seeds at rest (Fernet: AES-128-CBC with an HMAC, from `cryptography`).

The keys come from settings.TOTP_ENCRYPTION_KEYS (environment variable TOTP_ENCRYPTION_KEY,
comma-separated: the first encrypts, every one decrypts, so a key can be rotated). A database
dump without that key holds no usable seed.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    keys = settings.TOTP_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("TOTP_ENCRYPTION_KEY is not set.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "TOTP_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes each)."
        ) from exc


def encrypt_seed(seed: bytes) -> str:
    return _fernet().encrypt(seed).decode("ascii")


def decrypt_seed(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A TOTP seed cannot be decrypted with TOTP_ENCRYPTION_KEY (wrong or rotated-out key)."
        ) from exc
