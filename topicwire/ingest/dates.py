"""Publication and update times of a page.

Pages carry several dates (published, updated, related articles', the
copyright year...). Structured data says which is which, so it wins; then
meta tags, then a ``<time>`` in the article, then htmldate's reading of the
page, then a date in the URL path. A time that says no zone is read in the
zone the page states elsewhere, else as UTC with a warning. Nothing here
ever falls back to the current time.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from htmldate import find_date
from lxml.html import HtmlElement

from topicwire.ingest.metadata import PageMeta, time_after_headline, update_stamps

# htmldate's fast mode. On pages stripped of their machine-readable dates
# (bench/extract.py --dates), htmldate followed by the URL date found the
# right day as often either way on the newswire (162 of 177) at 1/26 of the
# time, and on the fundus pages the extensive search gave a wrong day twice
# as often (18 against 9 of 80) for 5 more right ones: a missing date is
# honest, a wrong one misleads.
HTMLDATE_EXTENSIVE = False

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "article.published",
    "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created", "dc.date.created",
    "parsely-pub-date", "sailthru.date", "cxenseparse:recs:publishtime", "cxenseparse:publishtime",
    "pubdate", "publishdate", "publish-date", "publish_date", "article_date_original", "datepublished", "date",
)
UPDATED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "dcterms.modified",
    "dc.date.modified", "datemodified", "last-modified", "lastmod",
)
_ZONE_META = ("article:timezone", "timezone", "time_zone", "tz")
# Zone abbreviations that mean one offset wherever they are written.
_ABBREVIATIONS = {
    "utc": 0, "gmt": 0, "z": 0, "ut": 0,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3, "jst": 9, "aest": 10, "aedt": 11,
}
_TRAILING_ZONE_RE = re.compile(r"\s*\(?\b([A-Za-z]{1,4})\)?$")
_FORMATS = (
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y %H:%M", "%d.%m.%Y",
    "%B %d, %Y %I:%M %p", "%B %d, %Y %H:%M", "%B %d, %Y", "%b %d, %Y %I:%M %p", "%b %d, %Y",
    "%d %B %Y %H:%M", "%d %B %Y", "%d %b %Y", "%d.%m.%Y, %H:%M", "%d-%b-%Y",
)
# "Updated: 4 Nov 2026", "Stand: 04.11.2026, 16:20 Uhr"
_STAMP_LABEL_RE = re.compile(
    r"^(?:last\s+)?(?:updated|modified|stand|aktualisiert)(?:\s+(?:on|at|am|um))?\s*:?\s*", re.IGNORECASE
)
_STAMP_TAIL_RE = re.compile(r"\s*uhr\s*$", re.IGNORECASE)
_ORDINAL_RE = re.compile(r"(\d{1,2})(st|nd|rd|th)\b")
_URL_DATE_RES = (
    re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)"),
    re.compile(r"(?:^|[/_-])((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"),
    re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|$)"),
)
# Earlier than this a "publication date" is a placeholder (0, the epoch).
EARLIEST = datetime(1991, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Stamp:
    """A date as written: naive unless the text named a zone."""

    value: datetime
    has_time: bool

    @property
    def has_zone(self) -> bool:
        return self.value.tzinfo is not None


@dataclass
class Dates:
    published: datetime | None = None
    updated: datetime | None = None
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def parse_date(text: str) -> Stamp | None:
    """A date or date-time in any of the forms pages use: ISO 8601 (and its
    common sloppy variants), RFC 2822, Unix seconds or milliseconds, and
    a few written-out English forms."""
    text = text.strip()
    if not text or len(text) > 64:
        return None
    if text.isdigit() and len(text) in (9, 10, 12, 13):
        seconds = int(text) / (1000 if len(text) > 10 else 1)
        return Stamp(datetime.fromtimestamp(seconds, timezone.utc), True)
    return _parse_iso(text) or _parse_rfc2822(text) or _parse_written(text)


def _parse_iso(text: str) -> Stamp | None:
    candidate = text
    if len(candidate) > 10 and candidate[10] == " ":
        candidate = candidate[:10] + "T" + candidate[11:]
    offset = None
    match = _TRAILING_ZONE_RE.search(candidate)
    if match and match.group(1).lower() in _ABBREVIATIONS and "T" in candidate:
        offset = _ABBREVIATIONS[match.group(1).lower()]
        candidate = candidate[: match.start()]
    candidate = candidate.replace(" ", "")
    try:
        value = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if offset is not None and value.tzinfo is None:
        value = value.replace(tzinfo=timezone(timedelta(hours=offset)))
    return Stamp(value, has_time=len(candidate) > 10)


def _parse_rfc2822(text: str) -> Stamp | None:
    if "," not in text and not text[:3].isalpha():
        return None
    try:
        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return Stamp(value, has_time=True) if value is not None else None


def _parse_written(text: str) -> Stamp | None:
    cleaned = _ORDINAL_RE.sub(r"\1", text).replace("a.m.", "AM").replace("p.m.", "PM").replace(" at ", " ")
    offset = None
    match = _TRAILING_ZONE_RE.search(cleaned)
    if match and match.group(1).lower() in _ABBREVIATIONS:
        offset = _ABBREVIATIONS[match.group(1).lower()]
        cleaned = cleaned[: match.start()]
    cleaned = " ".join(cleaned.split())
    for form in _FORMATS:
        try:
            value = datetime.strptime(cleaned, form)
        except ValueError:
            continue
        has_time = "%H" in form or "%I" in form
        if offset is not None and has_time:
            value = value.replace(tzinfo=timezone(timedelta(hours=offset)))
        return Stamp(value, has_time)
    return None


def find_dates(page: PageMeta, article: dict | None, tree: HtmlElement, url: str) -> Dates:
    """Published and updated times, in UTC, with the signal each came from."""
    found = Dates()
    published = _candidates(page, article, "datePublished", PUBLISHED_META)
    updated = _candidates(page, article, "dateModified", UPDATED_META)
    if article is not None and not published:
        published = _candidates(page, article, "dateCreated", ())
    published += [("<time datetime>", t) for t in page.times]
    if not published and page.article is None and (byline := time_after_headline(tree)):
        published.append(("<time datetime> after <h1>", byline))
    zone = _page_zone(page, [stamp for _, text in published + updated if (stamp := parse_date(text))])

    found.published = _first(published, zone, "publication", found, "publishedDateTime")
    if found.published is None:
        found.published = _from_htmldate(tree, zone, found)
    if found.published is None:
        found.published = _from_url(url, found)
    if found.published is None:
        found.warnings.append("no publication date found")

    updated += [("<time datetime> marked updated", t) for t in page.updated_times]
    if not updated and page.article is not None:
        updated = [("visible update line", _stamp_text(t)) for t in update_stamps(page.article)]
    found.updated = _first(updated, zone, "update", found, "updatedDateTime")
    if found.updated is not None and found.published is not None and found.updated <= found.published:
        if found.updated < found.published:
            found.warnings.append("update time is before the publication time; ignored")
        found.updated = None
        found.sources.pop("updatedDateTime", None)
    return found


def _candidates(page: PageMeta, article: dict | None, key: str, meta_names: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    if article is not None:
        value = article.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                out.append((f"json-ld {key}", item))
    for name in meta_names:
        out.extend((f"meta {name}", value) for value in page.meta.get(name, ()))
    out.extend((f"microdata {key}", value) for value in page.itemprops.get(key, ()))
    return out


def _stamp_text(text: str) -> str:
    return _STAMP_TAIL_RE.sub("", _STAMP_LABEL_RE.sub("", text))


def _page_zone(page: PageMeta, stamps: list[Stamp]) -> tzinfo | None:
    """The zone a page states: a named zone in its meta tags, else the
    offset its own zoned date-times carry."""
    hit = page.first(*_ZONE_META)
    if hit is not None:
        try:
            return ZoneInfo(hit[1])
        except (ZoneInfoNotFoundError, ValueError):
            pass
    for stamp in stamps:
        if stamp.has_zone and stamp.has_time:
            return stamp.value.tzinfo
    return None


def _first(
    candidates: list[tuple[str, str]], zone: tzinfo | None, what: str, found: Dates, field_name: str
) -> datetime | None:
    for source, text in candidates:
        stamp = parse_date(text)
        if stamp is None:
            continue
        value = _to_utc(stamp, zone, what, text, found.warnings)
        if value is None:
            continue
        found.sources[field_name] = source
        return value
    return None


def _to_utc(stamp: Stamp, zone: tzinfo | None, what: str, text: str, warnings: list[str]) -> datetime | None:
    value = stamp.value
    if not stamp.has_time:
        warnings.append(f"{what} date {text!r} has no time of day; using midnight")
    if value.tzinfo is None:
        if zone is None:
            if stamp.has_time:
                warnings.append(f"{what} time {text!r} names no time zone; read as UTC")
            zone = timezone.utc
        value = value.replace(tzinfo=zone)
    # whole seconds: the sub-second part of a publication time is noise
    try:
        value = value.astimezone(timezone.utc).replace(microsecond=0)
    except OverflowError:
        # e.g. 9999-12-31T23:59:59-05:00: in UTC it falls past year 9999
        warnings.append(f"{what} date {text!r} is out of range; ignored")
        return None
    if value < EARLIEST:
        warnings.append(f"{what} date {text!r} is implausibly early; ignored")
        return None
    return value


def _from_htmldate(tree: HtmlElement, zone: tzinfo | None, found: Dates) -> datetime | None:
    try:
        text = find_date(
            tree,
            extensive_search=HTMLDATE_EXTENSIVE,
            original_date=True,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
            url="",  # the URL is read separately, and only as the last resort
        )
    except (ValueError, TypeError, RecursionError):
        return None
    if not text:
        return None
    stamp = parse_date(text)
    if stamp is None:
        return None
    if stamp.value.tzinfo is None and stamp.value.time() == datetime.min.time():
        stamp = Stamp(stamp.value, has_time=False)
    value = _to_utc(stamp, zone, "publication", text, found.warnings)
    if value is not None:
        found.sources["publishedDateTime"] = "htmldate"
    return value


def _from_url(url: str, found: Dates) -> datetime | None:
    value = date_from_url(url)
    if value is not None:
        found.sources["publishedDateTime"] = "url"
        found.warnings.append(f"publication date taken from the URL ({value.date().isoformat()}); time unknown")
    return value


def date_from_url(url: str) -> datetime | None:
    """A date in the URL's path (``/2026/10/12/``, ``-2026-10-12``), as UTC midnight."""
    path = urlsplit(url).path
    for pattern in _URL_DATE_RES:
        match = pattern.search(path)
        if not match:
            continue
        try:
            return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=timezone.utc)
        except ValueError:
            continue
    return None
