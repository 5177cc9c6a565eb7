"""Commands over the encrypted full text: decrypt, and the key ring's
init, list, rotate and retire."""

from __future__ import annotations

import os
import signal
import sys
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from topicwire.cli.app import ConfigOption, app, err, out, project_keys
from topicwire.config import ENV_KEYS, load_project
from topicwire.errors import SecureError
from topicwire.secure import KeyRing, create_key_file, keys_from_env, write_key_file
from topicwire.store import Store
from topicwire.store.articles import find_article
from topicwire.store.sealing import DEFAULT_BATCH, ResealSummary, key_usage, pending, reseal

keys_app = typer.Typer(help="The keys that encrypt full text at rest.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

# For tests only: `keys rotate` kills itself (SIGKILL, no clean-up at all)
# once this many batches have committed, to show that a rotation stopped
# anywhere resumes without loss. Never set it otherwise.
ENV_TEST_CRASH = "TOPICWIRE_TEST_CRASH_AFTER_BATCHES"


@app.command()
def decrypt(
    key: Annotated[str, typer.Argument(metavar="ID_OR_URL", help="Article id, unique id prefix, webUrl or originalUrl.")],
    config: ConfigOption = None,
) -> None:
    """Print an article's full text, decrypted with the project's keys."""
    project = load_project(config)
    ring = project_keys(project)
    with Store(project.database_url, keys=ring) as store, store.connect() as conn:
        article = find_article(conn, key, ring=ring)
    # the text this ring could not open gets its precise reason here
    text = ring.reveal(article)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


@keys_app.command("init")
def keys_init(config: ConfigOption = None) -> None:
    """Create the key file of a project made before encryption at rest, and
    seal the plain text its store still holds."""
    project = load_project(config)
    made = create_key_file(project.keys_file)
    out.print(f"created {project.keys_file} with key {made.active_id} (mode 0600); keep it private and backed up")
    if keys_from_env():
        out.print(f"note: {ENV_KEYS} is set and is used instead of the key file")
    ring = project_keys(project)
    with Store(project.database_url, keys=ring) as store:
        summary = _reseal_with_progress(store, ring, DEFAULT_BATCH)
    if summary.resealed:
        out.print(f"sealed {summary.resealed} articles stored in plain text with key {ring.active_id}")
    _report_failures(summary)


@keys_app.command("list")
def keys_list(config: ConfigOption = None) -> None:
    """The keys, which one is active, and how many records each one seals."""
    project = load_project(config)
    ring = project_keys(project)
    with Store(project.database_url) as store, store.connect() as conn:
        usage = key_usage(conn)
    source = f"${ENV_KEYS}" if keys_from_env() else str(project.keys_file)
    table = Table(title=f"keys from {source}")
    for column, justify in (("key", "left"), ("state", "left"), ("records", "right"), ("created", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for k in ring.keys:
        state = "active" if k.id == ring.active_id else "older"
        table.add_row(k.id, state, str(usage.by_key.get(k.id, 0)), k.created or "")
    for key_id, count in sorted(usage.by_key.items()):
        if key_id not in ring:
            table.add_row(key_id, "not in the ring", str(count), "")
    out.print(table)
    if usage.foreign:
        out.print(f"{_records(usage.foreign, 'has', 'have')} text sealed by another system (no key id), kept as it came")
    if usage.plain:
        out.print(f"{_records(usage.plain, 'holds', 'hold')} plain text still: 'topicwire keys rotate --resume' seals it")
    left = sum(n for k, n in usage.by_key.items() if k in ring and k != ring.active_id) + usage.plain
    if left:
        out.print(f"{_records(left, 'is', 'are')} not sealed with the active key yet: 'topicwire keys rotate --resume' moves them")


@keys_app.command("rotate")
def keys_rotate(
    resume: Annotated[
        bool, typer.Option("--resume", help="Only finish moving records onto the active key; add no key.")
    ] = False,
    batch: Annotated[int, typer.Option(min=1, max=10_000, help="Records re-encrypted per transaction.")] = DEFAULT_BATCH,
    config: ConfigOption = None,
) -> None:
    """Add a new active key and re-encrypt every record with it. An
    interrupted rotation is finished by the next 'keys rotate'."""
    project = load_project(config)
    ring = project_keys(project)
    with Store(project.database_url, keys=ring) as store:
        with store.connect() as conn:
            left = pending(conn, ring)
        if left and not resume:
            out.print(f"{_records(left, 'is', 'are')} not sealed with the active key {ring.active_id} yet: finishing that first")
        elif not resume:
            if keys_from_env():
                raise SecureError(
                    "the keys come from the environment: put a new key first in it yourself, "
                    "then run 'topicwire keys rotate --resume'",
                    source=f"${ENV_KEYS}",
                )
            # the new key is on disk before any record is sealed with it
            ring = ring.rotated()
            write_key_file(project.keys_file, ring)
            store.keys = ring
            out.print(f"new active key {ring.active_id} written to {project.keys_file}")
        summary = _reseal_with_progress(store, ring, batch)
    out.print(f"re-encrypted {_records(summary.resealed)} with key {ring.active_id} ({summary.batches} batches)")
    _report_failures(summary)


@keys_app.command("retire")
def keys_retire(
    key_id: Annotated[str, typer.Argument(metavar="KEY_ID", help="The key to remove from the key file.")],
    config: ConfigOption = None,
) -> None:
    """Remove an older key from the key file, once no record uses it."""
    project = load_project(config)
    if keys_from_env():
        raise SecureError("the keys come from the environment: remove the key from it yourself", source=f"${ENV_KEYS}")
    ring = project_keys(project)
    smaller = ring.without(key_id)
    with Store(project.database_url) as store, store.connect() as conn:
        used = key_usage(conn).by_key.get(key_id, 0)
    if used:
        raise SecureError(
            f"{_records(used, 'is', 'are')} still sealed with key {key_id!r}; run 'topicwire keys rotate --resume' first",
            source=str(project.keys_file),
        )
    write_key_file(project.keys_file, smaller)
    out.print(f"retired key {key_id}; active key {smaller.active_id}")


def _reseal_with_progress(store: Store, ring: KeyRing, batch: int) -> ResealSummary:
    crash_after = int(os.environ.get(ENV_TEST_CRASH) or 0)
    with store.connect() as conn:
        total = pending(conn, ring)
    with Progress(
        TextColumn("re-encrypting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    ) as progress:
        task = progress.add_task("reseal", total=total)

        def on_batch(summary: ResealSummary) -> None:
            progress.update(task, completed=summary.resealed + len(summary.failed))
            if crash_after and summary.batches >= crash_after:
                os.kill(os.getpid(), signal.SIGKILL)

        return reseal(store, ring, batch=batch, on_batch=on_batch)


def _records(count: int, one: str = "", many: str = "") -> str:
    """'1 record is' / '3 records are': a count with its noun (and verb)."""
    words = ("1 record", one) if count == 1 else (f"{count} records", many)
    return " ".join(w for w in words if w)


def _report_failures(summary: ResealSummary) -> None:
    for article_id, reason in summary.failed:
        err.print(f"not re-encrypted {article_id}: {reason}", markup=False)
    if summary.failed:
        raise typer.Exit(1)
