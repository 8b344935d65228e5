"""A draft's values as canonical text per form field (``quantity_sloop``, ``summary``,
``theme_2`` ...): what the bid form carries as its base, and what the service compares (see
core.conflicts). Numbers are written the Dutch way without thousands dots ("1250,5"), so that
the form reads a base or a "keep theirs" value back as the same number."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from cycle.bids.types import LineInput
from cycle.models import Bid


def quantity_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = value.normalize()
    text = format(value, "f") if value == value.to_integral() else str(value)
    return text.replace(".", ",")


def text_value(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def _line(figure: str, quantity, agreement_id, explanation) -> dict[str, str]:
    return {
        f"quantity_{figure}": quantity_text(quantity),
        f"agreement_{figure}": str(agreement_id or ""),
        f"explanation_{figure}": text_value(explanation),
    }


def stored_values(bid: Bid) -> dict[str, str]:
    """What is stored now (read it under the bid's row lock to compare)."""
    values = {"summary": text_value(bid.summary)}
    for line in bid.lines.all():
        values |= _line(line.figure, line.quantity, line.agreement_id, line.explanation)
    for note in bid.theme_notes.select_related("theme"):
        values[f"theme_{note.theme.number}"] = text_value(note.text)
    return values


def typed_values(
    lines: Mapping[str, LineInput], summary: str | None, theme_notes: Mapping[int, str] | None
) -> dict[str, str]:
    """What a form sent, in the same shape."""
    values = {} if summary is None else {"summary": text_value(summary)}
    for figure, line in lines.items():
        agreement_id = line.agreement.pk if line.agreement else None
        values |= _line(figure, line.quantity, agreement_id, line.explanation)
    for number, text in (theme_notes or {}).items():
        values[f"theme_{number}"] = text_value(text)
    return values
