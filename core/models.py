"""The one audit trail of the portal: who did what to which object, and when.

Written only by ``core.audit.audit_log``, inside the transaction of the change it records, by
every app. (The drafted documents' piece history, ``core.drafting.models.PieceChange``, is
content history for their history pages and restore; this is the event log.)

Append-only, for everyone: a stored entry is never changed or deleted, not by ``save()``, not by
a queryset's ``update()``/``delete()``/``bulk_update()``, not in the admin (core.admin), and on
PostgreSQL not by plain SQL (trigger, core migration 0003). The one change the database allows
is the one Django makes itself when a user is deleted: ``actor`` becomes empty (SET_NULL), the
``actor_name`` of the time stays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryImmutable(ValidationError):
    def __init__(self) -> None:
        super().__init__(_("Een logregel wordt nooit gewijzigd of verwijderd."))

    def __str__(self) -> str:
        return " ".join(str(message) for message in self.messages)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditEntryImmutable()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable()


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The username at the time, or "systeem:<job>" for the portal's own jobs.
    actor_name = models.CharField(_("naam van wie handelde"), max_length=150, blank=True)
    action = models.CharField(_("handeling"), max_length=64, db_index=True)
    # A model name ("milestone", "bid"), or a signable document's key ("kader", "jaarschijf").
    object_type = models.CharField(_("soort object"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object-id"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("logregel")
        verbose_name_plural = _("logregels")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEntryImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditEntryImmutable()


# The drafting machinery's tables belong to the core app (see core/drafting/__init__.py).
from core.drafting.models import (  # noqa: E402, F401
    DocumentVisit,
    PieceChange,
    PieceComment,
    PiecePresence,
)
