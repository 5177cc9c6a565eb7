"""The addresses of an article: as fetched, canonical, and AMP."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from topicwire.errors import RecordError
from topicwire.ingest.metadata import PageMeta
from topicwire.ingest.urls import amp_cache_url, normalize_url, strip_tracking

# the record format's limit for an address
MAX_URL = 4096


@dataclass
class PageUrls:
    original: str
    web: str
    base: str  # what the page's relative addresses resolve against
    amp: str | None = None
    cdn_amp: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _is_home(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _base(url: str, declared: str | None) -> tuple[str, str | None]:
    """What the page's relative addresses resolve against: its <base href>
    resolved against ``url``, or ``url`` itself when there is none or it
    cannot be read (urljoin raises ValueError for e.g. "http://[x")."""
    if not declared:
        return url, None
    try:
        return urljoin(url, declared), None
    except ValueError:
        return url, f"<base href> {declared[:200]!r} is not a URL; ignored"


def find_urls(page: PageMeta, url: str, fetched: str) -> PageUrls:
    """``url`` is where the page was fetched from (an absolute http(s) URL),
    ``fetched`` its normal form."""
    original = strip_tracking(url)
    base, base_warning = _base(url, page.base)
    found = PageUrls(original=original, web=fetched, base=base)
    if base_warning:
        found.warnings.append(base_warning)
    declared = [("canonical", href) for href in page.links.get("canonical", ())[:1]]
    declared += [("og:url", href) for href in page.meta.get("og:url", ())[:1]]
    for source, href in declared:
        try:
            web = normalize_url(href, base=base)
        except RecordError:
            found.warnings.append(f"{source} {href[:200]!r} is not an http(s) URL; ignored")
            continue
        if len(web) > MAX_URL:
            found.warnings.append(f"{source} is longer than {MAX_URL} characters; ignored")
            continue
        # CMS templates that point every page at the home page would merge
        # all of a site's articles into one
        if _is_home(web) and not _is_home(fetched):
            found.warnings.append(f"{source} points to a home page ({web}); ignored")
            continue
        found.web = web
        found.sources["webUrl"] = source
        break
    else:
        found.warnings.append("no canonical URL; using the fetched URL")
        found.sources["webUrl"] = "fetched URL"

    amp_links = page.links.get("amphtml", ())
    if amp_links:
        try:
            found.amp = normalize_url(amp_links[0], base=base)
            found.sources["ampWebUrl"] = "link amphtml"
        except RecordError:
            found.warnings.append("amphtml link is not an http(s) URL; ignored")
    elif page.is_amp:
        # the page is the AMP version itself
        found.amp = fetched
        found.sources["ampWebUrl"] = "fetched URL (AMP page)"
    if found.amp is not None:
        found.cdn_amp = amp_cache_url(found.amp)
        if len(found.cdn_amp) > MAX_URL:
            found.warnings.append(f"AMP address is longer than {MAX_URL} characters; ignored")
            found.amp = found.cdn_amp = None
            found.sources.pop("ampWebUrl", None)
    return found
