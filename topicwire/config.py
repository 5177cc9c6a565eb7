"""The project settings file (``topicwire.yaml``) and the environment.

A project is found from an explicit path, else ``TOPICWIRE_CONFIG``, else
``./topicwire.yaml``. Relative paths inside the file are relative to the
file's own folder, so a project can be run from anywhere.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from topicwire.durations import parse_duration
from topicwire.errors import ConfigError, RecordError
from topicwire.model import validate
from topicwire.textfiles import load_yaml, read_text

CONFIG_NAME = "topicwire.yaml"
ENV_CONFIG = "TOPICWIRE_CONFIG"
ENV_DATABASE = "TOPICWIRE_DATABASE"
ENV_EDITOR_TOKEN = "TOPICWIRE_EDITOR_TOKEN"
# the key ring as "id:base64key,id:base64key" (the first is the active key);
# when set it is used instead of the key file (see topicwire/secure.py)
ENV_KEYS = "TOPICWIRE_KEYS"
# the workers' broker and Redis URLs, which may hold passwords
ENV_BROKER = "TOPICWIRE_BROKER"
ENV_REDIS = "TOPICWIRE_REDIS"
# the editor API's default client networks: this machine only
LOOPBACK_NETWORKS = ("127.0.0.0/8", "::1/128")


class FetchSettings(BaseModel):
    """How politely and safely pages are fetched (see ingest/fetch.py)."""

    model_config = ConfigDict(extra="forbid")

    user_agent: str = Field(default="topicwire/0.1 (+self-hosted news curation)", min_length=1, max_length=300)
    connect_timeout: float = Field(default=5.0, gt=0, le=120)
    read_timeout: float = Field(default=10.0, gt=0, le=300)
    total_timeout: float = Field(default=30.0, gt=0, le=600)
    max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=1024**3)
    max_redirects: int = Field(default=5, ge=0, le=20)
    concurrency: int = Field(default=8, ge=1, le=256)
    per_host_concurrency: int = Field(default=2, ge=1, le=64)
    per_host_delay: float = Field(default=0.5, ge=0, le=3600)
    retries: int = Field(default=2, ge=0, le=10)
    respect_robots: bool = True
    # host:port pairs exempt from the private-address refusal, e.g. a feed
    # server on this machine ("127.0.0.1:8080"); nothing else is
    allow: list[str] = Field(default_factory=list)


class EnrichmentSettings(BaseModel):
    """How articles are scored, grouped and published (see enrich/)."""

    model_config = ConfigDict(extra="forbid")

    publish_threshold: int = Field(default=55, ge=0, le=100)
    story_window_hours: float = Field(default=72, gt=0, le=24 * 60)
    heat_half_life_hours: float = Field(default=24, gt=0, le=24 * 365)
    related_limit: int = Field(default=4, ge=0, le=50)
    related_days: float = Field(default=7, gt=0, le=365)
    # blend sentence embeddings into story matching (see README)
    story_embeddings: bool = False
    # quality weights by name (see `topicwire explain`); unknown names are refused
    quality: dict[str, Any] = Field(default_factory=dict)


def _network(entry: str) -> str:
    try:
        ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        raise ValueError(f"{entry!r} is not a network (CIDR such as 192.168.1.0/24) or an address") from None
    return entry


# a CIDR or a single address, checked per entry so that an error names its index
Network = Annotated[str, AfterValidator(_network)]


class ServeSettings(BaseModel):
    """`topicwire serve`: where it listens and who may edit."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(default="127.0.0.1", min_length=1, max_length=253)
    port: int = Field(default=8000, ge=1, le=65535)
    # the bearer token of the editor endpoints; better given in the
    # environment (TOPICWIRE_EDITOR_TOKEN) than written in this file.
    # Without one the editor endpoints refuse every request.
    editor_token: str | None = Field(default=None, min_length=16, max_length=500)
    # how long clients and proxies may reuse a listing (seconds)
    cache_seconds: int = Field(default=60, ge=0, le=86400)
    # client networks (CIDRs or addresses) the editor API answers; any
    # other client gets 403 whatever its token. Loopback only by default:
    # editing from elsewhere is a decision to write down, not a default.
    editor_networks: list[Network] = Field(default_factory=lambda: list(LOOPBACK_NETWORKS), max_length=100)
    # reverse proxies (CIDRs or addresses) whose X-Forwarded-For is believed
    # for the client address; none by default, so that no client can claim
    # another address with a header
    trusted_proxies: list[Network] = Field(default_factory=list, max_length=100)


class NewsletterSettings(BaseModel):
    """`topicwire digest --send`: who gets it and through which SMTP server."""

    model_config = ConfigDict(extra="forbid")

    recipients: list[str] = Field(default_factory=list)
    sender: str = Field(default="topicwire@localhost", min_length=3, max_length=320)
    smtp_host: str = Field(default="localhost", min_length=1, max_length=253)
    smtp_port: int = Field(default=25, ge=1, le=65535)
    # "starttls" upgrades a plain connection, "ssl" connects over TLS, "none" neither
    smtp_security: str = Field(default="starttls", pattern=r"^(starttls|ssl|none)$")
    smtp_username: str | None = None
    # the name of the environment variable that holds the SMTP password
    smtp_password_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    # stories in one digest
    stories: int = Field(default=10, ge=1, le=100)


class WorkerSettings(BaseModel):
    """`topicwire worker` and `topicwire scheduler`: the cycle split into
    tasks on a Celery broker (see the README's "Scaling out")."""

    model_config = ConfigDict(extra="forbid")

    # where tasks wait (TOPICWIRE_BROKER overrides it)
    broker: str = Field(default="amqp://guest:guest@127.0.0.1:5672//", min_length=1)
    # task results, the shared per-host limits and the cycle lock (TOPICWIRE_REDIS overrides it)
    redis: str = Field(default="redis://127.0.0.1:6379/0", min_length=1)
    # the queue this project's tasks go to: projects sharing a broker need their own
    queue: str = Field(default="topicwire", pattern=r"^[A-Za-z0-9_.:-]{1,100}$")
    # pages per task: larger batches share connections, smaller ones spread better
    page_batch: int = Field(default=20, ge=1, le=1000)
    # how often `topicwire scheduler` starts a cycle (30m, 2h, 1d)
    every: str = "30m"
    # a cycle that holds the lock longer than this is taken for dead
    cycle_timeout_minutes: int = Field(default=120, ge=1, le=10080)

    @field_validator("every")
    @classmethod
    def _every(cls, value: str) -> str:
        if parse_duration(value, units="smhd", whole=True) is None:
            raise ValueError("a whole number of seconds, minutes, hours or days, e.g. 30m, 2h, 1d")
        return value

    @property
    def interval(self) -> timedelta:
        return parse_duration(self.every, units="smhd", whole=True) or timedelta(minutes=30)


class Settings(BaseModel):
    """What ``topicwire.yaml`` may say. Unknown keys are refused so that a
    typo is an error rather than a silently ignored setting."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="topicwire", max_length=200)
    # where the published site will be served from; feeds and links use it
    site_url: str = Field(default="http://127.0.0.1:8000/", pattern=r"^https?://\S+$")
    data_dir: str = "data"
    # SQLAlchemy URL; empty means SQLite in the data folder
    database: str | None = None
    taxonomy: str = "topics"
    sources: str = "sources.yaml"
    # folder of organization files (_data/organizations style), if any
    organizations: str | None = None
    # folder of person files (_data/people style), if any
    people: str | None = None
    # the starter registry of AI companies, labs, publishers and people that
    # ships with topicwire; the folders above add to it and override it
    starter_registry: bool = True
    # the key file that encrypts full text at rest (TOPICWIRE_KEYS overrides it)
    keys: str = Field(default="keys.json", min_length=1)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    enrichment: EnrichmentSettings = Field(default_factory=EnrichmentSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)
    newsletter: NewsletterSettings = Field(default_factory=NewsletterSettings)
    workers: WorkerSettings = Field(default_factory=WorkerSettings)


@dataclass(frozen=True)
class Project:
    """Settings with every path resolved against the settings file."""

    config_path: Path
    settings: Settings

    @property
    def root(self) -> Path:
        return self.config_path.parent

    def _path(self, value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.root / path

    @property
    def data_dir(self) -> Path:
        return self._path(self.settings.data_dir)

    @property
    def taxonomy_dir(self) -> Path:
        return self._path(self.settings.taxonomy)

    @property
    def sources_file(self) -> Path:
        return self._path(self.settings.sources)

    @property
    def organizations_dir(self) -> Path | None:
        return self._path(self.settings.organizations) if self.settings.organizations else None

    @property
    def people_dir(self) -> Path | None:
        return self._path(self.settings.people) if self.settings.people else None

    @property
    def keys_file(self) -> Path:
        return self._path(self.settings.keys)

    @property
    def database_url(self) -> str:
        url = os.environ.get(ENV_DATABASE) or self.settings.database
        if url:
            return url
        return f"sqlite:///{self.data_dir / 'topicwire.db'}"

    @property
    def images_dir(self) -> Path:
        return self.data_dir / "images"

    @property
    def broker_url(self) -> str:
        return os.environ.get(ENV_BROKER) or self.settings.workers.broker

    @property
    def redis_url(self) -> str:
        return os.environ.get(ENV_REDIS) or self.settings.workers.redis

    @property
    def editor_token(self) -> str | None:
        """The editor token: the environment's, else the settings file's."""
        return os.environ.get(ENV_EDITOR_TOKEN) or self.settings.serve.editor_token


def find_config(explicit: str | Path | None = None) -> Path:
    """The settings file to use, or a ConfigError that says how to make one."""
    if explicit:
        path, how = Path(explicit), "--config"
    elif os.environ.get(ENV_CONFIG):
        path, how = Path(os.environ[ENV_CONFIG]), ENV_CONFIG
    else:
        path, how = Path.cwd() / CONFIG_NAME, None
    if path.is_dir():
        path = path / CONFIG_NAME
    if not path.is_file():
        hint = "create one with 'topicwire init [DIR]'"
        if how:
            raise ConfigError(f"no project settings file (from {how}); {hint}", source=str(path))
        raise ConfigError(f"no {CONFIG_NAME} here; {hint}, or pass --config PATH or set {ENV_CONFIG}")
    return path.resolve()


def load_project(explicit: str | Path | None = None) -> Project:
    path = find_config(explicit)
    try:
        data = load_yaml(read_text(path), source=str(path))
        settings = validate(Settings, data if data is not None else {}, source=str(path), what="the settings file")
    except RecordError as exc:
        raise ConfigError(exc.reason, source=exc.source, field=exc.field) from None
    return Project(config_path=path, settings=settings)


DEFAULT_CONFIG = """\
# topicwire project settings. Paths are relative to this file.
name: {name}
# where the database, cached images and published files live
data_dir: data
# SQLAlchemy database URL; leave empty for SQLite in data_dir
# (e.g. postgresql+psycopg://user@localhost/topicwire for scale)
database:{database}
# folder of topic files (_data/topics style, one topic per file)
taxonomy: topics
# the feeds, sitemaps and pages to follow
sources: sources.yaml
# the keys that encrypt every article's full text at rest; keep this file
# private (mode 0600) and backed up apart from the database: without it the
# full text cannot be read. TOPICWIRE_KEYS in the environment overrides it.
keys: keys.json
# where the published site is served from (links and feeds use it)
site_url: http://127.0.0.1:8000/
"""

DEFAULT_SOURCES = """\
# Sources topicwire follows. Each entry needs a url; kind is one of
# rss, atom, jsonfeed, sitemap, page, urls (guessed from the content if left out).
#
# - url: https://www.example.com/feed.xml
#   name: Example News
sources: []
"""
