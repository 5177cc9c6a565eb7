"""The databases tests run on: SQLite files, or PostgreSQL databases.

`pytest` runs the suite on SQLite; `pytest --backend postgresql` (or
TOPICWIRE_TEST_BACKEND=postgresql) runs every test that uses a database (the
``databases`` fixture, under every store and project fixture) on the
PostgreSQL server named by TOPICWIRE_TEST_POSTGRES (default: the local
server, user postgres), and leaves out the tests that touch none. There,
every test that asks for a database gets a database of its own, cloned from
a template migrated once per session, and dropped when the test ends.

Tests name the database they want through these helpers, never by writing
a ``sqlite:///`` URL, so that one test checks both backends.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

BACKENDS = ("sqlite", "postgresql")
ENV_BACKEND = "TOPICWIRE_TEST_BACKEND"
ENV_SERVER = "TOPICWIRE_TEST_POSTGRES"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class Databases:
    """Makes, copies and drops the test databases of one pytest session."""

    def __init__(self, backend: str):
        self.backend = backend
        self._made: list[str] = []
        self._template: str | None = None
        if backend == "postgresql":
            import psycopg

            server = make_url(os.environ.get(ENV_SERVER, DEFAULT_SERVER))
            self._server = server
            # the session's databases are named after the process, so that two
            # sessions on one server (CI and a developer) never meet
            self._prefix = f"tw_test_{os.getpid()}_"
            try:
                self._admin = psycopg.connect(
                    host=server.host, port=server.port, user=server.username, password=server.password,
                    dbname=server.database or "postgres", autocommit=True,
                )
            except psycopg.OperationalError as exc:
                pytest.exit(f"--backend postgresql: cannot reach {server.render_as_string(hide_password=True)}: {exc}",
                            returncode=3)
            self._drop_orphans()

    def _drop_orphans(self) -> None:
        """Databases a killed session left behind: its process is gone."""
        names = [row[0] for row in self._admin.execute("SELECT datname FROM pg_database WHERE datname LIKE 'tw_test_%'")]
        for name in names:
            match = re.fullmatch(r"tw_test_(\d+)_\d+", name)
            if match is None or _alive(int(match.group(1))):
                continue
            self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @property
    def postgres(self) -> bool:
        return self.backend == "postgresql"

    def _url(self, name: str) -> str:
        return self._server.set(database=name).render_as_string(hide_password=False)

    def _create(self, template: str | None = None) -> str:
        name = f"{self._prefix}{len(self._made)}"
        self._made.append(name)
        clause = f' TEMPLATE "{template}"' if template else ""
        if template:
            # a template must have no other sessions; the tests' own pools
            # may still hold idle connections to it
            self._admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (template,),
            )
        self._admin.execute(f'CREATE DATABASE "{name}"{clause}')
        return name

    def new(self, folder: Path, name: str = "topicwire", *, empty: bool = False) -> str:
        """The URL of a new database; on SQLite a file ``name``.db in
        ``folder``. On PostgreSQL it is migrated already (a clone of the
        session's template, which saves a migration per test) unless
        ``empty``."""
        if not self.postgres:
            return f"sqlite:///{folder / f'{name}.db'}"
        if empty:
            return self._url(self._create())
        if self._template is None:
            from topicwire.store import Store

            self._template = self._create()
            Store(self._url(self._template)).close()
        return self._url(self._create(self._template))

    def copy(self, url: str, folder: Path) -> str:
        """A new database holding what the one at ``url`` holds."""
        if not self.postgres:
            source = Path(make_url(url).database or "")
            shutil.copyfile(source, folder / source.name)
            return f"sqlite:///{folder / source.name}"
        return self._url(self._create(make_url(url).database))

    def drop(self, url: str) -> None:
        if self.postgres:
            name = make_url(url).database
            if name in self._made:
                self._made.remove(name)
                self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        if self.postgres:
            for name in self._made:
                self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._admin.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_DATABASE_LINE = re.compile(r"^database:.*$", re.MULTILINE)


def set_database(settings: Path, url: str) -> None:
    """Point a project's settings file at ``url``."""
    text = settings.read_text(encoding="utf-8")
    line = f"database: {url}"
    text = _DATABASE_LINE.sub(line, text, count=1) if _DATABASE_LINE.search(text) else text + line + "\n"
    settings.write_text(text, encoding="utf-8")


def copy_project(databases: Databases, source: Path, folder: Path) -> Path:
    """A whole copy of the project folder ``source`` in ``folder``, with a
    copy of its database; returns the copy's settings file."""
    from topicwire.config import load_project

    shutil.copytree(source, folder, symlinks=True)
    settings = folder / "topicwire.yaml"
    if databases.postgres:
        set_database(settings, databases.copy(load_project(source / "topicwire.yaml").database_url, folder))
    return settings


def project_store(settings: Path):  # type: ignore[no-untyped-def]
    """A store (no keys) on the database a project's settings name."""
    from topicwire.config import load_project
    from topicwire.store import Store

    return Store(load_project(settings).database_url)


def query(settings: Path, sql: str, params: dict | None = None) -> list[tuple]:
    """Rows of one SQL statement on a project's database, committed (for
    the tests that read or alter rows behind the code's back)."""
    from sqlalchemy import text

    with project_store(settings) as store, store.begin() as conn:
        result = conn.execute(text(sql), params or {})
        return [tuple(row) for row in result] if result.returns_rows else []


def table_names(settings: Path) -> list[str]:
    """The project database's tables, the search index among them."""
    from sqlalchemy import inspect

    with project_store(settings) as store:
        return sorted(inspect(store.engine).get_table_names())


def integrity(settings: Path) -> list[str]:
    """What the database itself finds wrong with its files ([] when whole):
    SQLite's integrity_check; on PostgreSQL, amcheck over every B-tree index
    (a torn write shows there first)."""
    from sqlalchemy import text

    with project_store(settings) as store, store.begin() as conn:
        if store.dialect == "sqlite":
            found = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
            return [] if found == ["ok"] else found
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        indexes = conn.execute(text(
            "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = current_schema()"
        )).all()
        problems = []
        for oid, name in indexes:
            try:
                with conn.begin_nested():
                    conn.execute(text("SELECT bt_index_check(CAST(:oid AS oid), true)"), {"oid": oid})
            except Exception as exc:  # noqa: BLE001 - each broken index is a finding, not a stop
                problems.append(f"{name}: {exc}")
        return problems


def every_row(conn) -> bytes:  # type: ignore[no-untyped-def]
    """Every row of every table (the search index too), as text: what a
    reader of the database gets to see, on any backend."""
    from sqlalchemy import text

    from topicwire.store.schema import FTS_TABLE, metadata

    tables = [t.name for t in metadata.sorted_tables] + [FTS_TABLE]
    return "\n".join(repr(tuple(row)) for t in tables for row in conn.execute(text(f"SELECT * FROM {t}"))).encode()


def as_data(value):  # type: ignore[no-untyped-def]
    """A JSON column's value as data: SQLite hands it back as text,
    PostgreSQL already decoded."""
    import json

    return json.loads(value) if isinstance(value, str) else value
