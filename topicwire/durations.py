"""Durations as people type them on the command line: '90s', '15m',
'1.5h', '1d', '2w'. One reading for every option that takes one."""

from __future__ import annotations

import re
from datetime import timedelta

UNITS = {
    "s": timedelta(seconds=1),
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z])\s*$", re.IGNORECASE)


def parse_duration(text: str | None, *, units: str, whole: bool = False) -> timedelta | None:
    """A positive amount of one of ``units`` (letters of UNITS), or None
    when ``text`` is not one; ``whole`` admits whole amounts only. The
    caller words the error, since it knows the option it came from."""
    match = _PATTERN.match(text or "")
    if not match or match.group(2).lower() not in units or (whole and "." in match.group(1)):
        return None
    amount = float(match.group(1))
    if amount <= 0:
        return None
    try:
        return amount * UNITS[match.group(2).lower()]
    except OverflowError:  # more than timedelta holds: no sensible duration
        return None
