"""The `topicwire digest` command: the newsletter, printed, written or sent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from topicwire.cli.app import ConfigOption, app, err, open_project, out
from topicwire.errors import TopicwireError
from topicwire.publish.digest import build_digest, parse_since, parse_until, render_html, render_markdown
from topicwire.publish.mail import send_digest
from topicwire.textfiles import write_atomic

FORMATS = ("md", "html")


@app.command()
def digest(
    topic: Annotated[Optional[str], typer.Option("--topic", "-t", help="Only this topic (name or id).")] = None,
    since: Annotated[str, typer.Option(help="How far back from --until: 12h, 1d, 7d, 2w...")] = "1d",
    until: Annotated[
        Optional[str],
        typer.Option(help="End of the period, ISO 8601 (a date alone means the end of that day). Default: now."),
    ] = None,
    limit: Annotated[
        Optional[int], typer.Option(min=1, max=100, help="Stories at most (default: newsletter.stories).")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md or html: what is printed or written.")] = "md",
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of printing.")] = None,
    send: Annotated[
        bool, typer.Option("--send", help="E-mail it (text and HTML) to newsletter.recipients instead of printing.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """The hottest stories of a period with their coverage, as a newsletter."""
    if format not in FORMATS:
        raise TopicwireError(f"unknown format {format!r} (use md or html)", field="--format")
    # both checked before touching the store, so a typo fails fast
    period = parse_since(since)
    end = parse_until(until)
    with open_project(config) as (project, store), store.connect() as conn:
        settings = project.settings
        built = build_digest(
            conn, topic=topic, since=period, until=end, limit=limit or settings.newsletter.stories, name=settings.name
        )
    markdown = render_markdown(built, settings.site_url)
    html = render_html(built, settings.site_url)
    chosen = html if format == "html" else markdown
    if out_file is not None:
        try:
            write_atomic(out_file, chosen)
        except OSError as exc:
            raise TopicwireError(f"cannot write: {exc.strerror or exc}", source=str(out_file)) from None
        err.print(f"wrote {len(built.stories)} stories to {out_file}", markup=False)
    if send:
        result = send_digest(settings.newsletter, built.title, html, markdown)
        for recipient, reason in result.refused.items():
            err.print(f"refused by the server: {recipient}: {reason}", markup=False)
        count = len(result.accepted)
        out.print(f"sent to {count} recipient{'' if count == 1 else 's'} via {result.server}", markup=False)
        if not result.accepted:
            raise typer.Exit(1)
    elif out_file is None:
        # the document itself, byte for byte: not through rich, which would wrap and interpret it
        typer.echo(chosen, nl=not chosen.endswith("\n"))
