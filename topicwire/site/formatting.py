"""How the website writes dates, heat and counts.

Dates are absolute and in UTC ("23 Nov 2026, 14:00 UTC"), never "3 hours
ago": a page must read the same whenever it is rendered, or a static
publish with nothing new would rewrite every page.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

__all__ = ["FILTERS"]


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)


def human_date(value: datetime | date | None) -> str:
    if value is None:
        return "undated"
    if isinstance(value, datetime):
        value = _utc(value)
        return f"{value.day} {value:%b %Y, %H:%M} UTC"
    return f"{value.day} {value:%b %Y}"


def short_date(value: datetime | date | None) -> str:
    if value is None:
        return "undated"
    if isinstance(value, datetime):
        value = _utc(value)
    return f"{value.day} {value:%b %Y}"


def machine_date(value: datetime | date | None) -> str:
    """For ``<time datetime=…>``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _utc(value).strftime("%Y-%m-%dT%H:%MZ")
    return value.isoformat()


def heat_text(value: int | None) -> str:
    return "no signal yet" if value is None or value < 0 else str(value)


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


FILTERS = {
    "human_date": human_date,
    "short_date": short_date,
    "machine_date": machine_date,
    "heat_text": heat_text,
    "plural": plural,
}
