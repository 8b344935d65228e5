"""Writes of the drafting machinery (see core/drafting/__init__.py). The document's own
services check its state and who may edit, then call these inside their transaction.

No lost update: every piece carries a version. ``piece_save`` applies a save with
``UPDATE ... WHERE id = %s AND version = %s``; when someone else saved in between, no row
matches and the save is refused with EditConflict, which carries both the editor's values and
the current ones, so that nothing typed is ever lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import person
from core.conflicts import EditConflict
from core.drafting.models import DocumentVisit, PieceChange, PieceComment, PiecePresence
from core.drafting.registry import DocumentRef, Drafted, drafted_for

PRESENCE_SECONDS = 60
# Page loads closer together than this are one visit (for "gewijzigd sinds mijn laatste bezoek").
VISIT_GAP = dt.timedelta(minutes=30)

Snapshot = Callable[[models.Model], dict]


# --- history ----------------------------------------------------------------------------------


def change_row(
    ref: DocumentRef,
    piece_type: str,
    piece_id: int,
    version: int,
    action: str,
    actor: Any,
    before: dict | None,
    after: dict,
) -> PieceChange:
    """An unsaved history entry (for ``bulk_create`` when a document is created)."""
    return PieceChange(
        **ref.filter(),
        piece_type=piece_type,
        piece_id=piece_id,
        version=version,
        action=action,
        actor=person(actor),
        before=before,
        after=after,
    )


def record_change(
    ref: DocumentRef,
    piece_type: str,
    piece_id: int,
    version: int,
    action: str,
    actor: Any,
    before: dict | None,
    after: dict,
) -> PieceChange:
    """One entry of a piece's history, in the caller's transaction."""
    row = change_row(ref, piece_type, piece_id, version, action, actor, before, after)
    row.save()
    return row


def conflict(
    piece: models.Model,
    piece_type: str,
    yours: dict,
    based_on: int,
    snapshot: Snapshot,
    version_field: str = "version",
) -> EditConflict:
    """The refusal of a stale save: what the editor sent beside what is stored now."""
    current = type(piece)._default_manager.get(pk=piece.pk)
    return EditConflict(
        piece_type=piece_type,
        piece_id=piece.pk,
        yours=yours,
        current=snapshot(current),
        current_version=getattr(current, version_field),
        based_on=based_on,
    )


def piece_save(
    *,
    ref: DocumentRef,
    piece: models.Model,
    piece_type: str,
    expected_version: int,
    after: dict,
    values: dict,
    actor: Any,
    snapshot: Snapshot,
    action: str = "update",
    version_field: str = "version",
) -> bool:
    """Save a piece's new content (``values``: the columns; ``after``: its snapshot) based on
    ``expected_version`` and record the change. EditConflict when the base is stale (nothing is
    written); False when nothing changed. ``piece`` is refreshed from the database.
    ``version_field`` names the piece's draft version column."""
    before = snapshot(piece)
    stale = (piece, piece_type, after, expected_version, snapshot, version_field)
    if getattr(piece, version_field) != expected_version:
        raise conflict(*stale)
    if after == before:
        return False
    updated = (
        type(piece)
        ._default_manager.filter(pk=piece.pk, **{version_field: expected_version})
        .update(**values, **{version_field: F(version_field) + 1})
    )
    if updated != 1:
        raise conflict(*stale)
    record_change(ref, piece_type, piece.pk, expected_version + 1, action, actor, before, after)
    piece.refresh_from_db()
    return True


def version_content(ref: DocumentRef, piece_type: str, piece_id: int, version: int) -> dict:
    """What the piece said at ``version`` (ValidationError when there is no such version).

    A piece that existed before its document was drafted here (transcribed, imported, copied)
    has no row of its own first version: the ``before`` of its first change holds it."""
    rows = PieceChange.objects.filter(**ref.filter(), piece_type=piece_type, piece_id=piece_id)
    change = rows.filter(version=version).first()
    if change is not None:
        return change.after
    following = rows.filter(version=version + 1).first()
    if following is None or following.before is None:
        raise ValidationError(_("Deze versie bestaat niet."))
    return following.before


def piece_restore(
    *,
    document: Drafted,
    actor: Any,
    piece_type: str,
    piece_id: int,
    version: int,
    expected_version: int,
) -> Any:
    """Make an earlier version current again: a new change (action "restore"), never a rewind."""
    values = version_content(document.ref, piece_type, piece_id, version)
    return document.restore(
        actor=actor,
        piece_type=piece_type,
        piece_id=piece_id,
        values=values,
        expected_version=expected_version,
    )


# --- presence ---------------------------------------------------------------------------------


def presence_beat(*, user: Any, ref: DocumentRef, piece_type: str, piece_id: int) -> list[str]:
    """Record that the user has the piece open; return who else has it open (names).

    Not a lock: a row older than PRESENCE_SECONDS no longer counts, so someone who left for
    the holidays with the editor open blocks nobody.
    """
    now = timezone.now()
    PiecePresence.objects.update_or_create(
        document_type=ref.type,
        piece_type=piece_type,
        piece_id=piece_id,
        user=user,
        defaults={"seen_at": now, "document_id": ref.id},
    )
    return presence_others(user=user, ref=ref, piece_type=piece_type, piece_id=piece_id, now=now)


def presence_others(
    *,
    user: Any,
    ref: DocumentRef,
    piece_type: str,
    piece_id: int,
    now: dt.datetime | None = None,
) -> list[str]:
    since = (now or timezone.now()) - dt.timedelta(seconds=PRESENCE_SECONDS)
    rows = (
        PiecePresence.objects.filter(
            document_type=ref.type, piece_type=piece_type, piece_id=piece_id, seen_at__gte=since
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("user__username")
    )
    return [row.user.get_full_name() or row.user.username for row in rows]


def presence_leave(*, user: Any, ref: DocumentRef, piece_type: str, piece_id: int) -> None:
    PiecePresence.objects.filter(
        document_type=ref.type, piece_type=piece_type, piece_id=piece_id, user=user
    ).delete()


# --- visits -----------------------------------------------------------------------------------


def visit_record(
    *, user: Any, ref: DocumentRef, now: dt.datetime | None = None
) -> dt.datetime | None:
    """Record that the user loads the document's page; return when their visit *before* this
    one ended (None on the first visit).

    Loads less than VISIT_GAP apart belong to one visit: reloading, or choosing a filter, keeps
    the same "previous visit", so "gewijzigd sinds mijn laatste bezoek" does not empty itself.
    The user's own bookkeeping, no change to the document: allowed in every state (also frozen).
    """
    now = now or timezone.now()
    visit = DocumentVisit.objects.filter(**ref.filter(), user=user).first()
    if visit is None:
        DocumentVisit.objects.get_or_create(
            **ref.filter(), user=user, defaults={"last_seen_at": now}
        )
        return None
    previous = visit.previous_visit_at
    if now - visit.last_seen_at > VISIT_GAP:
        previous = visit.last_seen_at
    DocumentVisit.objects.filter(pk=visit.pk).update(last_seen_at=now, previous_visit_at=previous)
    return previous


# --- comments ---------------------------------------------------------------------------------


def _recipients(document: Drafted, piece_type: str, piece_id: int, author: Any) -> list[str]:
    users = document.comment_recipients(piece_type, piece_id).filter(is_active=True, email__gt="")
    if getattr(author, "pk", None):
        users = users.exclude(pk=author.pk)
    return sorted(set(users.values_list("email", flat=True)))


@transaction.atomic
def comment_add(
    *,
    actor: Any,
    document: Drafted,
    piece_type: str,
    piece_id: int,
    text: str,
    parent: PieceComment | None = None,
    notify: bool = True,
) -> PieceComment:
    """A comment (or a reply) on a piece; the document's recipients for that piece hear of it by
    e-mail after commit (one message each: nobody sees another's address)."""
    if not document.can_comment(actor):
        raise PermissionDenied(_("U kunt hier niet reageren."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Schrijf een reactie.")})
    if not document.piece_exists(piece_type, piece_id):
        raise ValidationError(_("Dit onderdeel bestaat niet in dit document."))
    ref = document.ref
    if parent is not None:
        if (parent.document_type, parent.document_id) != ref or (
            parent.piece_type,
            parent.piece_id,
        ) != (piece_type, piece_id):
            raise ValidationError(_("Deze reactie hoort bij een ander onderdeel."))
        parent = parent.parent or parent  # replies stay one level deep
    comment = PieceComment.objects.create(
        **ref.filter(),
        piece_type=piece_type,
        piece_id=piece_id,
        parent=parent,
        author=person(actor),
        author_party=document.author_party(actor),
        text=text,
    )
    # The comment row is its own record (author, party, time); it is never edited.
    if notify:
        recipients = _recipients(document, piece_type, piece_id, actor)
        if recipients:
            subject, body = document.comment_mail(
                author=actor.get_full_name() or actor.username, text=text
            )

            def send() -> None:
                for address in recipients:
                    send_mail(subject, body, None, [address])

            transaction.on_commit(send)
    return comment


@transaction.atomic
def comment_set_resolved(*, actor: Any, comment: PieceComment, resolved: bool) -> None:
    """Resolve (or reopen) a whole thread; whoever may comment on the document may."""
    comment = PieceComment.objects.select_for_update().get(pk=comment.pk)
    document = drafted_for(comment.document_type, comment.document_id)
    if not document.can_comment(actor):
        raise PermissionDenied(_("U kunt deze reactie niet afhandelen."))
    if comment.parent_id is not None:
        raise ValidationError(_("Alleen een hele discussie wordt afgehandeld."))
    if comment.resolved == resolved:
        return
    comment.resolved = resolved
    comment.resolved_by = person(actor) if resolved else None
    comment.save(update_fields=["resolved", "resolved_by"])


def decimal_text(value: Decimal | None) -> str | None:
    """A number as a snapshot keeps it (JSON text): "4100", "2.5"; None stays None."""
    if value is None:
        return None
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)
