"""Reads of the cycle, with their related rows fetched up front (query counts stay fixed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from agreements.access import AnyUser, framework_standing, user_membership, user_party
from agreements.drafting.states import is_drafting
from agreements.models import Framework, Membership, Party
from agreements.selectors import framework_in_force, framework_to_extend
from agreements.signing.selectors import AwaitingSignature, awaiting_signature
from core.drafting.models import PieceComment
from cycle.access import visible_cycle_years
from cycle.bids.selectors import CorporationBidStatus, bid_statuses
from cycle.calendar import with_status
from cycle.jaarschijf.services import ref
from cycle.models import (
    BidReading,
    Contribution,
    CycleYear,
    Jaarschijf,
    Milestone,
    PieceType,
)

# --- milestones ---------------------------------------------------------------------------


def cycle_year_milestones(cycle_year: CycleYear, today: dt.date) -> list[Milestone]:
    qs = cycle_year.milestones.select_related("owner_party").order_by("deadline", "title", "id")
    return with_status(qs, today)


def step_deadline(deliverable: str) -> Subquery:
    """The deadline of the cycle year's milestone for a process step's deliverable (e.g. the
    jaarschijf signed), as a subquery on ``OuterRef("cycle_year")`` to annotate a document."""
    milestones = Milestone.objects.filter(
        cycle_year=OuterRef("cycle_year"), source_step__deliverable=deliverable
    ).order_by("deadline")
    return Subquery(milestones.values("deadline")[:1])


def current_cycle_year(user: AnyUser, today: dt.date) -> CycleYear | None:
    """This year's cycle year, else the latest one the user can see."""
    years = list(visible_cycle_years(user).order_by("-year", "framework__slug"))
    return next(
        (y for y in years if y.year == today.year),
        next((y for y in years if y.year < today.year), years[0] if years else None),
    )


# --- the framework in force ----------------------------------------------------------------


def cycle_year_framework_in_force(cycle_year: CycleYear) -> Framework | None:
    """The framework in force for the cycle year's jaarschijf year: no query when it is the
    cycle year's own framework (the usual case), else one."""
    if cycle_year.framework.is_in_force(cycle_year.plan_year):
        return cycle_year.framework
    return framework_in_force(cycle_year.municipality_id, cycle_year.plan_year)


@dataclass(frozen=True)
class FrameworkNotice:
    """A cycle year whose jaarschijf year has no framework in force, and the ways out.

    ``drafting``: the concept framework the cycle year is attached to, which covers the year;
    otherwise ``extend`` is the framework a verlenging would extend, and ``may_start`` /
    ``may_extend`` say whether the user may start a new framework or propose the verlenging
    (the working group)."""

    cycle_year: CycleYear
    year: int
    drafting: Framework | None = None
    extend: Framework | None = None
    may_start: bool = False
    may_extend: bool = False


def framework_notice(cycle_year: CycleYear, user: AnyUser) -> FrameworkNotice | None:
    """The notice of the cycle year's pages, or None when a framework is in force for its
    jaarschijf year (then without any query)."""
    if cycle_year_framework_in_force(cycle_year) is not None:
        return None
    year, own = cycle_year.plan_year, cycle_year.framework
    # Concept, definitief concept or up for signing: being drafted until every party signed.
    if is_drafting(own) and own.period_start <= year <= own.period_end:
        return FrameworkNotice(cycle_year=cycle_year, year=year, drafting=own)
    extend = (
        own
        if own.is_adopted and own.period_end < year
        else framework_to_extend(cycle_year.municipality_id, year)
    )
    return FrameworkNotice(
        cycle_year=cycle_year,
        year=year,
        extend=extend,
        may_start=framework_standing(user, own).is_working_group,
        may_extend=extend is not None and framework_standing(user, extend).is_working_group,
    )


# --- bids ---------------------------------------------------------------------------------


# --- multi-year sums ----------------------------------------------------------------------


# --- dashboard ----------------------------------------------------------------------------


@dataclass
class OpenComment:
    """An open comment thread of another party on one of the user's party's contributions."""

    comment: PieceComment
    contribution: Contribution


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
    # What waits for the user (each with a link on the start page).
    to_sign: list[AwaitingSignature] = field(default_factory=list)
    jaarschijf: Jaarschijf | None = None
    open_contributions: int = 0
    open_comments: list[OpenComment] = field(default_factory=list)
    bids_to_read: list[CorporationBidStatus] = field(default_factory=list)

    @property
    def waits(self) -> bool:
        """Whether anything waits for the user; "Niets te doen" only when nothing does."""
        return bool(
            self.my_milestones
            or self.to_sign
            or self.open_contributions
            or self.open_comments
            or self.bids_to_read
        )


NEXT_LIMIT = 5


def _editable_jaarschijf(cycle_year: CycleYear) -> Jaarschijf | None:
    """The cycle year's jaarschijf while parties still work on it (before signing)."""
    return Jaarschijf.objects.filter(
        cycle_year=cycle_year,
        state__in=[Jaarschijf.State.CONCEPT, Jaarschijf.State.FINAL_DRAFT],
    ).first()


def open_contribution_count(jaarschijf: Jaarschijf, party: Party) -> int:
    """The party's contributions to a concept jaarschijf that it has not yet filled in."""
    if jaarschijf.state != Jaarschijf.State.CONCEPT:
        return 0
    return Contribution.objects.filter(jaarschijf=jaarschijf, party=party, text="").count()


def open_comments_for(jaarschijf: Jaarschijf, party: Party) -> list[OpenComment]:
    """Open threads that another party started on the party's contributions (two queries)."""
    own = Contribution.objects.filter(jaarschijf=jaarschijf, party=party).values("pk")
    comments = list(
        PieceComment.objects.filter(
            **ref(jaarschijf.pk).filter(),
            parent=None,
            resolved=False,
            piece_type=PieceType.CONTRIBUTION,
            piece_id__in=own,
        )
        .exclude(author_party=party)
        .select_related("author_party")
        .order_by("created_at", "id")[:NEXT_LIMIT]
    )
    if not comments:
        return []
    contributions = Contribution.objects.filter(
        pk__in=[c.piece_id for c in comments]
    ).select_related("agreement__theme", "party")
    by_pk = {c.pk: c for c in contributions}
    return [OpenComment(c, by_pk[c.piece_id]) for c in comments if c.piece_id in by_pk]


def unread_bids(statuses: list[CorporationBidStatus], party: Party) -> list[CorporationBidStatus]:
    """The submitted bids that no one of the party has opened yet (one query)."""
    current = [s for s in statuses if s.current is not None]
    if not current:
        return []
    read = set(
        BidReading.objects.filter(party=party, bid__in=[s.current.pk for s in current]).values_list(
            "bid_id", flat=True
        )
    )
    return [s for s in current if s.current.pk not in read]


def dashboard(user: AnyUser, today: dt.date) -> Dashboard:
    """What waits for the user and their party and, for the working group, the whole year.

    A fixed number of queries whatever the number of bids, milestones, contributions,
    comments and signing rounds: membership, signing rounds (signatories), cycle year,
    milestones, the jaarschijf with its open contributions and comments (members), and for
    the readers of the bids parties + bids (+ what the tenant organisation has read).
    """
    membership = user_membership(user)  # one query, cached on the user for the access helpers
    party = membership.party if membership else None
    cycle_year = current_cycle_year(user, today)
    working_group = membership is not None and membership.role == Membership.Role.WORKING_GROUP
    signatory = membership is not None and membership.role == Membership.Role.SIGNATORY
    to_sign = awaiting_signature(user) if signatory else []
    empty = Dashboard(cycle_year, party, [], working_group, [], [], False, today, to_sign)
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
    # The people who draft (not the signatories) see their party's part of the jaarschijf.
    jaarschijf = _editable_jaarschijf(cycle_year) if party and not signatory else None
    is_tenant = party is not None and party.kind == Party.Kind.TENANT_ORGANISATION
    return Dashboard(
        cycle_year=cycle_year,
        party=party,
        my_milestones=mine[:NEXT_LIMIT],
        is_working_group=working_group,
        timeline=milestones if working_group else [],
        bid_statuses=statuses,
        is_corporation=is_corporation,
        today=today,
        to_sign=to_sign,
        jaarschijf=jaarschijf,
        open_contributions=open_contribution_count(jaarschijf, party) if jaarschijf else 0,
        open_comments=open_comments_for(jaarschijf, party) if jaarschijf else [],
        bids_to_read=unread_bids(statuses, party) if is_tenant and not signatory else [],
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
