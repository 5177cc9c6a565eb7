"""The command line's shared parts: the app, consoles, project opening."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console

from topicwire import __version__
from topicwire.config import CONFIG_NAME, Project, load_project
from topicwire.store import Store
from topicwire.taxonomy import Taxonomy, load_taxonomy

app = typer.Typer(
    name="topicwire",
    help="A self-hosted, topic-focused news curation engine.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOption = Annotated[
    Optional[Path],
    typer.Option("--config", "-c", help=f"Project settings file (else $TOPICWIRE_CONFIG, else ./{CONFIG_NAME})."),
]


def _version(value: bool) -> None:
    if value:
        out.print(f"topicwire {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """A self-hosted, topic-focused news curation engine."""


@contextmanager
def open_project(config: Path | None) -> Iterator[tuple[Project, Store]]:
    project = load_project(config)
    store = Store(project.database_url)
    try:
        yield project, store
    finally:
        store.close()


def project_taxonomy(project: Project) -> Taxonomy:
    return load_taxonomy(project.taxonomy_dir)
