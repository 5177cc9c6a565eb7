"""Scale-out commands: `topicwire worker` and `topicwire scheduler`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from topicwire.cli.app import ConfigOption, app
from topicwire.config import load_project

LOGLEVEL = typer.Option(help="Log level: DEBUG, INFO, WARNING or ERROR.")


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Processes taking tasks at once.")] = 2,
    name: Annotated[Optional[str], typer.Option(help="Worker name (default topicwire-QUEUE@HOST).")] = None,
    loglevel: Annotated[str, LOGLEVEL] = "INFO",
    config: ConfigOption = None,
) -> None:
    """Take crawl tasks from the project's queue (see `run --workers`, `scheduler`)."""
    from topicwire.workers.client import start_worker

    start_worker(load_project(config), concurrency=concurrency, name=name, loglevel=loglevel)


@app.command()
def scheduler(
    loglevel: Annotated[str, LOGLEVEL] = "INFO",
    config: ConfigOption = None,
) -> None:
    """Send a cycle to the workers every `workers.every` (one scheduler per project)."""
    from topicwire.workers.client import start_scheduler

    start_scheduler(load_project(config), loglevel=loglevel)
