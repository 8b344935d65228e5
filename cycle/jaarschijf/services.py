"""Writes of the jaarschijf. Every service is atomic and records its change in the same
transaction; access rules are checked here, whoever calls (the demo loader and the signing code
pass a core.actors.SystemActor).

The drafting machinery (history, versioned saves, restore, presence, visits, comments) is the
portal's one, core.drafting; the jaarschijf plugs in with ``JaarschijfDrafted`` (at the end)
and keeps here only what is its own: which pieces it has, who edits them, its state lock.

No lost update: every piece (contribution, shared text) carries a version. A save names the
version it was based on (core.drafting.services.piece_save); a stale save is refused with
EditConflict, which carries both the editor's values and the current ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.access import framework_party_ids, user_party
from agreements.models import Agreement, Membership, Party, Target
from core.actors import is_system, person
from core.bounds import Quantity, check_bound
from core.conflicts import EditConflict  # noqa: F401 (the views catch services.EditConflict)
from core.drafting import services as drafting
from core.drafting.models import PieceChange, PieceComment
from core.drafting.registry import DocumentRef, Drafted, register
from core.drafting.services import PRESENCE_SECONDS, VISIT_GAP  # noqa: F401 (re-exported)
from core.numbers import parse_dutch_decimal
from cycle.jaarschijf import access as rules
from cycle.models import (
    FIGURE_UNITS,
    Bid,
    Contribution,
    CycleYear,
    Jaarschijf,
    JaarschijfText,
    PieceType,
)

User = get_user_model()
DOCUMENT = "jaarschijf"
CONTRIBUTION_FIELDS = ("text", "quantity", "unit", "planned_quarter", "target_id", "done")
EDITABLE_STATES = {Jaarschijf.State.CONCEPT, Jaarschijf.State.FINAL_DRAFT}


# --- snapshots --------------------------------------------------------------------------------


_quantity_str = drafting.decimal_text


def contribution_snapshot(contribution: Contribution) -> dict:
    return {
        "text": contribution.text,
        "quantity": _quantity_str(contribution.quantity),
        "unit": contribution.unit,
        "planned_quarter": contribution.planned_quarter,
        "target_id": contribution.target_id,
        "done": contribution.done,
    }


def text_snapshot(piece: JaarschijfText) -> dict:
    return {"text": piece.text}


def ref(jaarschijf_id: int) -> DocumentRef:
    return DocumentRef(DOCUMENT, jaarschijf_id)


def record_change(
    jaarschijf_id: int,
    piece_type: str,
    piece_id: int,
    version: int,
    action: str,
    actor: Any,
    before: dict | None,
    after: dict,
):
    """One entry of a piece's history (also written by bid_updates)."""
    return drafting.record_change(
        ref(jaarschijf_id), piece_type, piece_id, version, action, actor, before, after
    )


def lock_state(jaarschijf_id: int) -> Jaarschijf:
    """Read the jaarschijf's state under a shared row lock (PostgreSQL: FOR SHARE).

    Many edits hold it at once; a state change (FOR UPDATE) waits for edits in flight and edits
    wait for it, so no edit slips into a jaarschijf that has just been frozen. SQLite
    serialises every write transaction anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM cycle_jaarschijf WHERE id = %s FOR SHARE", [jaarschijf_id]
            )
    return Jaarschijf.objects.select_related("cycle_year__framework").get(pk=jaarschijf_id)


def check_editable(jaarschijf: Jaarschijf) -> None:
    """Refuse any edit unless the jaarschijf is concept or definitief concept."""
    if jaarschijf.state not in EDITABLE_STATES:
        raise ValidationError(
            _("De jaarschijf is %(state)s: er kan niets meer worden gewijzigd.")
            % {"state": jaarschijf.get_state_display().lower()}
        )


# --- creating ---------------------------------------------------------------------------------


def _previous_jaarschijf(cycle_year: CycleYear) -> Jaarschijf | None:
    return (
        Jaarschijf.objects.filter(
            cycle_year__framework_id=cycle_year.framework_id,
            cycle_year__year__lt=cycle_year.year,
        )
        .order_by("-cycle_year__year")
        .first()
    )


def _figure_unit(line) -> str:
    unit = FIGURE_UNITS.get(line.figure)
    if unit:
        return unit
    if line.target_id and line.target.unit:
        return line.target.unit
    return _("woningen")


def bid_contribution_lines(bid: Bid) -> list:
    """The lines of a bid that become contributions (those with a figure or a text), in a
    fixed order. The bid needs its lines prefetched with their target."""
    return [
        line
        for line in sorted(bid.lines.all(), key=lambda item: item.figure)
        if line.quantity is not None or line.explanation
    ]


def bid_line_values(line) -> dict:
    """What a contribution says when it is taken from this bid line: the one mapping, used
    when the jaarschijf is created and when it is brought up to date with a later version."""
    return {
        "agreement_id": line.agreement_id or (line.target.agreement_id if line.target else None),
        "text": line.explanation
        or _("%(figure)s volgens het bod") % {"figure": line.get_figure_display()},
        "quantity": line.quantity,
        "unit": _figure_unit(line),
        "target_id": line.target_id,
    }


@transaction.atomic
def jaarschijf_create(
    *,
    actor: Any,
    cycle_year: CycleYear,
    copy_previous: bool = True,
    is_demo: bool = False,
) -> Jaarschijf:
    """Create the cycle year's jaarschijf, prefilled.

    - every agreement of the framework gets an (empty) contribution of each responsible party;
    - every line of each corporation's current (submitted) bid becomes a contribution of that
      corporation, with its quantity and its link to the agreement and target;
    - with ``copy_previous``, last year's contributions that are not done are copied in.
    Creating it again returns the existing one unchanged.
    """
    framework = cycle_year.framework
    probe = Jaarschijf(cycle_year=cycle_year)
    if not rules.is_working_group(actor, probe):
        raise PermissionDenied(_("Alleen de werkgroep maakt een jaarschijf aan."))
    list(CycleYear.objects.select_for_update().filter(pk=cycle_year.pk).values_list("pk"))
    existing = Jaarschijf.objects.filter(cycle_year=cycle_year).first()
    if existing is not None:
        return existing
    plan_year = cycle_year.plan_year
    jaarschijf = Jaarschijf.objects.create(
        cycle_year=cycle_year, plan_year=plan_year, created_by=person(actor), is_demo=is_demo
    )
    texts = JaarschijfText.objects.bulk_create(
        [
            JaarschijfText(
                jaarschijf=jaarschijf,
                key=JaarschijfText.Key.INTRODUCTION,
                text=_(
                    "Deze jaarschijf werkt het %(framework)s uit voor %(year)s: per afspraak "
                    "wat elke partij dat jaar concreet doet."
                )
                % {"framework": framework.title, "year": plan_year},
                updated_by=person(actor),
            ),
            JaarschijfText(
                jaarschijf=jaarschijf, key=JaarschijfText.Key.SPEARHEADS, updated_by=person(actor)
            ),
        ]
    )
    contributions: list[Contribution] = []
    covered: set[tuple[int | None, int]] = set()
    bids = (
        Bid.objects.filter(cycle_year=cycle_year, status=Bid.Status.SUBMITTED)
        .select_related("corporation")
        .prefetch_related("lines__target", "lines__agreement")
        .order_by("corporation__name")
    )
    for bid in bids:
        for line in bid_contribution_lines(bid):
            values = bid_line_values(line)
            contributions.append(
                Contribution(
                    jaarschijf=jaarschijf,
                    party=bid.corporation,
                    planned_quarter=Contribution.Quarter.YEAR,
                    source=Contribution.Source.BID,
                    bid=bid,
                    bid_figure=line.figure,
                    updated_by=person(actor),
                    **values,
                )
            )
            covered.add((values["agreement_id"], bid.corporation_id))
    agreements = (
        Agreement.objects.filter(theme__framework=framework)
        .prefetch_related("responsible_parties")
        .order_by("theme__number", "number")
    )
    party_ids = framework_party_ids(framework)
    for agreement in agreements:
        for party in sorted(agreement.responsible_parties.all(), key=lambda p: (p.kind, p.name)):
            if party.pk not in party_ids or (agreement.pk, party.pk) in covered:
                continue
            contributions.append(
                Contribution(
                    jaarschijf=jaarschijf,
                    agreement=agreement,
                    party=party,
                    source=Contribution.Source.FRAMEWORK,
                    updated_by=person(actor),
                )
            )
    previous = _previous_jaarschijf(cycle_year) if copy_previous else None
    if previous is not None:
        for old in previous.contributions.filter(done=False).exclude(text="").order_by("id"):
            if old.source == Contribution.Source.BID:
                continue  # last year's bid lines are replaced by this year's bid
            contributions.append(
                Contribution(
                    jaarschijf=jaarschijf,
                    agreement_id=old.agreement_id,
                    party_id=old.party_id,
                    text=old.text,
                    quantity=old.quantity,
                    unit=old.unit,
                    target_id=old.target_id,
                    source=Contribution.Source.PREVIOUS,
                    copied_from=old,
                    updated_by=person(actor),
                )
            )
    for order, contribution in enumerate(contributions):
        contribution.order = order
    contributions = Contribution.objects.bulk_create(contributions)
    document = ref(jaarschijf.pk)
    changes = [
        drafting.change_row(
            document, PieceType.TEXT, piece.pk, 1, "create", actor, None, text_snapshot(piece)
        )
        for piece in texts
    ] + [
        drafting.change_row(
            document,
            PieceType.CONTRIBUTION,
            piece.pk,
            1,
            "create",
            actor,
            None,
            contribution_snapshot(piece),
        )
        for piece in contributions
    ]
    changes.append(
        drafting.change_row(
            document,
            PieceType.JAARSCHIJF,
            jaarschijf.pk,
            1,
            "create",
            actor,
            None,
            {
                "state": jaarschijf.state,
                "signing_round": jaarschijf.signing_round,
                "contributions": len(contributions),
                "copied_from": previous.pk if previous else None,
            },
        )
    )
    PieceChange.objects.bulk_create(changes)
    return jaarschijf


# --- contributions ----------------------------------------------------------------------------


@dataclass
class ContributionInput:
    text: str = ""
    quantity: Decimal | str | None = None
    unit: str = ""
    planned_quarter: str = ""
    target_id: int | None = None
    done: bool = False


def _clean_contribution(data: ContributionInput, agreement_id: int | None) -> dict:
    quantity = data.quantity
    if isinstance(quantity, str):
        try:
            quantity = parse_dutch_decimal(quantity)
        except InvalidOperation:
            raise ValidationError({"quantity": _("Vul een getal in.")}) from None
    check_bound(quantity, Quantity.NUMBER, field="quantity")
    if data.planned_quarter not in Contribution.Quarter.values:
        raise ValidationError({"planned_quarter": _("Kies een kwartaal.")})
    target_id = data.target_id or None
    if target_id is not None and (
        agreement_id is None
        or not Target.objects.filter(pk=target_id, agreement_id=agreement_id).exists()
    ):
        raise ValidationError({"target": _("Dit doel hoort niet bij de afspraak.")})
    return {
        "text": (data.text or "").replace("\r\n", "\n").strip(),
        "quantity": _quantity_str(quantity),
        "unit": (data.unit or "").strip()[:120],
        "planned_quarter": data.planned_quarter,
        "target_id": target_id,
        "done": bool(data.done),
    }


def _contribution_values(clean: dict) -> dict:
    values = dict(clean)
    values["quantity"] = Decimal(clean["quantity"]) if clean["quantity"] is not None else None
    return values


@transaction.atomic
def contribution_add(
    *,
    actor: Any,
    jaarschijf: Jaarschijf,
    party: Party,
    agreement: Agreement | None,
    data: ContributionInput,
) -> Contribution:
    jaarschijf = lock_state(jaarschijf.pk)
    check_editable(jaarschijf)
    if not rules.can_edit_party(actor, jaarschijf, party.pk):
        raise PermissionDenied(_("U mag geen bijdrage van deze partij toevoegen."))
    if party.pk not in framework_party_ids(jaarschijf.cycle_year.framework):
        raise ValidationError(_("Deze partij hoort niet bij het kader."))
    if agreement is not None and agreement.theme.framework_id != jaarschijf.cycle_year.framework_id:
        raise ValidationError(_("Deze afspraak hoort niet bij het kader."))
    clean = _clean_contribution(data, agreement.pk if agreement else None)
    if not clean["text"]:
        raise ValidationError({"text": _("Beschrijf wat de partij doet.")})
    last = jaarschijf.contributions.order_by("-order").values_list("order", flat=True).first()
    contribution = Contribution.objects.create(
        jaarschijf=jaarschijf,
        agreement=agreement,
        party=party,
        source=Contribution.Source.MANUAL,
        order=(last or 0) + 1,
        updated_by=person(actor),
        **_contribution_values(clean),
    )
    record_change(
        jaarschijf.pk, PieceType.CONTRIBUTION, contribution.pk, 1, "create", actor, None, clean
    )
    return contribution


@transaction.atomic
def contribution_update(
    *,
    actor: Any,
    contribution_id: int,
    expected_version: int,
    data: ContributionInput,
    action: str = "update",
) -> Contribution:
    """Save a contribution based on ``expected_version``; EditConflict when it is stale."""
    contribution = Contribution.objects.get(pk=contribution_id)
    jaarschijf = lock_state(contribution.jaarschijf_id)
    contribution.jaarschijf = jaarschijf
    check_editable(jaarschijf)
    if not rules.can_edit_contribution(actor, contribution):
        raise PermissionDenied(_("U mag deze bijdrage niet wijzigen."))
    clean = _clean_contribution(data, contribution.agreement_id)
    drafting.piece_save(
        ref=ref(jaarschijf.pk),
        piece=contribution,
        piece_type=PieceType.CONTRIBUTION,
        expected_version=expected_version,
        after=clean,
        values={
            **_contribution_values(clean),
            "updated_at": timezone.now(),
            "updated_by": person(actor),
        },
        actor=actor,
        snapshot=contribution_snapshot,
        action=action,
    )
    contribution.jaarschijf = jaarschijf
    return contribution


@transaction.atomic
def jaarschijf_text_update(
    *, actor: Any, text_id: int, expected_version: int, text: str, action: str = "update"
) -> JaarschijfText:
    piece = JaarschijfText.objects.get(pk=text_id)
    jaarschijf = lock_state(piece.jaarschijf_id)
    check_editable(jaarschijf)
    if not rules.can_edit_texts(actor, jaarschijf):
        raise PermissionDenied(_("Alleen de werkgroep wijzigt de gezamenlijke teksten."))
    clean = {"text": (text or "").replace("\r\n", "\n").strip()}
    drafting.piece_save(
        ref=ref(jaarschijf.pk),
        piece=piece,
        piece_type=PieceType.TEXT,
        expected_version=expected_version,
        after=clean,
        values={"text": clean["text"], "updated_at": timezone.now(), "updated_by": person(actor)},
        actor=actor,
        snapshot=text_snapshot,
        action=action,
    )
    return piece


def piece_restore(
    *, actor: Any, piece_type: str, piece_id: int, version: int, expected_version: int
) -> Contribution | JaarschijfText:
    """Make an earlier version current again: a new change (action "restore"), never a rewind."""
    if piece_type == PieceType.CONTRIBUTION:
        jaarschijf_id = Contribution.objects.values_list("jaarschijf_id", flat=True).get(
            pk=piece_id
        )
    else:
        jaarschijf_id = JaarschijfText.objects.values_list("jaarschijf_id", flat=True).get(
            pk=piece_id
        )
    return drafting.piece_restore(
        document=JaarschijfDrafted.load(jaarschijf_id),
        actor=actor,
        piece_type=piece_type,
        piece_id=piece_id,
        version=version,
        expected_version=expected_version,
    )


# --- states -----------------------------------------------------------------------------------

TRANSITIONS = {
    Jaarschijf.State.CONCEPT: {Jaarschijf.State.FINAL_DRAFT},
    Jaarschijf.State.FINAL_DRAFT: {Jaarschijf.State.CONCEPT, Jaarschijf.State.FOR_SIGNING},
}


def _set_state(
    jaarschijf: Jaarschijf, actor: Any, state: str, action: str, **extra: Any
) -> Jaarschijf:
    before = {"state": jaarschijf.state, "signing_round": jaarschijf.signing_round}
    jaarschijf.state = state
    jaarschijf.version += 1
    jaarschijf.state_changed_at = timezone.now()
    jaarschijf.save(update_fields=["state", "version", "state_changed_at", "signing_round"])
    record_change(
        jaarschijf.pk,
        PieceType.JAARSCHIJF,
        jaarschijf.pk,
        jaarschijf.version,
        action,
        actor,
        before,
        {"state": state, "signing_round": jaarschijf.signing_round, **extra},
    )
    return jaarschijf


def _lock_for_update(jaarschijf: Jaarschijf) -> Jaarschijf:
    return (
        Jaarschijf.objects.select_for_update()
        .select_related("cycle_year__framework")
        .get(pk=jaarschijf.pk)
    )


@transaction.atomic
def jaarschijf_set_state(*, actor: Any, jaarschijf: Jaarschijf, state: str) -> Jaarschijf:
    """concept -> definitief concept -> ter ondertekening (and definitief concept -> concept);
    the working group's steps. Signed and back-from-frozen have their own services."""
    jaarschijf = _lock_for_update(jaarschijf)
    if not rules.can_manage(actor, jaarschijf):
        raise PermissionDenied(_("Alleen de werkgroep wijzigt de status."))
    if state not in TRANSITIONS.get(jaarschijf.state, set()):
        raise ValidationError(
            _("Van ‘%(old)s’ kan de jaarschijf niet naar ‘%(new)s’.")
            % {"old": jaarschijf.get_state_display(), "new": Jaarschijf.State(state).label}
        )
    return _set_state(jaarschijf, actor, state, "state")


@transaction.atomic
def jaarschijf_reopen(*, actor: Any, jaarschijf: Jaarschijf, reason: str = "") -> Jaarschijf:
    """Take a frozen jaarschijf (ter ondertekening) back to concept: the working group only.

    ``signing_round`` goes up by one: signatures given in the previous round no longer count.
    Hook for the signing code: it should void (not delete) signatures whose round is below the
    jaarschijf's current ``signing_round``.
    """
    jaarschijf = _lock_for_update(jaarschijf)
    if not rules.can_manage(actor, jaarschijf):
        raise PermissionDenied(_("Alleen de werkgroep kan de jaarschijf heropenen."))
    if jaarschijf.state != Jaarschijf.State.FOR_SIGNING:
        raise ValidationError(_("Alleen een jaarschijf ter ondertekening kan terug naar concept."))
    voided_round = jaarschijf.signing_round
    jaarschijf.signing_round += 1
    return _set_state(
        jaarschijf,
        actor,
        Jaarschijf.State.CONCEPT,
        "reopen",
        reason=reason.strip(),
        voided_round=voided_round,
    )


@transaction.atomic
def jaarschijf_mark_signed(*, actor: Any, jaarschijf: Jaarschijf, signing_round: int) -> Jaarschijf:
    """Hook for the signing code: every party has signed in ``signing_round``.

    Refused when the jaarschijf is not ter ondertekening or the round is stale (it was reopened
    after those signatures were given).
    """
    if not is_system(actor):
        raise PermissionDenied(_("Alleen de ondertekening zelf zet de jaarschijf op ondertekend."))
    jaarschijf = _lock_for_update(jaarschijf)
    if jaarschijf.state != Jaarschijf.State.FOR_SIGNING:
        raise ValidationError(_("De jaarschijf staat niet ter ondertekening."))
    if signing_round != jaarschijf.signing_round:
        raise ValidationError(_("Deze handtekeningen horen bij een eerdere ronde."))
    return _set_state(jaarschijf, actor, Jaarschijf.State.SIGNED, "signed")


# --- presence, visits, comments (core.drafting, for this jaarschijf) ---------------------------


def presence_beat(
    *, user: Any, jaarschijf: Jaarschijf, piece_type: str, piece_id: int
) -> list[str]:
    """Record that the user has the piece open; return who else has it open (names)."""
    return drafting.presence_beat(
        user=user, ref=ref(jaarschijf.pk), piece_type=piece_type, piece_id=piece_id
    )


def presence_leave(*, user: Any, jaarschijf: Jaarschijf, piece_type: str, piece_id: int) -> None:
    drafting.presence_leave(
        user=user, ref=ref(jaarschijf.pk), piece_type=piece_type, piece_id=piece_id
    )


def jaarschijf_visit_record(
    *, user: Any, jaarschijf: Jaarschijf, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When the user's visit before this one ended (core.drafting.services.visit_record)."""
    return drafting.visit_record(user=user, ref=ref(jaarschijf.pk), now=now)


def comment_add(
    *,
    actor: Any,
    jaarschijf: Jaarschijf,
    piece_type: str,
    piece_id: int,
    text: str,
    parent: PieceComment | None = None,
    notify: bool = True,
) -> PieceComment:
    """A comment (or a reply) on a piece; the piece's party hears of it by e-mail after commit."""
    return drafting.comment_add(
        actor=actor,
        document=JaarschijfDrafted(jaarschijf),
        piece_type=piece_type,
        piece_id=piece_id,
        text=text,
        parent=parent,
        notify=notify,
    )


comment_set_resolved = drafting.comment_set_resolved


@register
class JaarschijfDrafted(Drafted):
    """The jaarschijf in the drafting machinery: contributions and shared texts are its pieces;
    everyone of a framework party comments; a comment goes to the piece's party (a
    contribution's) or to the working group (a shared text)."""

    key = DOCUMENT
    model = Jaarschijf
    document_piece = PieceType.JAARSCHIJF

    @classmethod
    def load(cls, pk: int) -> JaarschijfDrafted:
        return cls(Jaarschijf.objects.select_related("cycle_year__framework").get(pk=pk))

    def can_comment(self, user: Any) -> bool:
        return rules.can_comment(user, self.obj)

    def author_party(self, user: Any) -> Party | None:
        return user_party(user)

    def piece_exists(self, piece_type: str, piece_id: int) -> bool:
        if piece_type == PieceType.CONTRIBUTION:
            return Contribution.objects.filter(pk=piece_id, jaarschijf=self.obj).exists()
        if piece_type == PieceType.TEXT:
            return JaarschijfText.objects.filter(pk=piece_id, jaarschijf=self.obj).exists()
        return piece_type == PieceType.JAARSCHIJF and piece_id == self.obj.pk

    def restore(
        self, *, actor: Any, piece_type: str, piece_id: int, values: dict, expected_version: int
    ) -> Contribution | JaarschijfText:
        if piece_type == PieceType.CONTRIBUTION:
            return contribution_update(
                actor=actor,
                contribution_id=piece_id,
                expected_version=expected_version,
                data=ContributionInput(**{key: values.get(key) for key in CONTRIBUTION_FIELDS}),
                action="restore",
            )
        return jaarschijf_text_update(
            actor=actor,
            text_id=piece_id,
            expected_version=expected_version,
            text=values.get("text", ""),
            action="restore",
        )

    def comment_recipients(self, piece_type: str, piece_id: int):
        party = None
        if piece_type == PieceType.CONTRIBUTION:
            party = Contribution.objects.select_related("party").get(pk=piece_id).party
        if party is not None:
            return User.objects.filter(membership__party=party)
        return User.objects.filter(
            membership__role=Membership.Role.WORKING_GROUP,
            membership__party__in=framework_party_ids(self.obj.cycle_year.framework),
        )

    def comment_mail(self, *, author: str, text: str) -> tuple[str, str]:
        subject = _("Nieuwe reactie op de jaarschijf %(year)s") % {"year": self.obj.plan_year}
        body = _("%(author)s reageerde:\n\n%(text)s\n\nBekijk de jaarschijf in het portaal.") % {
            "author": author,
            "text": text,
        }
        return subject, body
