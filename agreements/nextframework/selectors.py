"""Reads for drafting a framework: who may start one for which municipality, the previous
framework, what the copy adjusted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from agreements.access import AnyUser, framework_standing, user_standing
from agreements.drafting.states import (
    DRAFTING_STATUSES,
    TRANSITIONS,
    drafting_state_label,
    is_drafting,
    is_editable,
)
from agreements.models import Framework, Party, PolicyBasis, Target
from agreements.signing.freeze import SIGNING_STATE_OPEN

# The frameworks a new period may not overlap: in force or being drafted.
BLOCKING_STATUSES = (*DRAFTING_STATUSES, Framework.Status.ADOPTED)


def startable_municipalities(user: AnyUser) -> QuerySet[Party]:
    """The municipalities a working-group member works for: their own party when it is one,
    the municipality their party belongs to, and those of the frameworks their party is in.
    The portal's own jobs may start one for any municipality."""
    municipalities = Party.objects.filter(kind=Party.Kind.MUNICIPALITY).order_by("name")
    standing = user_standing(user)
    if standing.is_system:
        return municipalities
    if not standing.is_working_group or standing.membership is None:
        return municipalities.none()
    party = standing.membership.party
    return municipalities.filter(
        Q(pk=party.pk) | Q(pk=party.municipality_id) | Q(frameworks__parties=party)
    ).distinct()


def previous_framework(municipality: Party) -> Framework | None:
    """The municipality's latest framework (the one a new one is copied from)."""
    return (
        Framework.objects.filter(municipality=municipality)
        .order_by("-period_end", "-period_start", "-pk")
        .first()
    )


def overlapping_frameworks(
    municipality: Party, period_start: int, period_end: int
) -> QuerySet[Framework]:
    return Framework.objects.filter(
        municipality=municipality,
        status__in=BLOCKING_STATUSES,
        period_start__lte=period_end,
        period_end__gte=period_start,
    )


def framework_policy_basis(framework: Framework) -> list[PolicyBasis]:
    return list(framework.policy_basis.order_by("order", "id"))


@dataclass(frozen=True)
class CopyAdjustment:
    """A field the copy could not take over as it was (the target year outside the period)."""

    target: Target
    field: str
    old: int
    new: int


def copy_adjustments(framework: Framework) -> list[CopyAdjustment]:
    """Per copied target whose year had passed when the new period starts: what it was and is
    (two queries whatever the size)."""
    targets = (
        Target.objects.filter(agreement__theme__framework=framework, copied_from__isnull=False)
        .select_related("agreement__theme", "copied_from")
        .order_by("agreement__theme__number", "agreement__number", "order", "id")
    )
    found = []
    for target in targets:
        source = target.copied_from
        for field in ("period_start", "target_year"):
            old, new = getattr(source, field), getattr(target, field)
            if (
                old is not None
                and old != new
                and not (framework.period_start <= old <= framework.period_end)
            ):
                found.append(CopyAdjustment(target, field, old, new))
    return found


def drafting_panel(framework: Framework, user: AnyUser) -> dict:
    """What the framework's page shows about drafting it: whether it is a concept and who
    started it, what the copy adjusted, and what the working group may do now."""
    drafting = is_drafting(framework)
    may_draft = drafting and framework_standing(user, framework).is_working_group
    return {
        "drafting": drafting,
        "drafting_state": drafting_state_label(framework),
        "editable": is_editable(framework),
        "may_draft": may_draft,
        "next_states": [
            Framework.Status(status)
            for status in sorted(TRANSITIONS.get(framework.status, ()))
            if framework.signing_state == SIGNING_STATE_OPEN
        ]
        if may_draft
        else [],
        "adjustments": copy_adjustments(framework)
        if drafting and framework.started_from_id
        else [],
        "policy_basis_entries": framework_policy_basis(framework) if may_draft else [],
    }


def split_frameworks(frameworks: list[Framework]) -> tuple[list[Framework], list[Framework]]:
    """(being drafted, the others) for the list: "In voorbereiding" apart."""
    drafting = [fw for fw in frameworks if is_drafting(fw)]
    return drafting, [fw for fw in frameworks if not is_drafting(fw)]
