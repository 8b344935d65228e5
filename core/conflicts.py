"""Optimistic locking, one way for the portal: a save names the base it was made from, and a
save whose base is stale is refused with both values (what the editor sent, what is stored
now), so that nothing typed is lost and nobody's change is silently overwritten.

The jaarschijf bases each piece on a version number (``UPDATE ... WHERE version = %s``); the bid
form, which autosaves the whole form at once, bases each field on the value the screen was
given (``three_way``): a field the editor did not change is no change of theirs, whatever a
colleague stored meanwhile; a field both changed, to different values, is a conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class EditConflict(Exception):
    """A save based on a stale version. ``yours`` is what the editor sent, ``current`` what is
    stored now (at ``current_version``): the conflict view shows both."""

    def __init__(
        self,
        *,
        piece_type: str,
        piece_id: int,
        yours: dict,
        current: dict,
        current_version: int,
        based_on: int,
    ):
        super().__init__(f"{piece_type}#{piece_id}: based on v{based_on}, now v{current_version}")
        self.piece_type = piece_type
        self.piece_id = piece_id
        self.yours = yours
        self.current = current
        self.current_version = current_version
        self.based_on = based_on


@dataclass(frozen=True)
class FieldConflict:
    """One field changed by the editor and, differently, by someone else since their base."""

    name: str
    yours: str
    theirs: str


def three_way(
    *, base: Mapping[str, str], yours: Mapping[str, str], current: Mapping[str, str]
) -> tuple[set[str], dict[str, FieldConflict]]:
    """Which of ``yours`` to write, and which fields conflict. All values are canonical text.

    A field whose base is not given (a form from before the field existed) is based on the
    current value."""
    write: set[str] = set()
    conflicts: dict[str, FieldConflict] = {}
    for name, value in yours.items():
        stored = current.get(name, "")
        based = base.get(name, stored)
        if value in (stored, based):
            continue  # nothing to do, or not a change of this editor's
        if stored == based:
            write.add(name)
        else:
            conflicts[name] = FieldConflict(name=name, yours=value, theirs=stored)
    return write, conflicts
