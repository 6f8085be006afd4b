"""Deadlines as an iCalendar feed (RFC 5545): one all-day event per deadline."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from bioplan.monitoring.calendar import Deadline

PRODID = "-//vn-bioplan//reporting deadlines//VI"


def _escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and newline escaped (RFC 5545 3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Content lines of at most 75 octets, continued with a leading space (RFC 5545 3.1),
    never splitting a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return [parts[0], *(" " + part for part in parts[1:])]


def feed(deadlines: Iterable[Deadline], url_of: Callable[[str], str], name: str, now: datetime | None = None) -> str:
    """The feed; ``url_of`` gives the page of a resource IRI (the event's URL)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines.append(f"X-WR-CALNAME:{_escape(name)}")
    for deadline in deadlines:
        who = "; ".join(p.label for p in deadline.reporting)
        to = "; ".join(p.label for p in deadline.routed_to or deadline.recipient)
        description = "\n".join(
            text
            for text in (
                deadline.subject,
                deadline.deadline_text,
                f"{who} → {to}" if who or to else "",
                deadline.plan.label,
            )
            if text
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(deadline.uid)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{deadline.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{deadline.due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(deadline.label)}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{url_of(deadline.obligation)}",
        ]
        if deadline.province:
            lines.append(f"CATEGORIES:{_escape(deadline.province)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(folded + "\r\n" for line in lines for folded in _fold(line))
