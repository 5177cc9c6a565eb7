"""Crawling commands: run cycles."""

from __future__ import annotations

import re
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from topicwire.cli.app import ConfigOption, app, err, open_project, out, project_taxonomy
from topicwire.config import Project
from topicwire.errors import ConfigError, TopicwireError


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h|d)$")


def parse_duration(text: str) -> float:
    """Seconds in '90s', '15m', '2h' or '1d'."""
    match = _DURATION.match(text.strip().lower())
    if not match or float(match.group(1)) <= 0:
        raise TopicwireError(f"not a duration: {text!r} (use e.g. 30s, 15m, 2h, 1d)", field="--every")
    return float(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


@app.command()
def run(
    every: Annotated[Optional[str], typer.Option(help="Repeat every DURATION (e.g. 15m) until stopped.")] = None,
    config: ConfigOption = None,
) -> None:
    """Run one crawl cycle over all sources (or keep running with --every)."""
    import time

    from topicwire.pipeline.cycle import Cycle, fetch_policy
    from topicwire.sources import load_sources

    interval = parse_duration(every) if every else None
    with open_project(config) as (project, store):
        taxonomy = project_taxonomy(project)
        specs = load_sources(project.sources_file)
        if not specs:
            raise ConfigError("no sources to follow: add some to the sources file", source=str(project.sources_file))
        organizations = _organizations(project)
        while True:
            started = time.monotonic()
            cycle = Cycle(store, taxonomy, specs, fetch_policy(project.settings.fetch), organizations=organizations)
            summary = _run_with_progress(cycle, len(specs))
            _print_cycle(summary.as_dict(), time.monotonic() - started)
            if interval is None:
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))


def _run_with_progress(cycle, sources: int):  # type: ignore[no-untyped-def]
    """Run one cycle under a progress display of feeds and pages."""
    import asyncio

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    ) as progress:
        feeds = progress.add_task("feeds", total=sources)
        pages = progress.add_task("pages", total=None, visible=False)

        def on_event(kind: str, detail: str) -> None:
            if kind.startswith("feed"):
                progress.advance(feeds)
            elif kind == "pages":
                progress.update(pages, total=int(detail), visible=True)
            elif kind in ("article", "page-failed"):
                progress.advance(pages)
            if kind.endswith("failed"):
                progress.console.print(f"  {detail}", markup=False, highlight=False)

        cycle.progress = on_event
        return asyncio.run(cycle.run())


def _organizations(project: Project):  # type: ignore[no-untyped-def]
    from topicwire.organizations import Organizations

    folder = project.organizations_dir
    return Organizations.load(folder) if folder is not None else None


def _print_cycle(summary: dict, seconds: float) -> None:  # type: ignore[type-arg]
    feeds, articles = summary["feeds"], summary["articles"]
    failed = ", ".join(f"{k} {v}" for k, v in sorted(feeds["failed"].items())) or "none"
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(articles["skipped"].items())) or "none"
    out.print(
        f"feeds: fetched {feeds['fetched']}, not modified {feeds['not_modified']}, "
        f"resting {feeds['resting']}, failed {sum(feeds['failed'].values())} ({failed})",
        markup=False,
    )
    out.print(
        f"articles: new {articles['new']}, updated {articles['updated']}, unchanged {articles['unchanged']}, "
        f"already stored {articles['known']}, skipped {sum(articles['skipped'].values())} ({skipped})",
        markup=False,
    )
    out.print(f"cycle took {seconds:.1f}s", markup=False)
