"""Lock a person out of one action after too many wrong attempts (wrong password or code).

The audit trail is the record: every wrong attempt is an ``<scope>_failed`` entry and every
lock a ``<scope>_locked`` entry, both with the person as actor. After
settings.SECOND_FACTOR_FAILURE_LIMIT failures within settings.SECOND_FACTOR_LOCKOUT_MINUTES
the action is locked for that many minutes; attempts while locked are refused without checking
the password or code. Counting starts afresh after a lock ends. (The login itself is throttled
by django-axes.)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from core.models import AuditEvent


def _lockout() -> timedelta:
    return timedelta(minutes=settings.SECOND_FACTOR_LOCKOUT_MINUTES)


def _last_lock(*, user: Any, scope: str) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(actor_id=user.pk, action=f"{scope}_locked")
        .order_by("-at", "-id")
        .first()
    )


def locked_until(*, user: Any, scope: str) -> datetime | None:
    """The end of the user's current lock of ``scope``, or None when not locked."""
    lock = _last_lock(user=user, scope=scope)
    if lock is not None and lock.at + _lockout() > timezone.now():
        return lock.at + _lockout()
    return None


def failure_record(
    *, user: Any, scope: str, object_type: str, object_id: int, **details: Any
) -> datetime | None:
    """Record a wrong attempt (committed on its own: the refused action rolls back) and lock
    the action when this was one too many. Returns the end of the lock, or None."""
    now = timezone.now()
    with transaction.atomic():
        audit_log(
            actor=user,
            action=f"{scope}_failed",
            object_type=object_type,
            object_id=object_id,
            **details,
        )
        since = now - _lockout()
        lock = _last_lock(user=user, scope=scope)
        if lock is not None:
            since = max(since, lock.at + _lockout())
        failures = AuditEvent.objects.filter(
            actor_id=user.pk, action=f"{scope}_failed", at__gte=since
        ).count()
        if failures < settings.SECOND_FACTOR_FAILURE_LIMIT:
            return None
        audit_log(
            actor=user,
            action=f"{scope}_locked",
            object_type=object_type,
            object_id=object_id,
            failures=failures,
            minutes=settings.SECOND_FACTOR_LOCKOUT_MINUTES,
        )
        return now + _lockout()
