"""The corpus YAML as immutable objects, parsed once per process.

Everything else (pages, feeds, ground truth) is derived from these objects,
so the rendered web and the truth can never read the YAML differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import yaml

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# libyaml parses the corpus ten times faster, which keeps server start well under a second
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    domain: str
    site: str
    kind: str
    locale: str
    tier: int

    @property
    def lang(self) -> str:
        return self.locale.split("-")[0]


@dataclass(frozen=True)
class Picture:
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class Block:
    """One block of body text. ``tag`` is ``p`` (lines joined by ``<br>``)
    or ``ul`` (one line per list item): press releases carry bullet lists
    and multi-line contact blocks that a flat paragraph would mangle."""

    tag: str
    lines: tuple[str, ...]

    def texts(self) -> list[str]:
        """The plain-text paragraphs a reader sees: one per <p>, one per <li>."""
        return ["\n".join(self.lines)] if self.tag == "p" else list(self.lines)


@dataclass(frozen=True)
class Article:
    id: str
    provider: str
    story: str
    slug: str
    title: str
    published: datetime
    updated: datetime | None
    author: str | None
    description: str
    language: str
    kind: str
    topics: tuple[str, ...]
    picture: Picture | None
    blocks: tuple[Block, ...]
    syndicated_from: str | None
    # the registry ids (topicwire/data/registry) of the companies and people
    # the title, description or body names; None where not labelled
    entities: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Corpus:
    providers: dict[str, Provider]
    articles: tuple[Article, ...]



def parse_blocks(body: str) -> tuple[Block, ...]:
    blocks = []
    for chunk in _BLANK_LINE.split(body.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            blocks.append(Block("ul", tuple(line[2:].strip() for line in lines)))
        else:
            blocks.append(Block("p", tuple(lines)))
    return tuple(blocks)


def _article(raw: dict, story: str) -> Article:
    image = raw.get("image")
    return Article(
        id=raw["id"],
        provider=raw["provider"],
        # singles are each their own story group, named after the article
        story=raw["id"] if story == "single" else story,
        slug=raw["slug"],
        title=raw["title"].strip(),
        published=datetime.fromisoformat(raw["published"]),
        updated=datetime.fromisoformat(raw["updated"]) if raw.get("updated") else None,
        author=raw.get("author"),
        description=raw["description"].strip(),
        language=raw["language"],
        kind=raw["kind"],
        topics=tuple(raw.get("topics") or ()),
        picture=Picture(image["alt"], int(image["width"]), int(image["height"])) if image else None,
        blocks=parse_blocks(raw["body"]),
        syndicated_from=raw.get("syndicated_from"),
        entities=tuple(raw["entities"]) if raw.get("entities") is not None else None,
    )


@lru_cache(maxsize=1)
def load_corpus() -> Corpus:
    providers = {
        p["id"]: Provider(p["id"], p["name"], p["domain"], p["site"].rstrip("/"), p["kind"], p["locale"],
                          int(p["tier"]))
        for p in _read_yaml(CORPUS_DIR / "providers.yaml")
    }
    articles = []
    for path in sorted(CORPUS_DIR.glob("*/*.yaml")):
        doc = _read_yaml(path)
        articles.extend(_article(raw, doc["story"]) for raw in doc["articles"])
    return Corpus(providers, tuple(articles))
