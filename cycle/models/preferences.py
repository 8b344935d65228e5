"""Reminders sent (once only) and each user's cycle preferences (reminders, calendar feed)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models import Party
from cycle.models.cycle_year import Milestone


class ReminderSent(models.Model):
    """One reminder per party, milestone and step. The row is inserted *before* the e-mail is
    sent, in the same transaction, so the unique constraint stops a second worker."""

    class Step(models.TextChoices):
        DAYS_30 = "30", _("30 dagen vooraf")
        DAYS_14 = "14", _("14 dagen vooraf")
        DAYS_3 = "3", _("3 dagen vooraf")
        OVERDUE = "overdue", _("termijn verstreken")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(max_length=10, choices=Step.choices)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verstuurde herinnering")
        verbose_name_plural = _("verstuurde herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "milestone", "step"], name="reminder_once_per_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} – {self.milestone} ({self.step})"


def new_feed_token() -> str:
    """A new secret for a calendar-feed link (shown once, stored only as its hash)."""
    return secrets.token_urlsafe(32)


def hash_feed_token(token: str) -> str:
    """The SHA-256 (hex) under which a feed token is stored and looked up. The token is 256
    random bits, so a plain, unsalted hash suffices: it cannot be guessed from the hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class CyclePreference(models.Model):
    """A user's own settings for the cycle: e-mail reminders and the calendar feed.

    The feed's secret token is never stored: only its SHA-256 (``feed_token_hash``); empty
    until the user makes a feed link (cycle.services.feed_token_regenerate), which shows the
    link once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cycle_preference"
    )
    reminders_enabled = models.BooleanField(_("herinneringen per e-mail"), default=True)
    feed_token_hash = models.CharField(
        _("SHA-256 van het agenda-geheim"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        default=None,
    )

    class Meta:
        verbose_name = _("voorkeur jaarcyclus")
        verbose_name_plural = _("voorkeuren jaarcyclus")

    def __str__(self) -> str:
        return str(self.user)
