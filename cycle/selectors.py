"""Reads of the cycle, with their related rows fetched up front (query counts stay fixed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from agreements.access import AnyUser, user_membership, user_party
from agreements.models import Membership, Party
from cycle.access import visible_cycle_years
from cycle.bids.selectors import CorporationBidStatus, bid_statuses
from cycle.calendar import with_status
from cycle.models import CycleYear, Milestone

# --- milestones ---------------------------------------------------------------------------


def cycle_year_milestones(cycle_year: CycleYear, today: dt.date) -> list[Milestone]:
    qs = cycle_year.milestones.select_related("owner_party").order_by("deadline", "title", "id")
    return with_status(qs, today)


def current_cycle_year(user: AnyUser, today: dt.date) -> CycleYear | None:
    """This year's cycle year, else the latest one the user can see."""
    years = list(visible_cycle_years(user).order_by("-year", "framework__slug"))
    return next(
        (y for y in years if y.year == today.year),
        next((y for y in years if y.year < today.year), years[0] if years else None),
    )


# --- bids ---------------------------------------------------------------------------------


# --- multi-year sums ----------------------------------------------------------------------


# --- dashboard ----------------------------------------------------------------------------


@dataclass
class Dashboard:
    cycle_year: CycleYear | None
    party: Party | None
    my_milestones: list[Milestone]
    is_working_group: bool
    timeline: list[Milestone]
    bid_statuses: list[CorporationBidStatus]
    is_corporation: bool
    today: dt.date


NEXT_LIMIT = 5


def dashboard(user: AnyUser, today: dt.date) -> Dashboard:
    """What the user's party must do next and, for the working group, the whole year.

    A fixed number of queries (membership, cycle year, milestones, and for the working group
    parties + bids), whatever the number of bids and milestones.
    """
    membership = user_membership(user)  # one query, cached on the user for the access helpers
    party = membership.party if membership else None
    cycle_year = current_cycle_year(user, today)
    working_group = membership is not None and membership.role == Membership.Role.WORKING_GROUP
    empty = Dashboard(cycle_year, party, [], working_group, [], [], False, today)
    if cycle_year is None:
        return empty
    milestones = cycle_year_milestones(cycle_year, today)
    mine = [
        m
        for m in milestones
        if m.done_at is None
        and (
            (party is not None and m.owner_party_id == party.pk)
            or (m.owner_party_id is None and working_group)
        )
    ]
    # The readers of the bids: the working group, the municipality and the tenant organisations.
    is_corporation = party is not None and party.kind == Party.Kind.CORPORATION
    reads_bids = working_group or (party is not None and not is_corporation)
    statuses = (
        bid_statuses(cycle_year, user, today, milestones=milestones, party=party)
        if reads_bids
        else []
    )
    return Dashboard(
        cycle_year=cycle_year,
        party=party,
        my_milestones=mine[:NEXT_LIMIT],
        is_working_group=working_group,
        timeline=milestones if working_group else [],
        bid_statuses=statuses,
        is_corporation=is_corporation,
        today=today,
    )


# --- calendar feed ------------------------------------------------------------------------


def feed_milestones(user: Any) -> list[Milestone]:
    """Milestones for the user's calendar: their party's own and the working group's common
    ones, over every cycle year they can see."""
    party = user_party(user)
    if party is None:
        return []
    return list(
        Milestone.objects.filter(cycle_year__in=visible_cycle_years(user).values("pk"))
        .filter(Q(owner_party=party) | Q(owner_party__isnull=True))
        .select_related("owner_party", "cycle_year")
        .order_by("deadline", "id")
    )
