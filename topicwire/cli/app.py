"""The command line's shared parts: the app, consoles, project opening."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console

from topicwire import __version__
from topicwire.config import CONFIG_NAME, Project, load_project
from topicwire.secure import KeyRing, key_file_problem, keys_from_env, project_ring
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
def open_project(config: Path | None, *, keys: bool = False) -> Iterator[tuple[Project, Store]]:
    """The project and its store; with ``keys`` the store holds the project's
    key ring, for commands that store or read full text."""
    project = load_project(config)
    ring = project_keys(project) if keys else None
    store = Store(project.database_url, keys=ring)
    try:
        yield project, store
    finally:
        store.close()


def project_keys(project: Project) -> KeyRing:
    """The project's key ring, with a warning for a key file others may read
    (only loaded at all when the override allows it)."""
    ring = project_ring(project)
    if not keys_from_env():
        problem = key_file_problem(project.keys_file)
        if problem:
            err.print(f"warning: {project.keys_file}: {problem}", markup=False)
    return ring


def project_taxonomy(project: Project) -> Taxonomy:
    return load_taxonomy(project.taxonomy_dir)
