"""The sources file: what topicwire follows.

```yaml
sources:
  - url: https://www.example.com/feed.xml
    name: Example News          # optional: shown in summaries
    kind: rss                   # optional: rss, atom, jsonfeed, sitemap, urls, page, auto
    locale: en-GB               # optional: for pages that do not say
```
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from topicwire.errors import ConfigError, RecordError
from topicwire.model import Locale, Url, validate
from topicwire.textfiles import load_yaml, read_text, write_atomic

SourceKind = Literal["auto", "rss", "atom", "jsonfeed", "sitemap", "urls", "page"]


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    name: str | None = Field(default=None, max_length=300)
    kind: SourceKind = "auto"
    locale: Locale | None = None

    @property
    def id(self) -> str:
        """Stable id of the source: a hash of its URL as written."""
        return hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:16]


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[SourceSpec] = Field(default_factory=list)


def load_sources(path: Path) -> list[SourceSpec]:
    """The sources listed in ``path``; duplicates (same URL) are an error."""
    try:
        data = load_yaml(read_text(path), source=str(path))
        parsed = validate(SourcesFile, data if data is not None else {}, source=str(path), what="the sources file")
    except RecordError as exc:
        raise ConfigError(exc.reason, source=exc.source, field=exc.field) from None
    seen: dict[str, int] = {}
    for i, spec in enumerate(parsed.sources):
        if spec.url in seen:
            raise ConfigError(
                f"the same URL is listed twice (also sources[{seen[spec.url]}])", source=str(path), field=f"sources[{i}].url"
            )
        seen[spec.url] = i
    return parsed.sources


def save_sources(path: Path, specs: list[SourceSpec]) -> None:
    """Rewrite the sources file with ``specs`` (comments are not kept)."""
    entries = [{"url": spec.url, **spec.model_dump(exclude_defaults=True, exclude={"url"})} for spec in specs]
    header = "# Sources topicwire follows (see 'topicwire sources --help').\n"
    write_atomic(path, header + yaml.safe_dump({"sources": entries}, sort_keys=False, allow_unicode=True))
