"""Who published the page: the registry's name for its domain, else the
name the page gives its site, else the domain itself."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from topicwire.ingest.jsonld import names_of
from topicwire.ingest.metadata import PageMeta
from topicwire.ingest.text import plain_text
from topicwire.model import Image, Provider
from topicwire.organizations import Organization, Organizations, registrable_domain

MAX_NAME = 300
MAX_DOMAIN = 253


def provider_domain(page: PageMeta, web_url: str) -> str:
    """The registrable domain of the site that published the page: its
    og:url names the page's own address even where the canonical link
    credits another site (a syndicated copy), and og:site_name, the name
    read with it, belongs to that same site."""
    for own in page.meta.get("og:url", ())[:1]:
        try:
            parts = urlsplit(own.strip())
        except ValueError:  # e.g. "http://[x", a broken IPv6 literal
            continue
        # a longer name is no DNS name (and no record's provider domain)
        if parts.scheme in ("http", "https") and parts.hostname and len(parts.hostname) <= MAX_DOMAIN:
            return registrable_domain(parts.hostname)
    return registrable_domain(urlsplit(web_url).hostname or "")


def site_names(page: PageMeta, article: dict | None) -> list[tuple[str, str]]:
    """The names the page gives its site, with where each was found."""
    names = [("og:site_name", plain_text(v)) for v in page.meta.get("og:site_name", ())[:1]]
    if article is not None:
        names += [("json-ld publisher", n) for n in names_of(article.get("publisher"))[:1]]
    names += [("application-name", plain_text(v)) for v in page.meta.get("application-name", ())[:1]]
    return [(source, name) for source, name in names if 0 < len(name) <= MAX_NAME]


def _dimension(value: object) -> int | None:
    try:
        number = int(str(value).strip().removesuffix("px"))
    except ValueError:
        return None
    return number if 1 <= number <= 100_000 else None


def site_logo(page: PageMeta, article: dict | None, base_url: str) -> Image | None:
    """The publisher's logo the page names: the JSON-LD publisher's logo,
    else its touch icon or icon (what browsers show for the site)."""
    candidates: list[tuple[str, int | None, int | None]] = []
    publisher = article.get("publisher") if article is not None else None
    for pub in publisher if isinstance(publisher, list) else [publisher]:
        logo = pub.get("logo") if isinstance(pub, dict) else None
        if isinstance(logo, str):
            candidates.append((logo, None, None))
        elif isinstance(logo, dict) and isinstance(logo.get("url"), str):
            candidates.append((logo["url"], _dimension(logo.get("width")), _dimension(logo.get("height"))))
    for rel in ("apple-touch-icon", "icon"):
        candidates += [(href, None, None) for href in page.links.get(rel, ())[:1]]
    for href, width, height in candidates:
        # a hostile page's logo address may be anything: one that urljoin
        # cannot parse (ValueError) or the record format refuses
        # (ValidationError, a ValueError too) is skipped, never fatal
        try:
            base = urljoin(base_url, page.base) if page.base else base_url
            url = urljoin(base, href.strip())
            if urlsplit(url).scheme in ("http", "https"):
                return Image(url=url, width=width, height=height)
        except ValueError:
            continue
    return None


def find_provider(
    domain: str, names: list[tuple[str, str]], organizations: Organizations | None, logo: Image | None = None
) -> tuple[Provider, str, Organization | None]:
    """The provider, the signal its name came from, and its registry entry.
    The registry's logos win over the one the page names."""
    org = organizations.by_domain(domain) if organizations is not None and domain else None
    if org is not None:
        images = list(org.images) or ([logo] if logo else [])
        return Provider(name=org.name, domain=domain, images=images), "organizations", org
    images = [logo] if logo else []
    if names:
        source, name = names[0]
        return Provider(name=name, domain=domain, images=images), source, None
    return Provider(name=domain or "unknown", domain=domain or None, images=images), "domain", None
