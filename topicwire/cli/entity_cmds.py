"""Companies and people: `topicwire entities`, its review list and dismissals."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from topicwire.cli.app import ConfigOption, app, open_project, out
from topicwire.errors import TopicwireError

entities_app = typer.Typer(help="Companies and people the coverage is about.", no_args_is_help=False,
                           invoke_without_command=True)
app.add_typer(entities_app, name="entities")


@entities_app.callback()
def entities(
    ctx: typer.Context,
    people: Annotated[bool, typer.Option("--people", help="People instead of companies and organizations.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="How many to list.")] = 20,
    config: ConfigOption = None,
) -> None:
    """The hottest companies (or people) named on the wire."""
    if ctx.invoked_subcommand is not None:
        return
    from topicwire.store.entities import list_entities

    group = "person" if people else "organization"
    with open_project(config) as (project, store), store.connect() as conn:
        cards, total = list_entities(conn, group, limit=limit, mentioned_only=True)
    noun = "people" if people else "companies and organizations"
    table = Table(title=Text(f"{project.settings.name}: {total} {noun} named in published articles"))
    for name, justify in (("id", "left"), ("name", "left"), ("kind", "left"), ("articles", "right"), ("heat", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for c in cards:
        table.add_row(c.id, Text(c.name), Text(c.kind or ""), str(c.articles), str(c.heat))
    out.print(table)


@entities_app.command("review")
def review(
    limit: Annotated[int, typer.Option(min=1, help="How many names to list.")] = 30,
    config: ConfigOption = None,
) -> None:
    """Names that look like organizations the registry lacks, most covered
    first: add the real ones to your organizations folder, dismiss the rest."""
    from topicwire.store.entities import review_list

    with open_project(config) as (_project, store), store.connect() as conn:
        found = review_list(conn, limit=limit)
    table = Table(title=Text(f"{len(found)} proposed organizations (review; none is added by itself)"))
    for name, justify in (("name", "left"), ("articles", "right"), ("mentions", "right"), ("example article", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for c in found:
        table.add_row(Text(c.name), str(c.articles), str(c.mentions), c.example)
    out.print(table)


@entities_app.command("dismiss")
def dismiss(
    name: Annotated[str, typer.Argument(help="A name from `topicwire entities review`, exactly as listed.")],
    config: ConfigOption = None,
) -> None:
    """Stop proposing a name in the review list."""
    from topicwire.store.entities import dismiss_candidate

    with open_project(config) as (_project, store), store.begin() as conn:
        if not dismiss_candidate(conn, name):
            raise TopicwireError(f"no proposed organization named {name!r}", field="NAME")
    out.print(f"dismissed {name!r}", markup=False)
