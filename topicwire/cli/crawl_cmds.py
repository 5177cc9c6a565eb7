"""Crawling commands: run cycles."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from topicwire.cli.app import ConfigOption, app, err, open_project, out, project_taxonomy
from topicwire.durations import parse_duration as read_duration
from topicwire.errors import ConfigError, TopicwireError


def parse_duration(text: str) -> float:
    """Seconds in '90s', '15m', '2h' or '1d'."""
    found = read_duration(text, units="smhd")
    if found is None:
        raise TopicwireError(f"not a duration: {text!r} (use e.g. 30s, 15m, 2h, 1d)", field="--every")
    return found.total_seconds()


@app.command()
def run(
    every: Annotated[Optional[str], typer.Option(help="Repeat every DURATION (e.g. 15m) until stopped.")] = None,
    workers: Annotated[
        bool, typer.Option("--workers", help="Hand the cycle to `topicwire worker` processes and wait for it.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Run one crawl cycle over all sources (or keep running with --every)."""
    import time

    from topicwire.pipeline.project_cycle import cycle_for

    interval = parse_duration(every) if every else None
    with open_project(config, keys=True) as (project, store):
        while True:
            started = time.monotonic()
            if workers:
                from topicwire.workers.client import run_on_workers

                summary = run_on_workers(project, progress=lambda line: err.print(line, markup=False))
            else:
                cycle = cycle_for(project, store)
                summary = _run_with_progress(cycle, len(cycle.sources)).as_dict()
            _print_cycle(summary, time.monotonic() - started)
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
        f"already stored {articles['known']}, same as another page {articles['alternate']}, "
        f"skipped {sum(articles['skipped'].values())} ({skipped})",
        markup=False,
    )
    images = summary["images"]
    image_failures = ", ".join(f"{k} {v}" for k, v in sorted(images["failed"].items())) or "none"
    out.print(f"images: cached {images['cached']}, failed {sum(images['failed'].values())} ({image_failures})", markup=False)
    enrichment = summary["enrichment"]
    out.print(f"scored: {enrichment['articles']} articles in the recent window, {enrichment['published']} published")
    out.print(f"cycle took {seconds:.1f}s", markup=False)


@app.command("extract")
def extract_cmd(
    inputs: Annotated[list[str], typer.Argument(metavar="PATH_OR_URL...", help="HTML files (.html, .html.gz) or http(s) URLs.")],
    url: Annotated[Optional[str], typer.Option(help="The page address of a single local file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line, in input order.")] = False,
    allow: Annotated[
        Optional[list[str]], typer.Option(help="HOST:PORT a URL may use although it is private (e.g. a local test server).")
    ] = None,
) -> None:
    """Extract articles from saved pages or URLs and print their records."""
    import asyncio
    import json
    from pathlib import Path

    from topicwire.ingest.extract import extract, extract_file
    from topicwire.ingest.fetch import Fetcher, FetchPolicy
    from topicwire.records import dump_record

    if url is not None and (len(inputs) != 1 or inputs[0].startswith(("http://", "https://"))):
        raise TopicwireError("--url is for a single local file", field="--url")

    async def fetch_all(urls: list[str]):  # type: ignore[no-untyped-def]
        async with Fetcher(FetchPolicy(allow=frozenset(allow or ()), per_host_delay=0.0)) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(u) for u in urls))

    remote = [i for i in inputs if i.startswith(("http://", "https://"))]
    fetched = dict(zip(remote, asyncio.run(fetch_all(remote)), strict=True)) if remote else {}
    failed = 0
    for item in inputs:
        try:
            if item in fetched:
                result = fetched[item]
                if not result.ok:
                    if result.detail:  # already names the URL
                        raise TopicwireError(result.detail)
                    raise TopicwireError(result.error or "fetch failed", source=item)
                article = extract(result.content, url=result.final_url).article
            else:
                article = extract_file(Path(item), url=url).article
        except TopicwireError as exc:
            failed += 1
            if as_json:
                out.print(json.dumps({"input": item, "error": str(exc)}, ensure_ascii=False), markup=False, highlight=False)
            else:
                err.print(f"error: {exc}", markup=False)
            continue
        if as_json:
            out.print(json.dumps(article.to_data(json=True), ensure_ascii=False), markup=False, highlight=False)
        else:
            out.print(dump_record(article), markup=False, highlight=False, end="")
    if failed:
        raise typer.Exit(1)


def _project_if_any(config):  # type: ignore[no-untyped-def]
    """The project when there is one (a --config that names none is an
    error), else None: eval also works outside a project."""
    from topicwire.config import find_config, load_project

    try:
        find_config(config)
    except ConfigError:
        if config is not None:
            raise
        return None
    return load_project(config)


def _taxonomy_for(project):  # type: ignore[no-untyped-def]
    """The project's taxonomy when there is a project, else the default one."""
    from topicwire.taxonomy import load_taxonomy

    return project_taxonomy(project) if project is not None else load_taxonomy()


def _registry_for(project):  # type: ignore[no-untyped-def]
    """The project's registry when there is a project, else the starter one."""
    from topicwire.pipeline.project_cycle import project_registry
    from topicwire.registry import Registry

    return project_registry(project) if project is not None else Registry.load()


@app.command("eval")
def eval_cmd(
    truth: Annotated[str, typer.Option("--truth", help="JSON Lines: records plus truth_topics / truth_story / truth_duplicate_of / truth_entities.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures and per-record predictions as JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Score topics, duplicates, stories and the publishing rule against a truth file."""
    import json
    from pathlib import Path

    from rich.table import Table

    from topicwire.pipeline.evaluate import evaluate, read_truth

    project = _project_if_any(config)
    taxonomy = _taxonomy_for(project)
    report = evaluate(read_truth(Path(truth), taxonomy), taxonomy, registry=_registry_for(project))
    if as_json:
        out.print(json.dumps(report.as_dict(), ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
        return
    out.print(f"records: {report.records}")
    if report.topics:
        t = report.topics
        out.print(f"topics: micro-F1 {t['micro_f1']:.3f}, macro-F1 {t['macro_f1']:.3f}, exact sets {t['exact_match']:.3f}")
    for label, scores in (("duplicates", report.duplicates), ("stories (B-cubed)", report.stories),
                          ("entities", report.entities)):
        if scores is not None:
            out.print(f"{label}: precision {scores.precision:.3f}, recall {scores.recall:.3f}, F1 {scores.f1:.3f}")
    if report.published_agreement is not None:
        out.print(f"published rule agrees with the records on {report.published_agreement:.1%}")
    if report.topics:
        table = Table(title="per topic")
        for column in ("topic", "precision", "recall", "F1", "support"):
            table.add_column(column, justify="left" if column == "topic" else "right")
        for name, row in report.topics["per_topic"].items():
            table.add_row(name, f"{row['precision']:.2f}", f"{row['recall']:.2f}", f"{row['f1']:.2f}", str(row["support"]))
        out.print(table)


@app.command("train")
def train_cmd(
    labels: Annotated[str, typer.Option("--labels", help="JSON Lines: {text, topics} or records with topics.")],
    output: Annotated[Optional[str], typer.Option("--out", help="Where to write the model (default: the project's data folder).")] = None,
    config: ConfigOption = None,
) -> None:
    """Train the topic classifier on labelled examples."""
    from pathlib import Path

    from topicwire.enrich.classifier import train_from_file
    from topicwire.enrich.embed import wordllama_embedder
    from topicwire.config import load_project

    taxonomy = _taxonomy_for(_project_if_any(config))
    classifier = train_from_file(Path(labels), taxonomy, wordllama_embedder())
    if output is None:
        output = str(load_project(config).data_dir / "classifier" / "topics.npz")
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    classifier.save(Path(output))
    out.print(f"trained on {labels}; model written to {output}")


@app.command()
def rescore(
    days: Annotated[float, typer.Option(min=0.1, help="Score again what was published in the last DAYS days.")] = 30,
    now: Annotated[
        Optional[str],
        typer.Option(help="Score as of this ISO time instead of now (to replay an archive); heat is measured then."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Score stored articles again without fetching (after editing the
    taxonomy, the quality weights or the organization registry)."""
    from datetime import datetime, timedelta, timezone

    from topicwire.model import now_utc

    moment = now_utc()
    if now is not None:
        try:
            moment = datetime.fromisoformat(now.replace("Z", "+00:00"))
        except ValueError:
            raise TopicwireError(f"not an ISO time: {now!r} (e.g. 2026-11-27T12:00:00Z)", field="--now") from None
        moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    from topicwire.pipeline.cycle import Cycle, fetch_policy
    from topicwire.pipeline.enrichment import enrich_settings
    from topicwire.pipeline.project_cycle import project_registry

    with open_project(config, keys=True) as (project, store):
        registry = project_registry(project)
        cycle = Cycle(
            store, project_taxonomy(project), [], fetch_policy(project.settings.fetch),
            organizations=registry.organizations, registry=registry,
            enrich_settings=enrich_settings(project.settings.enrichment, source=str(project.config_path)),
        )
        summary = cycle.rescore(moment - timedelta(days=days), now=moment)
    out.print(f"scored: {summary.enriched} articles, {summary.published} published")
