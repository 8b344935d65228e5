"""What part of the jaarschijf page a user asked for: one section (a theme, the shared texts,
the unlinked bid lines, or everything) and the filters "alleen mijn organisatie", "alleen met
open reacties" and "alleen gewijzigd sinds mijn laatste bezoek". Read from the query string of
a plain GET form, so the page works without JavaScript and every view can be bookmarked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, QueryDict

ALL = "alle"
TEXTS = "teksten"
UNLINKED = "overig"


@dataclass(frozen=True)
class PageFilter:
    section: str = ALL  # ALL, TEXTS, UNLINKED or a theme's primary key (as text)
    mine: bool = False
    open_comments: bool = False
    changed: bool = False
    # Filled in by the view, not read from the query string:
    party_id: int | None = None
    since: dt.datetime | None = None
    open_thread: tuple[str, int] | None = None

    @classmethod
    def from_query(cls, query: QueryDict) -> PageFilter:
        section = (query.get("thema") or ALL).strip()
        if section not in {ALL, TEXTS, UNLINKED} and not section.isdigit():
            raise Http404("Thema niet gevonden")
        return cls(
            section=section,
            mine=query.get("mijn") == "1",
            open_comments=query.get("open") == "1",
            changed=query.get("gewijzigd") == "1",
            open_thread=_piece_key(query.get("reacties", "")),
        )

    @property
    def active(self) -> bool:
        """Is any filter on (beyond the choice of section)?"""
        return self.mine or self.open_comments or self.changed

    def shows(self, section: str) -> bool:
        return self.section in {ALL, section}

    def keeps(self, piece: Any) -> bool:
        """Does the piece (a decorated contribution or text) pass every chosen filter?"""
        if self.mine and getattr(piece, "party_id", None) != self.party_id:
            return False
        if self.open_comments and not piece.open_threads:
            return False
        return not self.changed or changed_since(piece, self.since)

    def query(self, **changes: Any) -> str:
        """The query string of this view with some choices changed, e.g. another section."""
        chosen = replace(self, **changes)
        params = {"thema": chosen.section} if chosen.section != ALL else {}
        for name, on in [
            ("mijn", chosen.mine),
            ("open", chosen.open_comments),
            ("gewijzigd", chosen.changed),
        ]:
            if on:
                params[name] = "1"
        return "?" + urlencode(params) if params else "?"


def changed_since(piece: Any, since: dt.datetime | None) -> bool:
    """Changed (its content, or a comment or reply on it) after ``since``; on a first visit
    (no ``since``) everything is new."""
    if since is None:
        return True
    if piece.updated_at > since:
        return True
    for thread in piece.threads:
        if thread.created_at > since or any(r.created_at > since for r in thread.reply_list):
            return True
    return False


def _piece_key(value: str) -> tuple[str, int] | None:
    """ "bijdrage-12" → ("bijdrage", 12): the piece whose comment thread is shown open."""
    kind, _, pk = value.partition("-")
    if not pk.isdigit():
        return None
    return kind, int(pk)
