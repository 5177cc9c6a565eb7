"""Date and time as each format and each newsroom writes it.

Every function takes an aware datetime; the visible styles first move it
into the publisher's own zone, as a newsroom's CMS would.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from zoneinfo import ZoneInfo

# AP style abbreviates only the long month names
_AP_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# US newsrooms name the zone without its daylight-saving letter
_US_GENERIC = {"America/New_York": "ET", "America/Chicago": "CT", "America/Los_Angeles": "PT"}
_GERMAN_ZONES = {"CET": "MEZ", "CEST": "MESZ"}


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def utc_z(moment: datetime) -> str:
    """The ground truth's form: UTC, seconds, a trailing Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339(moment: datetime, zone_name: str | None = None) -> str:
    local = moment.astimezone(zone(zone_name)) if zone_name else moment
    return local.isoformat(timespec="seconds")


def rfc822(moment: datetime, zone_name: str | None = None) -> str:
    if zone_name is None:
        return format_datetime(moment.astimezone(UTC), usegmt=True)
    return format_datetime(moment.astimezone(zone(zone_name)))


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _twelve_hour(local: datetime) -> tuple[int, str]:
    hour = local.hour % 12 or 12
    return hour, "AM" if local.hour < 12 else "PM"


def visible(moment: datetime, style: str, zone_name: str) -> str:
    """The date line a reader sees, in the publisher's zone and style."""
    local = moment.astimezone(zone(zone_name))
    abbrev = local.tzname() or ""
    hour, half = _twelve_hour(local)
    month = _MONTHS[local.month - 1]
    if style == "us_long":      # October 14, 2026 9:30 AM EDT
        return f"{month} {local.day}, {local.year} {hour}:{local:%M} {half} {abbrev}"
    if style == "uk":           # 14 October 2026, 09:30 BST
        return f"{local.day} {month} {local.year}, {local:%H:%M} {abbrev}"
    if style == "us_short":     # Oct 14, 2026, 6:30 AM PT
        return f"{month[:3]} {local.day}, {local.year}, {hour}:{local:%M} {half} {_US_GENERIC[zone_name]}"
    if style == "ap":           # Oct. 14, 2026 9:30 a.m. ET
        meridiem = "a.m." if half == "AM" else "p.m."
        return (f"{_AP_MONTHS[local.month - 1]} {local.day}, {local.year} "
                f"{hour}:{local:%M} {meridiem} {_US_GENERIC[zone_name]}")
    if style == "date_only":    # Published Oct 14, 2026
        return f"{month[:3]} {local.day}, {local.year}"
    if style == "us_weekday":   # Wednesday, October 14, 2026, 8:30 a.m. CT
        meridiem = "a.m." if half == "AM" else "p.m."
        return (f"{_WEEKDAYS[local.weekday()]}, {month} {local.day}, {local.year}, "
                f"{hour}:{local:%M} {meridiem} {_US_GENERIC[zone_name]}")
    if style == "au":           # Thursday 15 October 2026 12:30am AEDT
        return (f"{_WEEKDAYS[local.weekday()]} {local.day} {month} {local.year} "
                f"{hour}:{local:%M}{half.lower()} {abbrev}")
    if style == "magazine":     # October 14, 2026
        return f"{month} {local.day}, {local.year}"
    if style == "wire":         # Oct 14, 2026, 09:30 ET
        return f"{month[:3]} {local.day}, {local.year}, {local:%H:%M} {_US_GENERIC[zone_name]}"
    if style == "utc":          # 2026-10-14 13:30 UTC
        return f"{local:%Y-%m-%d %H:%M} UTC"
    if style == "report":       # 14-Oct-2026
        return f"{local.day:02d}-{month[:3]}-{local.year}"
    if style == "de":           # 2026-10-14 15:30 MESZ
        return f"{local:%Y-%m-%d %H:%M} {_GERMAN_ZONES.get(abbrev, abbrev)}"
    raise ValueError(f"unknown date style {style!r}")


def german_stand(moment: datetime, zone_name: str) -> str:
    """German 'as of' line: 14.10.2026, 17:05 Uhr."""
    local = moment.astimezone(zone(zone_name))
    return f"{local:%d.%m.%Y, %H:%M} Uhr"
