"""`topicwire sources ...`: list, add (with feed discovery), OPML in and out."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from topicwire.cli.app import ConfigOption, app, out
from topicwire.config import Project, load_project
from topicwire.errors import ConfigError, TopicwireError
from topicwire.sources import SourceSpec, load_sources, save_sources
from topicwire.textfiles import write_atomic

sources_app = typer.Typer(help="The sources the wire follows.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")

KINDS = {"rss", "atom", "jsonfeed", "sitemap", "urls", "page"}


def _kind(kind: str | None) -> str:
    """Parser kinds to source kinds (sitemap flavours are all 'sitemap')."""
    if kind and "sitemap" in kind:
        return "sitemap"
    return kind if kind in KINDS else "auto"


def _current(project: Project) -> list[SourceSpec]:
    return load_sources(project.sources_file) if project.sources_file.exists() else []


def _merge(project: Project, new: list[SourceSpec]) -> tuple[int, int]:
    specs = _current(project)
    known = {s.url for s in specs}
    added = []
    for spec in new:
        if spec.url not in known:
            known.add(spec.url)
            added.append(spec)
    if added:
        save_sources(project.sources_file, specs + added)
    return len(added), len(new) - len(added)


@sources_app.command("list")
def list_sources(config: ConfigOption = None) -> None:
    """The sources and their kinds."""
    project = load_project(config)
    table = Table(title=Text(f"{project.sources_file}"))
    for column in ("kind", "name", "url"):
        table.add_column(column, overflow="fold")
    for spec in _current(project):
        table.add_row(spec.kind, Text(spec.name or ""), Text(spec.url))
    out.print(table)


@sources_app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="A feed, sitemap, or a site's page whose feeds to discover.")],
    name: Annotated[str | None, typer.Option(help="Name shown in summaries.")] = None,
    config: ConfigOption = None,
) -> None:
    """Add a feed; given a web page, add the feeds it announces."""
    # the crawling stack is heavy to import: only the commands that fetch pay
    from topicwire.ingest.discover import discover_feeds
    from topicwire.ingest.feeds import parse_feed
    from topicwire.ingest.fetch import Fetcher
    from topicwire.pipeline.cycle import fetch_policy

    project = load_project(config)
    try:
        candidate = SourceSpec(url=url, name=name)
    except ValueError:
        raise TopicwireError("not an http(s) URL", source=url) from None

    async def fetch():  # type: ignore[no-untyped-def]
        async with Fetcher(fetch_policy(project.settings.fetch)) as fetcher:
            return await fetcher.fetch(url)

    result = asyncio.run(fetch())
    if not result.ok:
        raise TopicwireError(result.detail or result.error or "cannot fetch", source=None if result.detail else url)
    new: list[SourceSpec]
    if result.content_type and "html" in result.content_type:
        found = discover_feeds(result.text(), result.final_url)
        if not found:
            raise TopicwireError("the page announces no feed (no <link rel=alternate>)", source=url)
        new = [SourceSpec(url=f, name=name or title, kind=_kind(kind)) for f, title, kind in found]
    else:
        parsed = parse_feed(result.content, url=result.final_url, content_type=result.content_type)
        new = [candidate.model_copy(update={"kind": _kind(parsed.kind), "name": name or parsed.title})]
    added, known = _merge(project, new)
    for spec in new:
        out.print(Text(f"{spec.kind:8} {spec.url}"))
    out.print(f"added {added}, already followed {known}")


@sources_app.command("import-opml")
def import_opml(
    path: Annotated[Path, typer.Argument(help="An OPML file (e.g. exported from a feed reader).")],
    config: ConfigOption = None,
) -> None:
    """Add every feed of an OPML file."""
    from topicwire.ingest.opml import read_opml

    project = load_project(config)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    outlines = read_opml(data, source=str(path))
    new = [SourceSpec(url=o.url, name=o.name, kind=_kind(o.kind)) for o in outlines]
    added, known = _merge(project, new)
    out.print(f"added {added}, already followed {known}")


@sources_app.command("export-opml")
def export_opml(
    path: Annotated[Path, typer.Argument(help="Where to write the OPML file.")],
    config: ConfigOption = None,
) -> None:
    """Write the sources as an OPML file for other feed readers."""
    from topicwire.ingest.opml import OutlineSource, write_opml

    project = load_project(config)
    specs = _current(project)
    outlines = [OutlineSource(url=s.url, name=s.name, kind=None if s.kind == "auto" else s.kind) for s in specs]
    write_atomic(path, write_opml(outlines, title=project.settings.name))
    out.print(f"exported {len(specs)} sources to {path}")
