"""The organization registry: publishers and companies described in
``_data/organizations/*.yaml`` style files, found again by web domain.

A file holds one organization (a mapping) or several (a list of mappings).
Domains are matched from the most specific host down to the registrable
domain, so ``news.bbc.co.uk`` finds an organization listed under
``bbc.co.uk``, while one listed under ``blogs.example.com`` is not mistaken
for the owner of ``example.com``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

import tldextract
from pydantic import AliasChoices, ConfigDict, Field, StrictInt, field_validator

from topicwire.errors import RecordError, TopicwireError
from topicwire.model import Image, Schema, Text, Url, validate
from topicwire.textfiles import read_yaml_items

MAX_ORGANIZATION_FILE_BYTES = 1024 * 1024

_HOST_RE = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$")


class OrganizationError(TopicwireError):
    """An organization file that cannot be read or does not hold together."""


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # The public suffix list that ships inside tldextract: no URL to fetch
    # and no cache folder, so a lookup can never reach the network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def normalize_host(host: str) -> str:
    """A host name in the form domains are compared in: lower case, ASCII
    (punycode), no trailing dot, no port, no ``www.``."""
    host = host.strip().rstrip(".").lower()
    if host.startswith("[") or host.count(":") > 1:  # an IPv6 literal keeps its colons
        return host
    host = host.split(":", 1)[0]
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    return host.removeprefix("www.")


def registrable_domain(host: str) -> str:
    """The registrable domain of a host by the public suffix list
    (``news.bbc.co.uk`` -> ``bbc.co.uk``); a host with no public suffix
    (an IP address, ``localhost``) is its own domain. Private suffixes count,
    so that ``someone.blogspot.com`` stays one publisher among many."""
    host = normalize_host(host)
    if not host:
        return host
    found = _extractor()(host).top_domain_under_public_suffix
    return found or host


@dataclass(frozen=True)
class Alias:
    """Another name of an entity, perhaps only for a time: Meta was
    "Facebook" until 2021-10-28 (``until`` is the first day it no longer is)."""

    name: str
    since: date | None = None
    until: date | None = None

    def holds_on(self, day: date | None) -> bool:
        """Whether the name meant the entity on ``day`` (always, when the
        day is unknown: an undated article is read as it says)."""
        if day is None:
            return True
        return (self.since is None or day >= self.since) and (self.until is None or day < self.until)


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    domains: tuple[str, ...]
    aliases: tuple[Alias, ...] = ()
    kind: str | None = None
    website: str | None = None
    tier: int | None = None
    overview: str | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    social: tuple[tuple[str, str], ...] = ()
    # words that show an ambiguous name ("Apple", "Amazon") means this
    # organization when they appear in the same article
    context: tuple[str, ...] = ()
    parent: str | None = None
    # phrases that hold a name without meaning the entity ("MIT License",
    # "Fortune 500"): matched as themselves, they name nobody
    exclude: tuple[str, ...] = ()

    @property
    def alias_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.aliases)


def _check_host(value: str) -> str:
    host = normalize_host(value)
    if not _HOST_RE.match(host) or "." not in host:
        raise ValueError("must be a domain name such as 'example.com'")
    return host


Host = Annotated[str, Field(max_length=253)]
S = TypeVar("S", bound=Schema)
EntityId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,99}$")]


class DatedAlias(Schema):
    model_config = ConfigDict(alias_generator=None, populate_by_name=True)

    name: Text = Field(max_length=300)
    since: date | None = Field(default=None, validation_alias=AliasChoices("since", "from"))
    until: date | None = None


def read_aliases(values: list[str | DatedAlias]) -> tuple[Alias, ...]:
    return tuple(
        Alias(v.strip()) if isinstance(v, str) else Alias(v.name.strip(), v.since, v.until) for v in values
    )


class EntryFile(Schema):
    """What every registry entry may say, organization or person; anything
    else is refused so that a misspelt field is reported instead of
    silently ignored."""

    model_config = ConfigDict(alias_generator=None, populate_by_name=True)

    id: Annotated[EntityId, Field(validation_alias=AliasChoices("id", "_id"))]
    name: Text = Field(max_length=300)
    aliases: list[Annotated[Text, Field(max_length=300)] | DatedAlias] = Field(default_factory=list, max_length=100)
    website: Url | None = None
    overview: str | None = Field(default=None, max_length=5000)
    social: dict[str, Url] | list[Url] = Field(default_factory=list)
    topics: list[Text] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    context: list[Annotated[Text, Field(max_length=100)]] = Field(default_factory=list, max_length=50)
    exclude: list[Annotated[Text, Field(max_length=200)]] = Field(default_factory=list, max_length=50)

    def shared(self) -> dict[str, Any]:
        """The shared fields as the Organization and Person dataclasses take them."""
        social = self.social.items() if isinstance(self.social, dict) else (("", url) for url in self.social)
        return {
            "id": self.id, "name": self.name.strip(), "aliases": read_aliases(self.aliases), "website": self.website,
            "overview": self.overview, "topics": tuple(self.topics), "images": tuple(self.images),
            "social": tuple(social), "context": tuple(c.strip() for c in self.context),
            "exclude": tuple(x.strip() for x in self.exclude),
        }


class _OrganizationFile(EntryFile):
    kind: str | None = Field(default=None, max_length=200)
    domain: Host | None = None
    domains: list[Host] = Field(default_factory=list)
    tier: Annotated[StrictInt, Field(ge=1, le=5)] | None = None
    parent: EntityId | None = None

    @field_validator("domain")
    @classmethod
    def _one_host(cls, value: str | None) -> str | None:
        return None if value is None else _check_host(value)

    @field_validator("domains")
    @classmethod
    def _many_hosts(cls, value: list[str]) -> list[str]:
        return [_check_host(v) for v in value]

    def to_organization(self, source: str) -> Organization:
        hosts = [*([self.domain] if self.domain else []), *self.domains]
        if not hosts and self.website:
            hosts = [normalize_host(urlsplit(self.website).hostname or "")]
        if not hosts:
            raise OrganizationError("needs a domain, domains or website to be found by", source=source, field="domain")
        return Organization(
            domains=tuple(dict.fromkeys(hosts)), kind=self.kind, tier=self.tier, parent=self.parent, **self.shared()
        )


def read_entries(path: Path, schema: type[S], what: str) -> list[tuple[S, str]]:
    """Every entry of a registry file (one mapping or a list of them),
    checked against ``schema``, with where it was; any problem is one
    OrganizationError naming the file, the entry and the field."""
    try:
        items = read_yaml_items(path, limit=MAX_ORGANIZATION_FILE_BYTES)
    except RecordError as exc:
        raise OrganizationError(exc.reason, source=str(path)) from None
    found = []
    for item, where in items:
        try:
            found.append((validate(schema, item, source=where, what=what), where))
        except RecordError as exc:
            raise OrganizationError(exc.reason, source=exc.source, field=exc.field) from None
    return found


def read_organization_file(path: Path) -> list[Organization]:
    return [entry.to_organization(where) for entry, where in read_entries(path, _OrganizationFile, "an organization file")]


class Organizations:
    """A checked set of organizations: unique ids, each domain claimed once."""

    def __init__(self, organizations: list[tuple[Organization, str]] | None = None):
        self._by_id: dict[str, Organization] = {}
        self._by_host: dict[str, Organization] = {}
        origin: dict[str, str] = {}
        for org, source in organizations or []:
            if org.id in self._by_id:
                raise OrganizationError(
                    f"duplicate organization id {org.id!r} (also in {origin[org.id]})", source=source, field="id"
                )
            for host in org.domains:
                other = self._by_host.get(host)
                if other is not None:
                    raise OrganizationError(
                        f"domain {host!r} already belongs to {other.id!r} (in {origin[other.id]})",
                        source=source,
                        field="domain",
                    )
                self._by_host[host] = org
            self._by_id[org.id] = org
            origin[org.id] = source

    @classmethod
    def load(cls, folder: Path | str) -> Organizations:
        """The organizations of every ``*.yaml``/``*.yml`` file in ``folder``."""
        folder = Path(folder)
        if not folder.is_dir():
            raise OrganizationError("organizations folder not found", source=str(folder))
        files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
        return cls([(org, str(path)) for path in files for org in read_organization_file(path)])

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Organization]:
        return iter(self._by_id.values())

    def get(self, org_id: str) -> Organization | None:
        return self._by_id.get(org_id)

    def by_domain(self, domain: str) -> Organization | None:
        """The organization owning a host: the most specific listed domain
        between the host itself and its registrable domain."""
        host = normalize_host(domain)
        if not host:
            return None
        floor = registrable_domain(host)
        labels = host.split(".")
        for i in range(len(labels)):
            candidate = ".".join(labels[i:])
            org = self._by_host.get(candidate)
            if org is not None:
                return org
            if candidate == floor:
                break
        return None

