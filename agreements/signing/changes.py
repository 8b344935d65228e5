"""What changed in the live data since a signing round's snapshot, as notes for the page
(agreements.signing.snapshot; each Signable's ``snapshot_changes``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Change:
    """Live data that changed since the snapshot, in a way a reader should know (Dutch)."""

    message: str
    url: str = ""
    link_text: str = ""


def party_name_changes(signed: dict[str, Any], live: dict[str, Any]) -> list[Change]:
    """A note when a party's name changed since (every type's content has ``party_names``)."""
    before, now = signed.get("party_names") or {}, live.get("party_names") or {}
    renamed = [
        f"{before[slug]} → {now[slug]}"
        for slug in sorted(before)
        if now.get(slug, before[slug]) != before[slug]
    ]
    if not renamed:
        return []
    return [
        Change(
            _(
                "De naam van een partij is sindsdien gewijzigd (%(names)s); het document noemt "
                "de naam zoals die was toen het ter ondertekening werd aangeboden."
            )
            % {"names": "; ".join(renamed)}
        )
    ]
