"""Who published the page: the registry's name for its domain, else the
name the page gives its site, else the domain itself."""

from __future__ import annotations

from urllib.parse import urlsplit

from topicwire.ingest.jsonld import names_of
from topicwire.ingest.metadata import PageMeta
from topicwire.ingest.text import plain_text
from topicwire.model import Provider
from topicwire.organizations import Organization, Organizations, registrable_domain

MAX_NAME = 300


def provider_domain(page: PageMeta, web_url: str) -> str:
    """The registrable domain of the site that published the page: its
    og:url names the page's own address even where the canonical link
    credits another site (a syndicated copy), and og:site_name, the name
    read with it, belongs to that same site."""
    for own in page.meta.get("og:url", ())[:1]:
        parts = urlsplit(own.strip())
        if parts.scheme in ("http", "https") and parts.hostname:
            return registrable_domain(parts.hostname)
    return registrable_domain(urlsplit(web_url).hostname or "")


def site_names(page: PageMeta, article: dict | None) -> list[tuple[str, str]]:
    """The names the page gives its site, with where each was found."""
    names = [("og:site_name", plain_text(v)) for v in page.meta.get("og:site_name", ())[:1]]
    if article is not None:
        names += [("json-ld publisher", n) for n in names_of(article.get("publisher"))[:1]]
    names += [("application-name", plain_text(v)) for v in page.meta.get("application-name", ())[:1]]
    return [(source, name) for source, name in names if 0 < len(name) <= MAX_NAME]


def find_provider(
    domain: str, names: list[tuple[str, str]], organizations: Organizations | None
) -> tuple[Provider, str, Organization | None]:
    """The provider, the signal its name came from, and its registry entry."""
    org = organizations.by_domain(domain) if organizations is not None and domain else None
    if org is not None:
        return Provider(name=org.name, domain=domain, images=list(org.images)), "organizations", org
    if names:
        source, name = names[0]
        return Provider(name=name, domain=domain), source, None
    return Provider(name=domain or "unknown", domain=domain or None), "domain", None
