"""Query parameters the type hints cannot check alone: dates and the
choices whose spelling the API owns."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from topicwire.serve.errors import ApiError

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_when(name: str, value: str | None) -> datetime | None:
    """An ISO date or datetime; a bare date is midnight UTC, and so is a
    datetime without an offset (the wire keeps UTC)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    # a '+' in an unencoded query string arrives as a space: "...10:00 02:00"
    if len(text) > 11 and " " in text[11:]:
        text = text[:11] + text[11:].replace(" ", "+")
    try:
        if _DATE_ONLY.match(text):
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(400, f"{name}: not an ISO date or datetime (got {value[:40]!r})") from None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when


PUBLISHED = {"true": True, "false": False, "all": None}


def parse_published(value: str) -> bool | None:
    try:
        return PUBLISHED[value.lower()]
    except KeyError:
        raise ApiError(400, "published: use true, false or all") from None
