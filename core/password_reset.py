"""Password-reset mails, rate-limited per address and per client address.

Django's reset form mails every request; twelve requests in a second were twelve mails to one
inbox (a nuisance, and a way to make the portal's mail look like spam). Here each request
counts against the address asked for (hashed: no addresses in the cache) and against the
client's IP address (as django-axes sees it, so PROXY_COUNT applies), in fixed windows of
settings.PASSWORD_RESET_WINDOW_MINUTES in the cache. Beyond either limit the form answers
exactly as always (the neutral "Controleer uw e-mail" page, whether or not an account exists),
but no mail goes out. Requests beyond the limit count too, so hammering does not pay off.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def _hit(kind: str, value: str) -> int:
    """Count one request for ``value`` in the current window; the count so far."""
    digest = hashlib.sha256(value.encode()).hexdigest()
    key = f"password-reset:{kind}:{digest}"
    cache.add(key, 0, timeout=settings.PASSWORD_RESET_WINDOW_MINUTES * 60)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=settings.PASSWORD_RESET_WINDOW_MINUTES * 60)
        return 1


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


def reset_mail_allowed(*, email: str, client: str) -> bool:
    """Count this request; whether a mail may still go out for it."""
    per_address = _hit("address", email.strip().lower())
    per_client = _hit("client", client)
    return (
        per_address <= settings.PASSWORD_RESET_MAILS_PER_ADDRESS
        and per_client <= settings.PASSWORD_RESET_MAILS_PER_CLIENT
    )


class ThrottledPasswordResetForm(PasswordResetForm):
    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        client = client_address(request)
        if not reset_mail_allowed(email=self.cleaned_data["email"], client=client):
            logger.warning("Password-reset mail not sent: rate limit reached (client %s)", client)
            return
        super().save(*args, request=request, **kwargs)
