"""Reads of the cycle, with their related rows fetched up front (query counts stay fixed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from agreements.access import AnyUser, user_party
from agreements.models import Framework, Party, Target
from cycle.bids.access import PUBLISHED, visible_bids
from cycle.calendar import Status, milestone_status, with_status
from cycle.models import SUM_FIGURES, Bid, BidLine, BidThemeNote, CycleYear, Figure, Milestone

# The corporation's known stock is the housing stock's to say; bids read it from here too.
from housing_stock.selectors import corporation_stock as corporation_stock


def with_deadline(qs: QuerySet[Bid]) -> QuerySet[Bid]:
    """Annotate each bid with the deadline of its corporation's bid milestone and the moment
    that milestone was done (the first submission): the milestone decides whether the bid
    was on time, so that every page says the same."""
    milestones = Milestone.objects.filter(
        cycle_year=OuterRef("cycle_year"),
        kind=Milestone.Kind.BID,
        owner_party=OuterRef("corporation"),
    ).order_by("deadline")
    return qs.annotate(
        deadline=Subquery(milestones.values("deadline")[:1]),
        milestone_done_at=Subquery(milestones.values("done_at")[:1]),
    )


def default_links(framework: Framework) -> dict[str, Target]:
    """Per core figure the framework target with the same code, if the framework has one."""
    targets = Target.objects.filter(
        agreement__theme__framework=framework, code__in=Figure.values
    ).select_related("agreement", "agreement__theme")
    return {target.code: target for target in targets}


def bid_is_late(bid: Bid) -> bool:
    """Whether the corporation's bid came in late: decided by its bid milestone (done late),
    the same for every submitted version; a revision after an on-time bid is not late."""
    deadline = getattr(bid, "deadline", None)
    done_at = getattr(bid, "milestone_done_at", None)
    if bid.status == Bid.Status.DRAFT or deadline is None or done_at is None:
        return False
    return milestone_status(deadline=deadline, done_at=done_at, today=deadline) == Status.DONE_LATE


def _lines_prefetch() -> Prefetch:
    return Prefetch(
        "lines",
        queryset=BidLine.objects.select_related("agreement", "agreement__theme", "theme", "target"),
    )


def _notes_prefetch() -> Prefetch:
    return Prefetch(
        "theme_notes",
        queryset=BidThemeNote.objects.select_related("theme").order_by("theme__number"),
    )


def bid_detail(bid_pk: int, user: AnyUser) -> Bid:
    bid = (
        with_deadline(visible_bids(user))
        .select_related("submitted_by", "created_by")
        .prefetch_related(_lines_prefetch(), _notes_prefetch())
        .get(pk=bid_pk)
    )
    bid.is_late = bid_is_late(bid)
    order = {figure: index for index, figure in enumerate(Figure.values)}
    bid.sorted_lines = sorted(bid.lines.all(), key=lambda line: order.get(line.figure, 99))
    return bid


def bid_versions(user: AnyUser, bid: Bid) -> list[Bid]:
    """All versions of this corporation's bid in this cycle year that the user may see."""
    qs = with_deadline(
        visible_bids(user).filter(cycle_year=bid.cycle_year_id, corporation=bid.corporation_id)
    ).order_by("-version")
    versions = list(qs)
    for version in versions:
        version.is_late = bid_is_late(version)
    return versions


def my_bids(corporation: Party, cycle_year: CycleYear) -> list[Bid]:
    versions = list(
        with_deadline(Bid.objects.filter(corporation=corporation, cycle_year=cycle_year)).order_by(
            "-version"
        )
    )
    for version in versions:
        version.is_late = bid_is_late(version)
    return versions


@dataclass
class CompareRow:
    figure: str
    label: str
    old: Decimal | None
    new: Decimal | None
    old_explanation: str
    new_explanation: str
    old_agreement: Any
    new_agreement: Any

    @property
    def quantity_changed(self) -> bool:
        return self.old != self.new

    @property
    def difference(self) -> Decimal | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    @property
    def explanation_changed(self) -> bool:
        return self.old_explanation != self.new_explanation

    @property
    def agreement_changed(self) -> bool:
        return self.old_agreement != self.new_agreement

    @property
    def changed(self) -> bool:
        return self.quantity_changed or self.explanation_changed or self.agreement_changed


def bid_compare(old: Bid, new: Bid) -> list[CompareRow]:
    """Line by line, what changed between two versions (both with their lines prefetched)."""
    old_lines = {line.figure: line for line in old.lines.all()}
    new_lines = {line.figure: line for line in new.lines.all()}
    rows = []
    for figure in Figure:
        a, b = old_lines.get(figure.value), new_lines.get(figure.value)
        rows.append(
            CompareRow(
                figure=figure.value,
                label=str(figure.label),
                old=a.quantity if a else None,
                new=b.quantity if b else None,
                old_explanation=a.explanation if a else "",
                new_explanation=b.explanation if b else "",
                old_agreement=a.agreement if a else None,
                new_agreement=b.agreement if b else None,
            )
        )
    return rows


@dataclass
class NoteRow:
    theme: Any
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


def theme_notes_compare(old: Bid, new: Bid) -> list[NoteRow]:
    old_notes = {n.theme_id: n for n in old.theme_notes.all()}
    new_notes = {n.theme_id: n for n in new.theme_notes.all()}
    themes = {n.theme_id: n.theme for n in [*old_notes.values(), *new_notes.values()]}
    return [
        NoteRow(
            theme=theme,
            old=old_notes[pk].text if pk in old_notes else "",
            new=new_notes[pk].text if pk in new_notes else "",
        )
        for pk, theme in sorted(themes.items(), key=lambda item: item[1].number)
    ]


def bids_for_compare(user: AnyUser, old_pk: int, new_pk: int) -> tuple[Bid, Bid]:
    bids = {
        bid.pk: bid
        for bid in visible_bids(user)
        .filter(pk__in=[old_pk, new_pk])
        .prefetch_related(_lines_prefetch(), _notes_prefetch())
    }
    return bids[old_pk], bids[new_pk]


@dataclass
class CorporationBidStatus:
    corporation: Party
    milestone: Milestone | None
    current: Bid | None  # the submitted version
    has_draft: bool
    versions: int

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        if self.current is None:
            return _("nog niet ingediend") + (
                " " + _("(concept in bewerking)") if self.has_draft else ""
            )
        # On time or late is the milestone's status, shown beside this label (once).
        return _("versie %(version)s ingediend") % {"version": self.current.version}


def bid_statuses(
    cycle_year: CycleYear,
    user: AnyUser,
    today: dt.date,
    *,
    milestones: list[Milestone] | None = None,
    party: Party | None = None,
) -> list[CorporationBidStatus]:
    """Per corporation of the framework: its bid milestone and current version. Three queries,
    two when the cycle year's milestones (with status) are passed in."""
    corporations = list(
        cycle_year.framework.parties.filter(kind=Party.Kind.CORPORATION).order_by("name")
    )
    if milestones is None:
        milestones = with_status(cycle_year.milestones.all(), today)
    by_owner = {
        m.owner_party_id: m
        for m in sorted(milestones, key=lambda m: m.deadline, reverse=True)
        if m.kind == Milestone.Kind.BID
    }
    party = party if party is not None else user_party(user)
    bids = (
        Bid.objects.filter(cycle_year=cycle_year)
        .filter(Q(status__in=PUBLISHED) | Q(corporation=party))
        .only("id", "corporation_id", "status", "version", "submitted_at")
    )
    current: dict[int, Bid] = {}
    drafts: set[int] = set()
    counts: dict[int, int] = {}
    for bid in bids:
        counts[bid.corporation_id] = counts.get(bid.corporation_id, 0) + 1
        if bid.status == Bid.Status.SUBMITTED:
            current[bid.corporation_id] = bid
        elif bid.status == Bid.Status.DRAFT:
            drafts.add(bid.corporation_id)
    result = []
    for corporation in corporations:
        milestone = by_owner.get(corporation.pk)
        bid = current.get(corporation.pk)
        if bid is not None:
            bid.deadline = milestone.deadline if milestone else None
            bid.milestone_done_at = milestone.done_at if milestone else None
            bid.is_late = bid_is_late(bid)
        result.append(
            CorporationBidStatus(
                corporation=corporation,
                milestone=milestone,
                current=bid,
                has_draft=corporation.pk in drafts,
                versions=counts.get(corporation.pk, 0),
            )
        )
    return result


@dataclass
class SumRow:
    target: Target
    figure: str
    per_corporation: list[tuple[Party, Decimal]]
    total: Decimal
    per_year: dict[int, Decimal] = field(default_factory=dict)

    @property
    def goal(self) -> Decimal:
        return self.target.value or Decimal(0)

    @property
    def share(self) -> int:
        return round(self.total / self.goal * 100) if self.goal else 0

    @property
    def remaining(self) -> Decimal:
        return self.goal - self.total


def multi_year_sums(framework: Framework) -> tuple[list[SumRow], list[Party], list[int]]:
    """The current submitted bids' planned figures for the framework's period, added up per
    target, per corporation and in total. Three queries whatever the number of bids."""
    years = list(range(framework.period_start, framework.period_end + 1))
    targets = list(
        Target.objects.filter(agreement__theme__framework=framework, code__in=SUM_FIGURES)
        .select_related("agreement", "agreement__theme")
        .order_by("agreement__theme__number", "agreement__number", "order")
    )
    corporations = list(framework.parties.filter(kind=Party.Kind.CORPORATION).order_by("name"))
    lines = BidLine.objects.filter(
        bid__cycle_year__framework=framework,
        bid__status=Bid.Status.SUBMITTED,
        bid__plan_year__in=years,
        figure__in=SUM_FIGURES,
        quantity__isnull=False,
    ).values_list("figure", "bid__corporation_id", "bid__plan_year", "quantity")
    sums: dict[tuple[str, int], Decimal] = {}
    per_year: dict[tuple[str, int], Decimal] = {}
    for figure, corporation_id, year, quantity in lines:
        sums[figure, corporation_id] = sums.get((figure, corporation_id), Decimal(0)) + quantity
        per_year[figure, year] = per_year.get((figure, year), Decimal(0)) + quantity
    rows = []
    seen = set()
    for target in targets:
        if target.code in seen:
            continue
        seen.add(target.code)
        per_corporation = [(c, sums.get((target.code, c.pk), Decimal(0))) for c in corporations]
        rows.append(
            SumRow(
                target=target,
                figure=target.code,
                per_corporation=per_corporation,
                total=sum((value for _c, value in per_corporation), Decimal(0)),
                per_year={year: per_year.get((target.code, year), Decimal(0)) for year in years},
            )
        )
    return rows, corporations, years
