"""An iCalendar (RFC 5545) feed of milestones, written by hand: no extra package needed.

Each milestone is an all-day event on its last day ("vóór 1 juli" is an event on 30 June):
DTSTART;VALUE=DATE and DTEND the day after. UIDs are stable per milestone; SEQUENCE is the
milestone's own counter, raised by every change. A VTIMEZONE for Europe/Amsterdam is included
(required by some clients, Outlook among them, once any TZID is used: DTSTAMP is in UTC and
the calendar's X-WR-TIMEZONE names Amsterdam). Lines are folded at 75 octets, text is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cycle.calendar import last_day
from cycle.models import Milestone

PRODID = "-//Prestatieafspraken//Jaarcyclus//NL"
# Fixed, not the request's host: a UID must not change when the portal moves or is proxied.
UID_DOMAIN = "jaarcyclus.prestatieafspraken"

VTIMEZONE_AMSTERDAM = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "X-LIC-LOCATION:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape_text(value: str) -> str:
    """TEXT escaping of RFC 5545 3.3.11: backslash, semicolon, comma and newlines."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuations start with a space), never inside a
    UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts = []
    current = b""
    limit = 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # the leading space counts
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def milestone_uid(milestone: Milestone, domain: str) -> str:
    return f"mijlpaal-{milestone.pk}@{domain}"


def milestone_event(milestone: Milestone, *, domain: str, url: str = "") -> list[str]:
    day = last_day(milestone.deadline)
    summary = milestone.title
    if milestone.is_statutory:
        summary += " (wettelijke termijn)"
    if milestone.done_at:
        summary = "✓ " + summary
    description = milestone.description
    if milestone.note:
        description += "\n\n" + milestone.note
    lines = [
        "BEGIN:VEVENT",
        f"UID:{milestone_uid(milestone, domain)}",
        f"DTSTAMP:{_utc(milestone.updated_at)}",
        f"LAST-MODIFIED:{_utc(milestone.updated_at)}",
        f"SEQUENCE:{milestone.sequence}",
        f"DTSTART;VALUE=DATE:{_date(day)}",
        f"DTEND;VALUE=DATE:{_date(day + dt.timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description.strip())}",
        "TRANSP:TRANSPARENT",
        f"STATUS:{'CONFIRMED'}",
    ]
    if milestone.owner_party_id:
        lines.append(f"CATEGORIES:{escape_text(milestone.owner_party.name)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar(milestones: Iterable[Milestone], *, domain: str, name: str, url: str = "") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/Amsterdam",
        *VTIMEZONE_AMSTERDAM,
    ]
    for milestone in milestones:
        lines.extend(milestone_event(milestone, domain=domain, url=url))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
