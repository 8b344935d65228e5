"""Cycle years and their milestones.

A milestone's ``deadline`` is the exclusive "vóór" date, as in the process calendar: the bid
"vóór 1 juli" has deadline 1 July, and the last day to deliver is 30 June.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models import Framework, Party, ProcessStep


class CycleYear(models.Model):
    municipality = models.ForeignKey(
        Party,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="cycle_years",
        limit_choices_to={"kind": Party.Kind.MUNICIPALITY},
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("kader"), on_delete=models.PROTECT, related_name="cycle_years"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("cyclusjaar")
        verbose_name_plural = _("cyclusjaren")
        ordering = ["municipality__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "year"], name="cycle_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"

    @property
    def plan_year(self) -> int:
        """The year of the jaarschijf this cycle year drafts (cycle year 2026: jaarschijf 2027)."""
        return self.year + 1


class Milestone(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("Algemeen")
        BID = "bid", _("Bod")

    cycle_year = models.ForeignKey(
        CycleYear, verbose_name=_("cyclusjaar"), on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    deadline = models.DateField(
        _("uiterste datum (vóór)"),
        help_text=_("De datum vóór welke het resultaat er moet zijn, zoals 1 juli voor het bod."),
    )
    owner_party = models.ForeignKey(
        Party,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        help_text=_("Leeg: de werkgroep van alle partijen samen."),
    )
    owner_kind = models.CharField(
        _("eigenaar (soort partij)"), max_length=32, choices=Party.Kind.choices, blank=True
    )
    is_statutory = models.BooleanField(_("wettelijke termijn"), default=False)
    deliverable_year = models.PositiveSmallIntegerField(_("betreft jaar"))
    source_step = models.ForeignKey(
        ProcessStep,
        verbose_name=_("processtap"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    done_at = models.DateTimeField(_("gereed op"), null=True, blank=True)
    note = models.TextField(_("notitie"), blank=True)
    # iCalendar SEQUENCE: raised by every service that changes what a calendar shows.
    sequence = models.PositiveIntegerField(_("volgnummer"), default=0)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["cycle_year", "deadline", "id"]
        indexes = [models.Index(fields=["deadline"], name="milestone_deadline_idx")]

    def __str__(self) -> str:
        return self.title
