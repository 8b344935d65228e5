"""The ledger of sanctioned changes to frozen documents (agreements.signing.freeze.lifting).

A frozen document changes only when the portal's own signing code applies a document that every
party signed: an accepted addendum amends its framework, the last signature adopts an
evaluation. That code writes one ``FreezeLift`` row first, naming the signing round that
authorises the change; on PostgreSQL the triggers lift the freeze only for a document that has
such a row written in the current transaction (agreements.signing.db). The ledger is append-only
(model, queryset and trigger) and holds at most one row per signing round, so a round authorises
one change, once.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


def _refused() -> Exception:
    from agreements.signing.freeze import SignedDocumentError

    return SignedDocumentError(
        str(_("De vastlegging van een toegestane wijziging wordt nooit gewijzigd of verwijderd."))
    )


class FreezeLiftQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise _refused()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise _refused()


class FreezeLift(models.Model):
    """One sanctioned change of a frozen document, authorised by a fully signed round."""

    document = models.CharField(_("soort document"), max_length=60)  # "agreements.Framework"
    object_id = models.PositiveBigIntegerField(_("document-id"))
    request = models.OneToOneField(
        "agreements.SigningRequest",
        verbose_name=_("ondertekenronde die de wijziging toestaat"),
        on_delete=models.PROTECT,
        related_name="freeze_lift",
    )
    # PostgreSQL: the transaction that wrote the row (set by the ledger's trigger, whatever
    # the INSERT says); the triggers lift the freeze in that transaction only. Empty on SQLite.
    xact = models.PositiveBigIntegerField(_("transactie"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    objects = FreezeLiftQuerySet.as_manager()

    class Meta:
        app_label = "agreements"
        verbose_name = _("toegestane wijziging van een ondertekend document")
        verbose_name_plural = _("toegestane wijzigingen van ondertekende documenten")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document}#{self.object_id} (ronde {self.request_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise _refused()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise _refused()
