"""Bringing a jaarschijf up to date with bids submitted after it was created.

jaarschijf_create reads every corporation's current bid once; each contribution "uit het bod"
remembers the bid version and line (its figure) it came from. When a corporation submits a
later version, or its first bid arrives after the jaarschijf was made, ``bid_updates`` lists
what would change per contribution, and the working group applies them one by one with
``bid_update_apply``.

A contribution someone edited by hand (it no longer says what its bid line said) is never
overwritten silently: the review shows the hand edit, the old and the new bid text, and the
apply needs an explicit choice ("bod": take the new bid, "eigen": keep the hand edit and
note that the new version was seen).

Reads (``bid_updates``, ``pending_corporations``) take a fixed number of queries; the write is
atomic, audited, refused on a frozen jaarschijf, and refuses a stale review (the bid or the
contribution changed since the page was read) without changing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agreements.models import Party
from core.actors import person
from core.audit import audit_log
from core.diffing import diff_html
from cycle.jaarschijf import access as rules
from cycle.jaarschijf import services
from cycle.models import Bid, BidLine, Contribution, Jaarschijf, PieceType

TAKE_BID = "bod"
KEEP_OWN = "eigen"
# What a bid line decides in a contribution; the working group's planning (quarter, done)
# stays as it is.
BID_FIELDS = ("text", "quantity", "unit", "target_id", "agreement_id")


@dataclass
class BidChange:
    """One line of a corporation's current bid that the jaarschijf does not have yet."""

    bid: Bid
    line: BidLine
    new: dict
    contribution: Contribution | None = None
    old_bid: Bid | None = None
    old: dict | None = None
    hand_edited: bool = False
    text_diff: SafeString | None = None
    bid_diff: SafeString | None = None
    facts: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.contribution is None

    @property
    def agreement(self):
        """The agreement the bid line belongs to (where the contribution stands or will)."""
        if self.line.agreement_id:
            return self.line.agreement
        return self.line.target.agreement if self.line.target_id else None

    @property
    def current(self) -> dict | None:
        return _values(self.contribution) if self.contribution is not None else None

    @property
    def same_content(self) -> bool:
        return self.contribution is not None and _same(_values(self.contribution), self.new)


@dataclass
class CorporationUpdate:
    corporation: Party
    bid: Bid
    read_versions: list[int]  # the older versions its contributions still come from
    changes: list[BidChange]
    is_first: bool = False  # no contribution of it yet: its first bid came after the jaarschijf


def _values(contribution: Contribution) -> dict:
    return {key: getattr(contribution, key) for key in BID_FIELDS}


def _line_values(line: BidLine) -> dict:
    values = services.bid_line_values(line)
    return {key: values[key] for key in BID_FIELDS}


def _same(a: dict, b: dict) -> bool:
    def norm(values: dict) -> dict:
        quantity = values.get("quantity")
        return {**values, "quantity": None if quantity is None else Decimal(quantity).normalize()}

    return norm(a) == norm(b)


def is_hand_edited(contribution: Contribution, old_line: BidLine | None) -> bool:
    """Does the contribution say something else than the bid line it was taken from?"""
    if old_line is None:
        return True  # where it came from is not known: treat it as edited, ask
    return not _same(_values(contribution), _line_values(old_line))


def _lines_prefetch(to: str) -> Prefetch:
    return Prefetch(
        to,
        queryset=BidLine.objects.select_related(
            "target", "agreement__theme", "target__agreement__theme"
        ),
    )


def _quantity_text(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "–"
    return f"{floatformat(value, '-2g')} {unit}".strip()  # as the contribution shows it


def _facts(old: dict, new: dict, targets: dict) -> list[tuple[str, str, str]]:
    facts = []
    old_q = _quantity_text(old.get("quantity"), old.get("unit", ""))
    new_q = _quantity_text(new.get("quantity"), new.get("unit", ""))
    if old_q != new_q:
        facts.append((_("Aantal"), old_q, new_q))
    if old.get("target_id") != new.get("target_id"):
        facts.append(
            (
                _("Doel"),
                targets.get(old.get("target_id"), "–"),
                targets.get(new.get("target_id"), "–"),
            )
        )
    return facts


def bid_updates(jaarschijf: Jaarschijf, *, with_diffs: bool = True) -> list[CorporationUpdate]:
    """Per corporation whose current bid the jaarschijf has not fully taken in: the changes.

    A line that says in the new version what it said in the version its contribution came
    from is not offered (nothing to take over). Nothing is offered for a frozen jaarschijf,
    nor for a corporation with a contribution "uit het bod" whose origin is not known (made
    before contributions recorded their bid version): offering its lines again would add them
    twice. ``with_diffs`` False leaves out the word diffs (for notices and warnings).
    """
    if jaarschijf.is_frozen:
        return []
    bids = list(
        Bid.objects.filter(cycle_year_id=jaarschijf.cycle_year_id, status=Bid.Status.SUBMITTED)
        .select_related("corporation")
        .prefetch_related(_lines_prefetch("lines"))
        .order_by("corporation__name")
    )
    if not bids:
        return []
    pieces = list(
        Contribution.objects.filter(jaarschijf=jaarschijf, source=Contribution.Source.BID)
        .select_related("bid", "target", "agreement__theme", "party")
        .prefetch_related(_lines_prefetch("bid__lines"))
        .order_by("order", "id")
    )
    by_party: dict[int, list[Contribution]] = {}
    for piece in pieces:
        by_party.setdefault(piece.party_id, []).append(piece)
    updates = []
    for bid in bids:
        party_pieces = by_party.get(bid.corporation_id, [])
        if any(piece.bid_id is None for piece in party_pieces):
            continue
        by_figure = {piece.bid_figure: piece for piece in party_pieces}
        targets = {line.target_id: line.target.label for line in bid.lines.all() if line.target}
        changes = []
        for line in services.bid_contribution_lines(bid):
            piece = by_figure.get(line.figure)
            if piece is not None and piece.bid_id == bid.pk:
                continue
            change = BidChange(bid=bid, line=line, new=_line_values(line), contribution=piece)
            if piece is not None:
                old_line = next(
                    (old for old in piece.bid.lines.all() if old.figure == line.figure), None
                )
                change.old_bid = piece.bid
                change.old = _line_values(old_line) if old_line else None
                if change.old is not None and _same(change.old, change.new):
                    continue  # the line says in the new version what it said: nothing to take
                change.hand_edited = is_hand_edited(piece, old_line)
            if with_diffs:
                if piece is not None:
                    targets.setdefault(piece.target_id, piece.target.label if piece.target else "–")
                base = change.current if piece is not None else {"text": "", "unit": ""}
                change.text_diff = diff_html(base["text"], change.new["text"])
                if change.old is not None:
                    change.bid_diff = diff_html(change.old["text"], change.new["text"])
                change.facts = _facts(base, change.new, targets)
            changes.append(change)
        if changes:
            older = {piece.bid.version for piece in party_pieces if piece.bid_id != bid.pk}
            updates.append(
                CorporationUpdate(
                    corporation=bid.corporation,
                    bid=bid,
                    read_versions=sorted(older),
                    changes=changes,
                    is_first=not party_pieces,
                )
            )
    return updates


def pending_corporations(jaarschijf: Jaarschijf) -> list[CorporationUpdate]:
    """The corporations with a bid newer than what the jaarschijf holds (for notices)."""
    return bid_updates(jaarschijf, with_diffs=False)


# --- the write --------------------------------------------------------------------------------


@dataclass
class BidApplied:
    contribution: Contribution
    changed: bool
    added: bool = False


def _stale_bid(bid: Bid) -> ValidationError:
    current = (
        Bid.objects.filter(
            cycle_year_id=bid.cycle_year_id,
            corporation_id=bid.corporation_id,
            status=Bid.Status.SUBMITTED,
        )
        .values_list("version", flat=True)
        .first()
    )
    return ValidationError(
        _(
            "Het bod van %(corporation)s is intussen opnieuw gewijzigd (nu versie %(version)s). "
            "Er is niets aangepast; bekijk de wijzigingen opnieuw."
        )
        % {"corporation": bid.corporation.name, "version": current or "–"}
    )


@transaction.atomic
def bid_update_apply(
    *,
    actor: Any,
    jaarschijf: Jaarschijf,
    bid_id: int,
    figure: str,
    expected_version: int | None,
    choice: str = "",
) -> BidApplied:
    """Take one line of a corporation's current bid into the jaarschijf (the working group).

    ``bid_id`` is the bid version the reviewer saw, ``expected_version`` the contribution's
    version they saw (None for a line that had no contribution yet). A hand-edited
    contribution needs ``choice`` TAKE_BID or KEEP_OWN. Applying what was already applied
    (a double submit) changes nothing.
    """
    jaarschijf = services.lock_state(jaarschijf.pk)
    if not rules.is_working_group(actor, jaarschijf):
        raise PermissionDenied(_("Alleen de werkgroep werkt de jaarschijf bij uit het bod."))
    services.check_editable(jaarschijf)
    if choice not in {"", TAKE_BID, KEEP_OWN}:
        raise ValidationError(_("Kies wat er met de bijdrage gebeurt."))
    bid = (
        Bid.objects.select_related("corporation")
        .filter(pk=bid_id, cycle_year_id=jaarschijf.cycle_year_id)
        .exclude(status=Bid.Status.DRAFT)
        .first()
    )
    if bid is None:
        raise ValidationError(_("Dit bod hoort niet bij deze jaarschijf."))
    line = BidLine.objects.select_related("target").filter(bid=bid, figure=figure).first()
    if line is None:
        raise ValidationError(_("Deze regel staat niet in het bod."))
    piece = (
        Contribution.objects.select_related("bid")
        .filter(jaarschijf=jaarschijf, party_id=bid.corporation_id, bid_figure=figure)
        .first()
    )
    if piece is not None and piece.bid_id == bid.pk:
        return BidApplied(contribution=piece, changed=False)  # done already (double submit)
    if bid.status != Bid.Status.SUBMITTED:
        raise _stale_bid(bid)
    if piece is None:
        if expected_version is not None:
            raise ValidationError(_("Deze bijdrage bestaat niet meer. Er is niets aangepast."))
        return _add(actor, jaarschijf, bid, line)
    if piece.version != expected_version:
        raise ValidationError(
            _(
                "De bijdrage van %(party)s is gewijzigd sinds u het overzicht opende. Er is "
                "niets aangepast; bekijk de wijzigingen opnieuw."
            )
            % {"party": bid.corporation.name}
        )
    old_line = BidLine.objects.select_related("target").filter(bid=piece.bid, figure=figure).first()
    if is_hand_edited(piece, old_line) and not choice:
        raise ValidationError(
            _(
                "Deze bijdrage is met de hand aangepast. Kies of u de tekst uit het nieuwe bod "
                "overneemt of de aangepaste tekst houdt."
            )
        )
    return _update(actor, jaarschijf, piece, bid, line, keep_own=choice == KEEP_OWN)


def _add(actor: Any, jaarschijf: Jaarschijf, bid: Bid, line: BidLine) -> BidApplied:
    last = jaarschijf.contributions.order_by("-order").values_list("order", flat=True).first()
    try:
        with transaction.atomic():
            piece = Contribution.objects.create(
                jaarschijf=jaarschijf,
                party_id=bid.corporation_id,
                planned_quarter=Contribution.Quarter.YEAR,
                source=Contribution.Source.BID,
                bid=bid,
                bid_figure=line.figure,
                order=(last or 0) + 1,
                updated_by=person(actor),
                **services.bid_line_values(line),
            )
    except IntegrityError:  # the same line added at the same moment by another request
        piece = Contribution.objects.get(
            jaarschijf=jaarschijf, party_id=bid.corporation_id, bid_figure=line.figure
        )
        return BidApplied(contribution=piece, changed=False)
    snapshot = services.contribution_snapshot(piece)
    services.record_change(
        jaarschijf.pk, PieceType.CONTRIBUTION, piece.pk, 1, "create", actor, None, snapshot
    )
    audit_log(
        actor=actor,
        action="jaarschijf_bid_add",
        obj=piece,
        corporation=bid.corporation.name,
        bid_version=bid.version,
        figure=line.figure,
    )
    return BidApplied(contribution=piece, changed=True, added=True)


def _update(
    actor: Any, jaarschijf: Jaarschijf, piece: Contribution, bid: Bid, line: BidLine, keep_own: bool
) -> BidApplied:
    before = services.contribution_snapshot(piece)
    old_version = piece.bid.version
    values = {} if keep_own else _line_values(line)
    updated = Contribution.objects.filter(pk=piece.pk, version=piece.version).update(
        **values,
        bid=bid,
        version=F("version") + 1,
        updated_at=timezone.now(),
        updated_by=person(actor),
    )
    if updated != 1:
        raise ValidationError(
            _("De bijdrage is zojuist door iemand anders gewijzigd. Er is niets aangepast.")
        )
    piece.refresh_from_db()
    action = "bid_keep" if keep_own else "bid_update"
    services.record_change(
        jaarschijf.pk,
        PieceType.CONTRIBUTION,
        piece.pk,
        piece.version,
        action,
        actor,
        before,
        services.contribution_snapshot(piece),
    )
    audit_log(
        actor=actor,
        action="jaarschijf_bid_apply",
        obj=piece,
        corporation=bid.corporation.name,
        from_version=old_version,
        bid_version=bid.version,
        figure=line.figure,
        choice=KEEP_OWN if keep_own else TAKE_BID,
    )
    return BidApplied(contribution=piece, changed=True)
