"""The kinds of piece of a framework in concept: what each holds (its snapshot, the JSON the
history stores), which of its texts the word diff compares, and how its fields are shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.formatting import format_number
from agreements.models import Agreement, Framework, Indicator, Party, Target, Theme
from core.drafting.services import decimal_text

TEXTS = "teksten"
THEME = "thema"
AGREEMENT = "afspraak"
TARGET = "doel"
DOCUMENT = "kader"  # the framework itself (its creation, in the history)

DECIMALS = ("value", "value_max", "baseline_value")


@dataclass(frozen=True)
class PieceKind:
    key: str
    model: type[models.Model]
    label: Any
    fields: tuple[str, ...]  # the snapshot's keys, in the editor's order
    text_fields: tuple[str, ...]  # compared word by word in the history
    framework_path: str  # the lookup from a row to its framework's id
    parent: str = ""  # the kind of piece it is added to (empty: the framework)

    def snapshot(self, obj: models.Model) -> dict:
        return SNAPSHOTS[self.key](obj)

    def text_of(self, snapshot: dict | None) -> str:
        snapshot = snapshot or {}
        return "\n\n".join(str(snapshot.get(name) or "") for name in self.text_fields).strip()


KINDS = {
    TEXTS: PieceKind(
        TEXTS,
        Framework,
        gettext_lazy("Teksten van het kader"),
        ("introduction", "highlights", "appendix"),
        ("introduction", "highlights", "appendix"),
        "id",  # the framework itself ("pk" would clash with the piece's own pk lookup)
    ),
    THEME: PieceKind(
        THEME,
        Theme,
        gettext_lazy("Thema"),
        ("number", "title", "introduction"),
        ("title", "introduction"),
        "framework_id",
    ),
    AGREEMENT: PieceKind(
        AGREEMENT,
        Agreement,
        gettext_lazy("Afspraak"),
        ("number", "title", "text", "responsible_party_ids"),
        ("title", "text"),
        "theme__framework_id",
        parent=THEME,
    ),
    TARGET: PieceKind(
        TARGET,
        Target,
        gettext_lazy("Doel"),
        (
            "label",
            "kind",
            "direction",
            "value",
            "value_max",
            "unit",
            "baseline_value",
            "baseline_date",
            "period_start",
            "target_year",
            "per_year",
            "indicator_id",
            "party_ids",
            "note",
        ),
        ("label", "note"),
        "agreement__theme__framework_id",
        parent=AGREEMENT,
    ),
}


def _ids(related) -> list[int]:
    return sorted(party.pk for party in related.all())


def _texts(framework: Framework) -> dict:
    return {name: getattr(framework, name) for name in KINDS[TEXTS].fields}


def _theme(theme: Theme) -> dict:
    return {"number": theme.number, "title": theme.title, "introduction": theme.introduction}


def _agreement(agreement: Agreement) -> dict:
    return {
        "number": agreement.number,
        "title": agreement.title,
        "text": agreement.text,
        "responsible_party_ids": _ids(agreement.responsible_parties),
    }


def _target(target: Target) -> dict:
    snapshot = {}
    for name in KINDS[TARGET].fields:
        if name == "party_ids":
            snapshot[name] = _ids(target.parties)
        elif name in DECIMALS:
            snapshot[name] = decimal_text(getattr(target, name))
        elif name == "baseline_date":
            snapshot[name] = target.baseline_date.isoformat() if target.baseline_date else None
        else:
            snapshot[name] = getattr(target, name)
    return snapshot


SNAPSHOTS = {TEXTS: _texts, THEME: _theme, AGREEMENT: _agreement, TARGET: _target}


# --- showing a snapshot's fields ----------------------------------------------------------------


def _field_label(model: type[models.Model], name: str) -> str:
    if name in {"party_ids", "responsible_party_ids"}:
        field = model._meta.get_field(name.replace("_ids", "").replace("party", "parties"))
    else:
        field = model._meta.get_field(name.removesuffix("_id"))
    label = str(field.verbose_name)
    return label[:1].upper() + label[1:]


def shown_fields(kind: PieceKind, snapshots: list[dict]) -> list[list[tuple[str, str | None]]]:
    """Each snapshot's fields as (label, shown value), the way people typed and chose them:
    Dutch numbers and dates, choice labels, "ja"/"nee", party and indicator names (two queries
    for all snapshots together)."""
    party_ids = {
        pk
        for snapshot in snapshots
        for name in ("party_ids", "responsible_party_ids")
        for pk in snapshot.get(name) or []
    }
    parties = dict(Party.objects.filter(pk__in=party_ids).values_list("pk", "name"))
    indicator_ids = {s.get("indicator_id") for s in snapshots} - {None}
    indicators = dict(Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", "name"))

    def shown(name: str, value: Any) -> str | None:
        if value is None or value == "" or value == []:
            return None
        if name in {"party_ids", "responsible_party_ids"}:
            return ", ".join(sorted(parties.get(pk, _("(verwijderde partij)")) for pk in value))
        if name == "indicator_id":
            return indicators.get(value, _("(verwijderde indicator)"))
        if isinstance(value, bool):
            return _("ja") if value else _("nee")
        if name in DECIMALS:
            return format_number(Decimal(str(value)))
        if name == "baseline_date":
            return dt.date.fromisoformat(value).strftime("%d-%m-%Y")
        field = kind.model._meta.get_field(name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)

    return [
        [(_field_label(kind.model, name), shown(name, s.get(name))) for name in kind.fields]
        for s in snapshots
    ]


def compared_fields(
    kind: PieceKind, old: dict, new: dict
) -> list[tuple[str, str | None, str | None]]:
    """(label, before, after) of every field of two versions of a piece."""
    before, after = shown_fields(kind, [old, new])
    return [(label, was, now) for (label, was), (_label, now) in zip(before, after, strict=True)]
