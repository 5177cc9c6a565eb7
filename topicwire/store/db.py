"""Opening a store: engine, per-connection settings, migrations.

Callers name a database by URL only; everything that differs between SQLite
and PostgreSQL is decided here or in the migrations.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from topicwire.errors import StoreError
from topicwire.secure import KeyRing

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (the server) work while a cycle writes; the busy
    # timeout makes a second writer wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # freed pages and cells are zeroed, so that text deleted or replaced
    # (plain text of stores made before encryption, old index entries) does
    # not linger in the file
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def create_store_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError("not a database URL", source=url) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        # a new database is private to its owner: titles, scores and sealed
        # text are nobody else's business; SQLite gives its -wal and -shm
        # files the database file's mode
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, future=True)
    else:
        # a server may restart or drop idle connections under a long-running
        # `serve` or worker: test each connection as the pool hands it out
        engine = create_engine(parsed, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")


def needs_migration(engine: Engine) -> bool:
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
        head = ScriptDirectory.from_config(_alembic_config(connection)).get_heads()
    return set(current) != set(head)


class Store:
    """A migrated database, ready for the query modules next to this one.

    ``keys`` is the project's key ring, for the work that needs the full
    text: storing it (always sealed) and reading it back (scoring,
    `topicwire decrypt`). A store opened without keys still lists, shows,
    publishes and exports: the sealed text goes out as it is."""

    def __init__(self, url: str, *, migrate_schema: bool = True, keys: KeyRing | None = None):
        self.url = url
        self.keys = keys
        self.engine = create_store_engine(url)
        try:
            if migrate_schema:
                migrate(self.engine)
        except OperationalError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open the database: {exc.orig}", source=safe_url(url)) from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction: committed when the block ends, rolled back on error."""
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<database URL>"
