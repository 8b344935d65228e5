"""Writes of a framework in concept, drafted as pieces (see agreements/drafting/__init__.py).

Every service is atomic, takes the framework's state under a shared lock, refuses unless the
framework is a draft (``agreements.drafting.states.is_editable``, the one editable-states
check) and the actor is in the working group of one of its parties, and records its change in
core.drafting's history in the same transaction. A save names the piece's ``draft_version`` it
was based on: a stale save is refused with core.conflicts.EditConflict and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max, ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agreements.access import AnyUser, framework_party_ids, framework_standing, user_party
from agreements.drafting.pieces import (
    AGREEMENT,
    DECIMALS,
    DOCUMENT,
    KINDS,
    TARGET,
    TEXTS,
    THEME,
    PieceKind,
)
from agreements.drafting.states import is_editable
from agreements.models import (
    Agreement,
    Framework,
    Indicator,
    Membership,
    Target,
    Theme,
)
from core.bounds import Quantity, check_bound
from core.drafting import services as drafting
from core.drafting.registry import DocumentRef, Drafted, register

User = get_user_model()
VERSION = "draft_version"


def can_edit(user: AnyUser, framework: Framework) -> bool:
    """The working group of the framework's parties drafts it, while it is a draft."""
    return is_editable(framework) and framework_standing(user, framework).is_working_group


def can_comment(user: AnyUser, framework: Framework) -> bool:
    """Everyone of a party of the framework comments, in every state."""
    return framework_standing(user, framework).is_party


def ref(framework_id: int) -> DocumentRef:
    return DocumentRef(DOCUMENT, framework_id)


def lock_state(framework_id: int) -> Framework:
    """The framework's state under a shared row lock (PostgreSQL: FOR SHARE): a state change
    or a put-up for signing (FOR UPDATE) waits for edits in flight, and edits wait for it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM agreements_framework WHERE id = %s FOR SHARE", [framework_id]
            )
    return Framework.objects.get(pk=framework_id)


def _check(actor: Any, framework: Framework) -> None:
    if not is_editable(framework):
        raise ValidationError(
            _("Het kader is geen concept meer: er kan niets meer worden gewijzigd.")
        )
    if not framework_standing(actor, framework).is_working_group:
        raise PermissionDenied(_("Alleen de werkgroep van de partijen wijzigt het concept."))


def piece_of(framework: Framework, kind: PieceKind, piece_id: int):
    """The piece of this framework, or ValidationError (the view makes that a 404)."""
    piece = kind.model.objects.filter(pk=piece_id, **{kind.framework_path: framework.pk}).first()
    if piece is None:
        raise ValidationError(_("Dit onderdeel hoort niet bij dit kader."))
    return piece


# --- cleaning what was typed -------------------------------------------------------------------


def _text(value: Any) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _number(framework: Framework, kind: PieceKind, piece, value: Any, parent_id: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"number": _("Vul een nummer in.")}) from None
    if number < 1 or number > 999:
        raise ValidationError({"number": _("Een nummer ligt tussen 1 en 999.")})
    siblings = (
        Theme.objects.filter(framework_id=parent_id)
        if kind.key == THEME
        else Agreement.objects.filter(theme_id=parent_id)
    )
    if siblings.filter(number=number).exclude(pk=getattr(piece, "pk", None)).exists():
        raise ValidationError({"number": _("Nummer %(n)s is al in gebruik.") % {"n": number}})
    return number


def _party_ids(framework: Framework, value: Any) -> list[int]:
    ids = sorted({int(pk) for pk in value or []})
    if set(ids) - framework_party_ids(framework):
        raise ValidationError(_("Kies alleen partijen van het kader."))
    return ids


def _decimal(value: Any, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    number = Decimal(str(value))
    check_bound(number, Quantity.TARGET, field=name)
    return number


def _year(value: Any, name: str) -> int | None:
    if value in (None, ""):
        return None
    year = int(value)
    if not 1900 <= year <= 2100:
        raise ValidationError({name: _("Vul een jaartal tussen 1900 en 2100 in.")})
    return year


def _clean_target(framework: Framework, data: dict) -> tuple[dict, dict]:
    label = _text(data.get("label"))
    if not label:
        raise ValidationError({"label": _("Beschrijf het doel.")})
    kind = data.get("kind") or ""
    if kind not in Target.Kind.values:
        raise ValidationError({"kind": _("Kies een soort doel.")})
    direction = data.get("direction") or Target.Direction.EXACTLY
    if direction not in Target.Direction.values:
        raise ValidationError({"direction": _("Kies een richting.")})
    numbers = {name: _decimal(data.get(name), name) for name in DECIMALS}
    if kind != Target.Kind.END_STATE and numbers["value"] is None:
        raise ValidationError({"value": _("Vul een doelwaarde in (behalve bij een eindtoestand).")})
    if kind == Target.Kind.RANGE and (
        numbers["value_max"] is None or numbers["value_max"] < numbers["value"]
    ):
        raise ValidationError(
            {
                "value_max": _(
                    "Een bandbreedte heeft een bovengrens die niet lager is dan de doelwaarde."
                )
            }
        )
    indicator_id = data.get("indicator_id") or None
    if indicator_id is not None and not Indicator.objects.filter(pk=indicator_id).exists():
        raise ValidationError({"indicator": _("Deze indicator bestaat niet.")})
    baseline_date = data.get("baseline_date") or None
    if isinstance(baseline_date, str):
        baseline_date = dt.date.fromisoformat(baseline_date)
    columns = {
        "label": label[:300],
        "kind": kind,
        "direction": direction,
        **numbers,
        "unit": _text(data.get("unit"))[:120],
        "baseline_date": baseline_date,
        "period_start": _year(data.get("period_start"), "period_start"),
        "target_year": _year(data.get("target_year"), "target_year"),
        "per_year": bool(data.get("per_year")),
        "indicator_id": indicator_id and int(indicator_id),
        "note": _text(data.get("note")),
    }
    m2m = {"parties": _party_ids(framework, data.get("party_ids"))}
    return columns, m2m


def clean(framework: Framework, kind: PieceKind, piece, data: dict, parent_id: int) -> tuple:
    """(columns, many-to-many ids) of a piece from what was typed; ValidationError in Dutch."""
    if kind.key == TEXTS:
        return {name: _text(data.get(name)) for name in kind.fields}, {}
    if kind.key == THEME:
        title = _text(data.get("title"))
        if not title:
            raise ValidationError({"title": _("Geef het thema een titel.")})
        number = _number(framework, kind, piece, data.get("number"), parent_id)
        return {
            "number": number,
            "title": title[:200],
            "introduction": _text(data.get("introduction")),
        }, {}
    if kind.key == AGREEMENT:
        title = _text(data.get("title"))
        if not title:
            raise ValidationError({"title": _("Geef de afspraak een titel.")})
        number = _number(framework, kind, piece, data.get("number"), parent_id)
        columns = {"number": number, "title": title[:200], "text": _text(data.get("text"))}
        return columns, {
            "responsible_parties": _party_ids(framework, data.get("responsible_party_ids"))
        }
    return _clean_target(framework, data)


def _snapshot_of(kind: PieceKind, columns: dict, m2m: dict) -> dict:
    """The snapshot the cleaned values will have once saved (compared with the stored one)."""
    probe = kind.model(**columns)
    snapshot = {}
    for name in kind.fields:
        if name == "responsible_party_ids":
            snapshot[name] = m2m["responsible_parties"]
        elif name == "party_ids":
            snapshot[name] = m2m["parties"]
        elif name in DECIMALS:
            snapshot[name] = drafting.decimal_text(columns[name])
        elif name == "baseline_date":
            snapshot[name] = columns[name].isoformat() if columns[name] else None
        else:
            snapshot[name] = getattr(probe, name)
    return snapshot


def _parent_id(kind: PieceKind, piece) -> int:
    """The row a piece's number is unique within (a theme's framework, an agreement's theme)."""
    if kind.key == THEME:
        return piece.framework_id
    if kind.key == AGREEMENT:
        return piece.theme_id
    if kind.key == TARGET:
        return piece.agreement_id
    return piece.pk


# --- the services ------------------------------------------------------------------------------


@transaction.atomic
def framework_piece_update(
    *,
    actor: Any,
    framework: Framework,
    kind: str,
    piece_id: int,
    expected_version: int,
    data: dict,
    action: str = "update",
):
    """Save one piece (the texts, a theme, an agreement, a target) based on
    ``expected_version``; EditConflict when someone saved in between (nothing is written)."""
    framework = lock_state(framework.pk)
    _check(actor, framework)
    piece_kind = KINDS[kind]
    piece = piece_of(framework, piece_kind, piece_id)
    columns, m2m = clean(framework, piece_kind, piece, data, _parent_id(piece_kind, piece))
    changed = drafting.piece_save(
        ref=ref(framework.pk),
        piece=piece,
        piece_type=kind,
        expected_version=expected_version,
        after=_snapshot_of(piece_kind, columns, m2m),
        values=columns,
        actor=actor,
        snapshot=piece_kind.snapshot,
        action=action,
        version_field=VERSION,
    )
    if changed:
        for name, ids in m2m.items():
            getattr(piece, name).set(ids)
    return piece


def _next_number(siblings) -> int:
    return (siblings.aggregate(highest=Max("number"))["highest"] or 0) + 1


def _unique_slug(base: str, taken: set[str]) -> str:
    base = slugify(base)[:70] or "onderdeel"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def framework_piece_add(
    *, actor: Any, framework: Framework, kind: str, parent_id: int | None, data: dict
):
    """Add a theme to the framework, an agreement to a theme or a target to an agreement."""
    framework = lock_state(framework.pk)
    _check(actor, framework)
    piece_kind = KINDS[kind]
    if kind == THEME:
        parent_id = framework.pk
        data = {**data, "number": data.get("number") or _next_number(framework.themes)}
    elif kind in {AGREEMENT, TARGET}:
        parent = piece_of(framework, KINDS[piece_kind.parent], parent_id or 0)
        if kind == AGREEMENT:
            data = {**data, "number": data.get("number") or _next_number(parent.agreements)}
    else:
        raise ValidationError(_("Dit onderdeel kan niet worden toegevoegd."))
    columns, m2m = clean(framework, piece_kind, None, data, parent_id)
    if kind == THEME:
        slug = _unique_slug(columns["title"], set(framework.themes.values_list("slug", flat=True)))
        piece = Theme(framework=framework, slug=slug, **columns)
    elif kind == AGREEMENT:
        piece = Agreement(theme_id=parent_id, **columns)
    else:
        taken = Target.objects.filter(agreement_id=parent_id).values_list("code", flat=True)
        code = _unique_slug(columns["label"], set(taken))
        order = _next_number_order(parent_id)
        piece = Target(agreement_id=parent_id, code=code, order=order, **columns)
    piece.save()
    for name, ids in m2m.items():
        getattr(piece, name).set(ids)
    drafting.record_change(
        ref(framework.pk), kind, piece.pk, 1, "create", actor, None, piece_kind.snapshot(piece)
    )
    return piece


def _next_number_order(agreement_id: int) -> int:
    highest = Target.objects.filter(agreement_id=agreement_id).aggregate(o=Max("order"))["o"]
    return (highest or 0) + 1


@transaction.atomic
def framework_piece_remove(*, actor: Any, framework: Framework, kind: str, piece_id: int) -> None:
    """Remove a theme (with its agreements and targets), an agreement (with its targets) or a
    target; the history keeps what it said (action "delete")."""
    framework = lock_state(framework.pk)
    _check(actor, framework)
    if kind not in {THEME, AGREEMENT, TARGET}:
        raise ValidationError(_("Dit onderdeel kan niet worden verwijderd."))
    piece_kind = KINDS[kind]
    piece = piece_of(framework, piece_kind, piece_id)
    before = piece_kind.snapshot(piece)
    version = getattr(piece, VERSION)
    try:
        piece.delete()
    except ProtectedError:
        raise ValidationError(
            _("Dit onderdeel wordt al gebruikt (in een jaarschijf of evaluatie) en blijft staan.")
        ) from None
    drafting.record_change(
        ref(framework.pk), kind, piece_id, version + 1, "delete", actor, before, {}
    )


# --- the framework in the drafting machinery ---------------------------------------------------


@register
class FrameworkDrafted(Drafted):
    """A framework in concept: its texts, themes, agreements and targets are its pieces; every
    party comments; a comment goes to the working group of the framework's parties."""

    key = DOCUMENT
    model = Framework
    document_piece = DOCUMENT

    def can_comment(self, user: Any) -> bool:
        return can_comment(user, self.obj)

    def author_party(self, user: Any):
        return user_party(user)

    def piece_exists(self, piece_type: str, piece_id: int) -> bool:
        kind = KINDS.get(piece_type)
        return (
            kind is not None
            and kind.model.objects.filter(
                pk=piece_id, **{kind.framework_path: self.obj.pk}
            ).exists()
        )

    def restore(
        self, *, actor: Any, piece_type: str, piece_id: int, values: dict, expected_version: int
    ):
        return framework_piece_update(
            actor=actor,
            framework=self.obj,
            kind=piece_type,
            piece_id=piece_id,
            expected_version=expected_version,
            data=values,
            action="restore",
        )

    def comment_recipients(self, piece_type: str, piece_id: int):
        return User.objects.filter(
            membership__role=Membership.Role.WORKING_GROUP,
            membership__party__in=framework_party_ids(self.obj),
        )

    def comment_mail(self, *, author: str, text: str) -> tuple[str, str]:
        subject = _("Nieuwe reactie op het concept %(title)s") % {"title": self.obj.title}
        body = _("%(author)s reageerde:\n\n%(text)s\n\nBekijk het concept in het portaal.") % {
            "author": author,
            "text": text,
        }
        return subject, body
