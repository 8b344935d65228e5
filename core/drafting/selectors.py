"""Reads of the drafting machinery, each a fixed number of queries whatever the number of
comments, people present or changes (core/drafting/__init__.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from core.diffing import diff_html
from core.drafting.models import PieceChange, PieceComment, PiecePresence
from core.drafting.registry import DocumentRef
from core.drafting.services import PRESENCE_SECONDS


def comments(ref: DocumentRef, **filters: Any) -> list[PieceComment]:
    return list(
        PieceComment.objects.filter(**ref.filter(), **filters)
        .select_related("author", "author_party")
        .order_by("created_at", "id")
    )


def threads(rows: list[PieceComment]) -> dict[tuple[str, int], list]:
    """Top-level comments per piece, each with ``reply_list``; oldest first."""
    by_piece: dict[tuple[str, int], list] = defaultdict(list)
    replies: dict[int, list] = defaultdict(list)
    for comment in rows:
        if comment.parent_id:
            replies[comment.parent_id].append(comment)
    for comment in rows:
        if not comment.parent_id:
            comment.reply_list = replies.get(comment.pk, [])
            by_piece[(comment.piece_type, comment.piece_id)].append(comment)
    return by_piece


def presence(ref: DocumentRef, user: Any, **filters: Any) -> dict[tuple[str, int], list]:
    """Who else has which piece open now (names per (piece type, id))."""
    since = timezone.now() - dt.timedelta(seconds=PRESENCE_SECONDS)
    rows = (
        PiecePresence.objects.filter(**ref.filter(), seen_at__gte=since, **filters)
        .exclude(user_id=user.pk)
        .select_related("user")
        .order_by("user__username")
    )
    present: dict[tuple[str, int], list] = defaultdict(list)
    for row in rows:
        present[(row.piece_type, row.piece_id)].append(
            row.user.get_full_name() or row.user.username
        )
    return present


def decorate(piece: Any, piece_type: str, threads_by_piece: dict, present: dict) -> Any:
    """Give a piece what the shared templates read: its type, threads, open count, presence."""
    key = (piece_type, piece.pk)
    piece.piece_type = piece_type
    piece.threads = threads_by_piece.get(key, [])
    piece.open_threads = sum(1 for thread in piece.threads if not thread.resolved)
    piece.present = present.get(key, [])
    return piece


def piece_changes(ref: DocumentRef, piece_type: str, piece_id: int) -> list[PieceChange]:
    """A piece's history, oldest first. A piece that existed before its document was drafted
    here has no row of its first version: it is shown from its first change's ``before``
    (an unsaved row, action "create", by nobody known)."""
    changes = list(
        PieceChange.objects.filter(document_type=ref.type, piece_type=piece_type, piece_id=piece_id)
        .select_related("actor")
        .order_by("version")
    )
    if changes and changes[0].version > 1 and changes[0].before is not None:
        first = changes[0]
        original = PieceChange(
            **ref.filter(),
            piece_type=piece_type,
            piece_id=piece_id,
            version=first.version - 1,
            action="create",
            after=first.before,
        )
        changes.insert(0, original)
    return changes


def document_changes(ref: DocumentRef) -> QuerySet[PieceChange]:
    return PieceChange.objects.filter(**ref.filter()).select_related("actor").order_by("-at", "-id")


def version_param(params: Any, name: str, default: int) -> int:
    try:
        return int(params.get(name, default))
    except ValueError:
        return default


def piece_comparison(changes: list[PieceChange], params: Any) -> tuple[int, int, dict, dict]:
    """The two versions a piece's history page compares (``van``/``tot`` in the query, default
    the latest change) and their contents; Http404 for a version that does not exist."""
    versions = {change.version: change for change in changes}
    latest = max(versions) if versions else 1
    new = version_param(params, "tot", latest)
    old = version_param(params, "van", max(1, new - 1))
    if old not in versions or new not in versions:
        raise Http404("Versie niet gevonden")
    return old, new, versions[old].after, versions[new].after


def snapshot_text(snapshot: dict | None) -> str:
    """The text of a piece's snapshot that its word diff compares: its "text"."""
    return (snapshot or {}).get("text", "")


def with_diffs(
    changes: list[PieceChange],
    labels: dict,
    document_piece: str,
    text_of: Callable[[dict | None], str] = snapshot_text,
) -> list[PieceChange]:
    """The document history's entries, each with its piece's label and its text's word diff
    (``text_of`` says which text of a snapshot is compared)."""
    for change in changes:
        change.label = labels.get((change.piece_type, change.piece_id), "")
        if change.piece_type != document_piece:
            change.diff = diff_html(text_of(change.before), text_of(change.after))
    return changes
