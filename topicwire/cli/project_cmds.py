"""Commands over a project's store: init, import, export, list, show, topics."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from topicwire.cli.app import ConfigOption, app, err, open_project, out, project_taxonomy
from topicwire.config import CONFIG_NAME, DEFAULT_CONFIG, DEFAULT_SOURCES, load_project
from topicwire.errors import ConfigError, TopicwireError
from topicwire.pipeline.imports import import_records
from topicwire.publish.static import record_path
from topicwire.records import dump_record, paginate, write_atomic, write_record
from topicwire.store import Store
from topicwire.store.db import safe_url
from topicwire.secure import create_key_file
from topicwire.store.articles import count_articles, find_article, iter_articles, list_articles
from topicwire.store.sealing import key_usage
from topicwire.store.topics import topic_counts
from topicwire.taxonomy import default_taxonomy_dir


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new project.")] = Path("."),
    name: Annotated[str, typer.Option(help="The wire's name.")] = "My topicwire",
    force: Annotated[bool, typer.Option(help="Overwrite an existing settings file.")] = False,
    database: Annotated[
        str | None, typer.Option(help="Database URL (e.g. postgresql+psycopg://user@host/db); default SQLite in data/.")
    ] = None,
) -> None:
    """Create a project: settings file, sources file, taxonomy folder, data folder."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / CONFIG_NAME
    if config.exists() and not force:
        raise ConfigError("a project already exists here (use --force to overwrite its settings)", source=str(config))
    chosen = f" {json.dumps(database)}" if database else ""
    write_atomic(config, DEFAULT_CONFIG.format(name=json.dumps(name), database=chosen))
    sources = directory / "sources.yaml"
    if not sources.exists():
        write_atomic(sources, DEFAULT_SOURCES)
    topics = directory / "topics"
    if not topics.exists():
        shutil.copytree(default_taxonomy_dir(), topics)
    (directory / "data").mkdir(exist_ok=True)
    project = load_project(config)
    taxonomy = project_taxonomy(project)
    # an existing key file is kept whatever --force says: it may be the only
    # way to read text already stored
    keys = "kept" if project.keys_file.exists() else f"new key {create_key_file(project.keys_file).active_id}"
    with Store(project.database_url):
        pass
    out.print(f"Created a topicwire project in {directory.resolve()}")
    out.print(f"  settings  {config}")
    out.print(f"  sources   {sources}")
    out.print(f"  taxonomy  {topics} ({len(taxonomy)} topics)")
    out.print(f"  keys      {project.keys_file} ({keys}; keep it private and backed up)")
    out.print(f"  database  {safe_url(project.database_url)}")
    out.print("Next: add sources to sources.yaml, or 'topicwire import PATH' to load record files.")


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Record files or folders of them.")],
    config: ConfigOption = None,
) -> None:
    """Import record files (Markdown + YAML front matter) into the store."""
    with open_project(config, keys=True) as (project, store):
        taxonomy = project_taxonomy(project)
        with Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("import", total=None)
            summary = import_records(
                store,
                taxonomy,
                paths,
                on_start=lambda n: progress.update(task, total=n),
                on_file=lambda _path, _status: progress.advance(task),
            )
    for source, reason in summary.skipped:
        err.print(f"skipped {source}: {reason}", markup=False)
    out.print(
        f"imported {summary.new}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"skipped {len(summary.skipped)}"
    )
    if summary.skipped and not (summary.new or summary.updated or summary.unchanged):
        raise typer.Exit(1)


@app.command()
def export(
    out_dir: Annotated[Path, typer.Argument(metavar="OUT", help="Folder to write into.")],
    format: Annotated[str, typer.Option("--format", "-f", help="md: record files; json: paged JSON API files.")] = "md",
    config: ConfigOption = None,
) -> None:
    """Export every stored article as record files or paged JSON, the full
    text encrypted (secured and securedKey), never in plain."""
    if format not in ("md", "json"):
        raise TopicwireError(f"unknown format {format!r} (use md or json)", field="--format")
    written = 0
    with open_project(config) as (_project, store), store.connect() as conn:
        plain = key_usage(conn).plain
        if plain:
            raise TopicwireError(
                f"{plain} articles still hold plain text from before encryption at rest; "
                "seal them first with 'topicwire keys rotate --resume'"
            )
        # loaded without the key ring: the text goes out sealed, as stored
        articles = iter_articles(conn)
        if format == "md":
            for article in articles:
                write_record(article, out_dir / record_path(article))
                written += 1
        else:
            for page in paginate(a.to_data(json=True) for a in articles):
                write_atomic(out_dir / f"page-{page['page']}.json", json.dumps(page, ensure_ascii=False, indent=1))
                written += len(page["value"])
    out.print(f"exported {written} articles to {out_dir}")


@app.command("list")
def list_(
    topic: Annotated[Optional[str], typer.Option("--topic", "-t", help="Only this topic (name or id).")] = None,
    sort: Annotated[str, typer.Option(help="date, heat or quality.")] = "date",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
    config: ConfigOption = None,
) -> None:
    """List stored articles, newest (or hottest, or best) first."""
    if sort not in ("date", "heat", "quality"):
        raise TopicwireError(f"unknown sort {sort!r} (use date, heat or quality)", field="--sort")
    with open_project(config) as (project, store), store.connect() as conn:
        topic_id = project_taxonomy(project).get(topic).id if topic else None
        total = count_articles(conn, topic_id=topic_id)
        rows = list_articles(conn, topic_id=topic_id, sort=sort, limit=limit)  # type: ignore[arg-type]
    table = Table(title=Text(f"{len(rows)} of {total} articles" + (f" in {topic}" if topic else "")))
    for column in ("id", "date", "quality", "heat", "provider"):
        table.add_column(column, no_wrap=True, overflow="ellipsis", max_width=16 if column == "provider" else None)
    table.add_column("title", min_width=30, overflow="fold")
    for a in rows:
        table.add_row(
            a.id[:10],
            a.published_date_time.strftime("%Y-%m-%d") if a.published_date_time else "",
            "" if a.quality is None else str(a.quality),
            "" if a.heat is None else str(a.heat),
            Text(a.provider.name if a.provider else ""),  # source text: never rich markup
            Text(a.title),
        )
    out.print(table)


@app.command()
def show(
    key: Annotated[str, typer.Argument(metavar="ID", help="Article id, unique id prefix, or URL.")],
    config: ConfigOption = None,
) -> None:
    """Print one stored article as a record file."""
    with open_project(config) as (_project, store), store.connect() as conn:
        article = find_article(conn, key)
    out.print(dump_record(article), markup=False, end="")


@app.command()
def topics(config: ConfigOption = None) -> None:
    """The topic pages' summary: articles, heat and the hottest story of each topic."""
    from topicwire.store.enrichment import hottest_stories, latest_topic_heat

    with open_project(config) as (project, store), store.connect() as conn:
        counts = topic_counts(conn)
        heat = latest_topic_heat(conn)
        hottest = {c.id: hottest_stories(conn, topic_id=c.id, limit=2) for c in counts if c.articles}
    table = Table(title=Text(f"{project.settings.name}: {len(counts)} topics"))
    width = max((len(c.name) + 2 * c.depth for c in counts), default=5)
    table.add_column("topic", no_wrap=True, min_width=width)
    table.add_column("articles", justify="right", min_width=8)
    table.add_column("published", justify="right", min_width=9)
    table.add_column("heat", justify="right", min_width=5)
    table.add_column(
        "hottest stories (heat, providers)", no_wrap=True, overflow="ellipsis", max_width=max(30, out.width - width - 38)
    )
    for c in counts:
        lines = "\n".join(f"[{s.heat}, {s.providers}] {s.headline}" for s in hottest.get(c.id, []))
        table.add_row(Text("  " * c.depth + c.name), str(c.articles), str(c.published), str(heat.get(c.id, "")), Text(lines))
    out.print(table)


@app.command()
def explain(
    key: Annotated[str, typer.Argument(metavar="ID", help="Article id, unique id prefix, or URL.")],
    config: ConfigOption = None,
) -> None:
    """Why an article scored, was placed and published as it was."""
    from topicwire.enrich.quality import QualityScore
    from topicwire.enrich.quality_report import explain as quality_lines
    from topicwire.store.alternates import alternates_of
    from topicwire.store.enrichment import explanation

    with open_project(config) as (_project, store), store.connect() as conn:
        article = find_article(conn, key)
        found = explanation(conn, article.id)
        alternates = alternates_of(conn, article.id)
    out.print(Text(f"{article.title}\n{article.web_url}"))
    if found is None or found["quality"] is None:
        out.print("not scored yet: it is scored by the next 'topicwire run'")
        return
    stored = found["components"]
    score = QualityScore(
        total=found["quality"], components=stored.get("parts", {}), notes=stored.get("notes", []),
        details=stored.get("details", {}),
    )
    out.print("\nquality")
    for line in quality_lines(score):
        out.print(Text(f"  {line}"))
    decided = "editor" if found["editor_published"] is not None else "rule"
    out.print(f"\npublished: {'yes' if found['published'] else 'no'} (by the {decided})")
    for note in score.notes:
        out.print(Text(f"  {note}"))
    out.print("\ntopics")
    for t in found["topics"]:
        confidence = "" if t.confidence is None else f" {t.confidence:.2f}"
        out.print(Text(f"  {t.name}: {t.signal}{confidence}"))
    if not found["topics"]:
        out.print("  none")
    story = found["story"]
    if story:
        out.print(Text(f"\nstory: {story['headline']} ({story['members']} articles, heat {story['heat']})"))
    out.print(f"heat: {found['heat']}")
    if found["duplicate_of"]:
        out.print(f"duplicate of: {found['duplicate_of']}")
    if alternates:
        out.print("\nalso published at")
        for alt in alternates:
            out.print(Text(f"  {alt.url} ({alt.provider_name or 'unknown provider'})"))


@app.command()
def providers(config: ConfigOption = None) -> None:
    """The providers on the wire: standing, articles and heat."""
    from topicwire.store.queries import list_providers

    with open_project(config) as (project, store), store.connect() as conn:
        cards = list_providers(conn)
    table = Table(title=Text(f"{project.settings.name}: {len(cards)} providers"))
    for name, justify in (("provider", "left"), ("domain", "left"), ("tier", "right"), ("articles", "right"),
                          ("published", "right"), ("heat", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for c in cards:
        table.add_row(
            Text(c.name), c.domain or "", "" if c.tier is None else str(c.tier), str(c.articles), str(c.published),
            str(c.heat),
        )
    out.print(table)


@app.command()
def editor(
    action: Annotated[str, typer.Argument(help="publish, hide, or rule (hand the decision back to the rule).")],
    key: Annotated[str, typer.Argument(metavar="ID", help="Article id, unique id prefix, or URL.")],
    config: ConfigOption = None,
) -> None:
    """Force an article onto the wire or off it; the choice survives re-scoring."""
    from topicwire.store.enrichment import set_editor_choice

    choices = {"publish": True, "hide": False, "rule": None}
    if action not in choices:
        raise TopicwireError(f"unknown action {action!r} (use publish, hide or rule)", field="ACTION")
    with open_project(config) as (_project, store), store.begin() as conn:
        article = find_article(conn, key)
        set_editor_choice(conn, article.id, choices[action])
    out.print(Text(f"{action}: {article.title}"))


@app.command()
def publish(
    out_dir: Annotated[Path, typer.Argument(metavar="OUT", help="Folder to publish into.")],
    config: ConfigOption = None,
) -> None:
    """Publish the wire as static files: record files, the paged JSON API, feeds and the website."""
    from topicwire.publish.static import publish as publish_static

    with open_project(config) as (project, store):
        summary = publish_static(
            store, out_dir, name=project.settings.name, site_url=project.settings.site_url,
            images_dir=project.images_dir,
        )
    out.print(f"published to {out_dir}: {summary.written} files written, {summary.unchanged} unchanged")
