"""Writes of the cycle. Every service is atomic and writes its audit entry in the same
transaction; callers have already decided access (cycle.access), services check the rules
that hold whoever calls them (a draft is changed only by its own corporation, and so on)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.access import user_party
from agreements.models import Framework, Party, ProcessStep
from agreements.selectors import framework_in_force
from core.actors import is_system
from core.audit import audit_log
from cycle import access
from cycle.calendar import step_deadline
from cycle.models import (
    CyclePreference,
    CycleYear,
    Jaarschijf,
    Milestone,
    hash_feed_token,
    new_feed_token,
)

logger = logging.getLogger(__name__)
User = get_user_model()


# --- cycle years and milestones -----------------------------------------------------------


def _step_owners(step: ProcessStep, parties: list[Party]) -> list[Party | None]:
    """Blank owner kind: the working group together (None); otherwise one per party of the kind
    (each corporation has its own bid milestone)."""
    if not step.owner_kind:
        return [None]
    return [party for party in parties if party.kind == step.owner_kind]


@transaction.atomic
def cycle_year_create(
    *,
    actor: Any,
    year: int,
    framework: Framework | None = None,
    municipality: Party | None = None,
) -> CycleYear:
    """Create the cycle year with the milestones of the framework's process calendar.

    Without a framework it belongs to the municipality's framework in force for its
    jaarschijf's year (refused when there is none). Running it again for an existing year adds
    only the milestones that are missing (a new process step, a new corporation); existing
    milestones and their moved dates stay as they are.
    """
    if framework is None:
        if municipality is None:
            raise ValidationError(_("Kies een kader of een gemeente."))
        plan_year = CycleYear(year=year).plan_year
        framework = framework_in_force(municipality, plan_year)
        if framework is None:
            raise ValidationError(
                _("Er is geen vastgesteld kader voor %(year)s: kies het kader zelf.")
                % {"year": plan_year}
            )
    if not access.can_manage_cycle(actor, framework):
        raise PermissionDenied(_("Alleen de werkgroep maakt een cyclusjaar aan."))
    cycle_year, created = CycleYear.objects.get_or_create(
        framework=framework, year=year, defaults={"municipality": framework.municipality}
    )
    new = _milestones_from_calendar(cycle_year, framework)
    if created or new:
        audit_log(actor=actor, action="cycle_year_create", obj=cycle_year, milestones=len(new))
    return cycle_year


def _milestones_from_calendar(cycle_year: CycleYear, framework: Framework) -> list[Milestone]:
    """Add the milestones of the framework's process calendar that the cycle year lacks: one
    per step with a deadline (per corporation for a corporation's step). A milestone counts as
    there when it came from the same step for the same owner, or, from another framework's
    calendar and already done, has the same title and owner."""
    year = cycle_year.year
    parties = list(framework.parties.order_by("name"))
    existing = set(cycle_year.milestones.values_list("source_step_id", "owner_party_id"))
    done = set(
        cycle_year.milestones.filter(done_at__isnull=False).values_list("title", "owner_party_id")
    )
    new = []
    for step in framework.process_steps.order_by("order"):
        deadline = step_deadline(step, year)
        if deadline is None:
            continue  # a period without a deadline ("juli-november") is no milestone
        title = step.deliverable or step.description.split(".")[0][:200]
        for owner in _step_owners(step, parties):
            owner_id = owner.pk if owner else None
            full_title = f"{title} – {owner.name}" if owner else title
            if (step.pk, owner_id) in existing or (full_title, owner_id) in done:
                continue
            new.append(
                Milestone(
                    cycle_year=cycle_year,
                    kind=(
                        Milestone.Kind.BID
                        if step.owner_kind == Party.Kind.CORPORATION
                        else Milestone.Kind.GENERAL
                    ),
                    title=full_title,
                    description=step.description,
                    deadline=deadline,
                    owner_party=owner,
                    owner_kind=step.owner_kind,
                    is_statutory=step.is_statutory,
                    deliverable_year=year + 1 if step.applies_to_next_year else year,
                    source_step=step,
                )
            )
    Milestone.objects.bulk_create(new)
    return new


@transaction.atomic
def cycle_year_attach(*, actor: Any, cycle_year: CycleYear, framework: Framework) -> CycleYear:
    """Move the cycle year to another framework of its municipality (the working group of
    both). Refused while its jaarschijf is up for signing or signed, or has contributions tied
    to the old framework's agreements. The generated milestones that are not done yet are
    replaced by those of the new framework's process calendar; done and hand-made ones stay."""
    cycle_year = (
        CycleYear.objects.select_for_update().select_related("framework").get(pk=cycle_year.pk)
    )
    old = cycle_year.framework
    if not (access.can_manage_cycle(actor, old) and access.can_manage_cycle(actor, framework)):
        raise PermissionDenied(_("Alleen de werkgroep koppelt een cyclusjaar aan een kader."))
    if framework.pk == old.pk:
        return cycle_year
    if framework.municipality_id != cycle_year.municipality_id:
        raise ValidationError(_("Dit kader hoort bij een andere gemeente."))
    if CycleYear.objects.filter(framework=framework, year=cycle_year.year).exists():
        raise ValidationError(
            _("Het kader %(framework)s heeft al een cyclusjaar %(year)s.")
            % {"framework": framework.title, "year": cycle_year.year}
        )
    jaarschijf = Jaarschijf.objects.filter(cycle_year=cycle_year).first()
    if jaarschijf is not None:
        if jaarschijf.is_frozen:
            raise ValidationError(
                _(
                    "De jaarschijf %(year)s ligt ter ondertekening of is ondertekend; het "
                    "cyclusjaar kan niet meer naar een ander kader."
                )
                % {"year": jaarschijf.plan_year}
            )
        tied = jaarschijf.contributions.filter(agreement__theme__framework=old).count()
        if tied:
            raise ValidationError(
                _(
                    "De jaarschijf %(year)s heeft %(count)s bijdragen bij afspraken van "
                    "%(framework)s; verwijder of verplaats die eerst."
                )
                % {"year": jaarschijf.plan_year, "count": tied, "framework": old.title}
            )
    _total, deleted = cycle_year.milestones.filter(
        source_step__isnull=False, done_at__isnull=True
    ).delete()
    removed = deleted.get("cycle.Milestone", 0)
    cycle_year.framework = framework
    cycle_year.save(update_fields=["framework"])
    new = _milestones_from_calendar(cycle_year, framework)
    audit_log(
        actor=actor,
        action="cycle_year_attach",
        obj=cycle_year,
        from_framework=old.slug,
        to_framework=framework.slug,
        milestones_removed=removed,
        milestones_added=len(new),
    )
    return cycle_year


def _check_deadline(milestone: Milestone, deadline: dt.date) -> None:
    if milestone.is_statutory and milestone.pk and deadline != milestone.deadline:
        raise ValidationError({"deadline": _("Een wettelijke termijn kan niet worden verschoven.")})
    year = milestone.cycle_year.year
    if not (year - 1 <= deadline.year <= year + 1):
        raise ValidationError(
            {"deadline": _("Kies een datum in of rond het cyclusjaar %(year)s.") % {"year": year}}
        )


def _check_manager(actor: Any, cycle_year: CycleYear) -> None:
    if not access.can_manage_milestones(actor, cycle_year):
        raise PermissionDenied(_("Alleen de werkgroep beheert de mijlpalen."))


@transaction.atomic
def milestone_update(
    *, actor: Any, milestone: Milestone, title: str, deadline: dt.date, note: str
) -> Milestone:
    milestone = (
        Milestone.objects.select_for_update()
        .select_related("cycle_year__framework")
        .get(pk=milestone.pk)
    )
    _check_manager(actor, milestone.cycle_year)
    _check_deadline(milestone, deadline)
    changed = {}
    if deadline != milestone.deadline:
        changed["deadline"] = f"{milestone.deadline} -> {deadline}"
    if title != milestone.title:
        changed["title"] = title
    if note != milestone.note:
        changed["note"] = "gewijzigd"
    if not changed:
        return milestone
    milestone.title, milestone.deadline, milestone.note = title, deadline, note
    milestone.sequence += 1
    milestone.save()
    if "deadline" in changed:
        # Reminders follow the new date: steps sent for the old date may be sent again.
        milestone.reminders.all().delete()
    audit_log(actor=actor, action="milestone_update", obj=milestone, **changed)
    return milestone


@transaction.atomic
def milestone_add(
    *,
    actor: Any,
    cycle_year: CycleYear,
    title: str,
    deadline: dt.date,
    owner_party: Party | None = None,
    each_corporation: bool = False,
    note: str = "",
    description: str = "",
) -> Milestone:
    """Add a milestone; with ``each_corporation`` one per corporation of the framework, like
    the bid (the first is returned)."""
    _check_manager(actor, cycle_year)
    if each_corporation:
        corporations = list(
            cycle_year.framework.parties.filter(kind=Party.Kind.CORPORATION).order_by("name")
        )
        if not corporations:
            raise ValidationError(_("Dit kader heeft geen corporaties."))
        added = [
            milestone_add(
                actor=actor,
                cycle_year=cycle_year,
                title=f"{title} – {corporation.name}",
                deadline=deadline,
                owner_party=corporation,
                note=note,
                description=description,
            )
            for corporation in corporations
        ]
        return added[0]
    if (
        owner_party is not None
        and not cycle_year.framework.parties.filter(pk=owner_party.pk).exists()
    ):
        raise ValidationError({"owner": _("Deze partij hoort niet bij het kader.")})
    milestone = Milestone(
        cycle_year=cycle_year,
        title=title,
        description=description,
        deadline=deadline,
        owner_party=owner_party,
        owner_kind=owner_party.kind if owner_party else "",
        deliverable_year=cycle_year.year,
        note=note,
    )
    _check_deadline(milestone, deadline)
    milestone.save()
    audit_log(actor=actor, action="milestone_add", obj=milestone, title=title, deadline=deadline)
    return milestone


@transaction.atomic
def milestone_set_done(
    *, actor: Any, milestone: Milestone, done: bool, at: dt.datetime | None = None
) -> Milestone:
    """Mark a milestone done (or open again): the working group, or the milestone's own party
    (a corporation handing in its bid)."""
    milestone = (
        Milestone.objects.select_for_update()
        .select_related("cycle_year__framework")
        .get(pk=milestone.pk)
    )
    own = user_party(actor)
    is_owner = own is not None and own.pk == milestone.owner_party_id
    if not (
        is_system(actor) or is_owner or access.can_manage_milestones(actor, milestone.cycle_year)
    ):
        raise PermissionDenied(_("U kunt deze mijlpaal niet afvinken."))
    if done == (milestone.done_at is not None):
        return milestone
    milestone.done_at = (at or timezone.now()) if done else None
    milestone.sequence += 1
    milestone.save(update_fields=["done_at", "sequence", "updated_at"])
    audit_log(actor=actor, action="milestone_done" if done else "milestone_reopen", obj=milestone)
    return milestone


# --- bids ---------------------------------------------------------------------------------


# A workbook of at least this size is read by a worker when a real broker is configured
# (REDIS_URL); smaller ones, and every upload with eager tasks, are read in the request.


# --- preferences and calendar feed --------------------------------------------------------


def preference_get(user: Any) -> CyclePreference:
    preference, _created = CyclePreference.objects.get_or_create(user=user)
    return preference


@transaction.atomic
def preference_update(*, user: Any, reminders_enabled: bool) -> CyclePreference:
    preference = preference_get(user)
    preference.reminders_enabled = reminders_enabled
    preference.save(update_fields=["reminders_enabled"])
    audit_log(
        actor=user, action="preference_update", obj=preference, reminders_enabled=reminders_enabled
    )
    return preference


@transaction.atomic
def feed_token_regenerate(*, user: Any) -> str:
    """Make a new calendar-feed token for the user (the old link stops working) and return it:
    the one moment it exists in plain text. Only its hash is stored."""
    preference = preference_get(user)
    token = new_feed_token()
    preference.feed_token_hash = hash_feed_token(token)
    preference.save(update_fields=["feed_token_hash"])
    audit_log(actor=user, action="feed_token_regenerate", obj=preference)
    return token


# --- reminders ----------------------------------------------------------------------------
