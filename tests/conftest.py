from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from databases import BACKENDS, ENV_BACKEND, Databases, copy_project

from topicwire.store import Store
from topicwire.store.topics import sync_taxonomy
from topicwire.taxonomy import Taxonomy, load_taxonomy

# the offline newswire's fixtures (tests/newswire/pytest_plugin.py)
pytest_plugins = ["newswire.pytest_plugin"]

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "records" / "record-news.md"


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend", choices=BACKENDS, default=os.environ.get(ENV_BACKEND) or "sqlite",
        help=f"the database the tests run on (default: ${ENV_BACKEND}, else sqlite)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: checks what only a SQLite file has (skipped on other backends)")
    config.addinivalue_line(
        "markers", "postgres_only: needs the PostgreSQL server and the workers' services (runs with --backend postgresql)"
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"topicwire database backend: {config.getoption('--backend')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    backend = config.getoption("--backend")
    skip = pytest.mark.skip(reason=f"SQLite only (running on {backend})")
    later = pytest.mark.skip(reason="runs in the PostgreSQL pass (--backend postgresql)")
    for item in items:
        if "sqlite_only" in item.keywords and backend != "sqlite":
            item.add_marker(skip)
        if "postgres_only" in item.keywords and backend != "postgresql":
            item.add_marker(later)
    if backend != "sqlite":
        # a test that asks for no database (the `databases` fixture, which
        # every store and project fixture uses) runs the same on any backend:
        # the SQLite pass has run it already
        idle = [i for i in items if "databases" not in getattr(i, "fixturenames", ()) and "postgres_only" not in i.keywords]
        if idle:
            config.hook.pytest_deselected(items=idle)
            items[:] = [i for i in items if i not in set(idle)]


@pytest.fixture(scope="session")
def databases(request: pytest.FixtureRequest):
    made = Databases(request.config.getoption("--backend"))
    yield made
    made.close()


@pytest.fixture
def new_database(databases: Databases, tmp_path: Path):
    """``new_database(name="topicwire", empty=False)``: the URL of a new
    database for this test (a file in tmp_path on SQLite); dropped when the
    test ends. See Databases.new."""
    urls: list[str] = []

    def make(name: str = "topicwire", *, empty: bool = False) -> str:
        urls.append(databases.new(tmp_path, name, empty=empty))
        return urls[-1]

    yield make
    for url in urls:
        databases.drop(url)


class CrawledProject:
    """A project crawled from the newswire: its settings file and folder."""

    def __init__(self, settings: Path, databases: Databases):
        self.settings = settings
        self.folder = settings.parent
        self.databases = databases

    @property
    def database_url(self) -> str:
        from topicwire.config import load_project

        return load_project(self.settings).database_url

    def open_store(self) -> Store:
        return Store(self.database_url)

    def copy_store(self, folder: Path) -> Store:
        """A store on a copy of the crawled database, for tests that write."""
        return Store(self.databases.copy(self.database_url, folder))

    def copy(self, folder: Path) -> Path:
        """A whole copy of the project (its database too); returns the
        copy's settings file."""
        return copy_project(self.databases, self.folder, folder)


@pytest.fixture(scope="session")
def crawled_project(newswire, tmp_path_factory, databases) -> CrawledProject:
    """The newswire crawled once, through the `topicwire` command, into a
    project that the serving, website and newsletter tests read. Tests that
    change it must undo their changes."""
    from newswire.project import HOSTILE_ARTICLE, make_project, topicwire

    folder = tmp_path_factory.mktemp("crawled")
    settings = make_project(
        folder / "wire", newswire.base_url, newswire.port, hostile=True,
        database=databases.new(folder) if databases.postgres else None,
    )
    topicwire("run", "--config", str(settings))
    # the article with script in its title, excerpt and body goes on the
    # wire whatever its score, so that every page and feed must cope with it
    topicwire("editor", "publish", newswire.base_url + HOSTILE_ARTICLE, "--config", str(settings))
    return CrawledProject(settings, databases)


@pytest.fixture(scope="session")
def ring():
    """A key ring for stores that keep full text (always encrypted)."""
    from topicwire.secure import KeyRing

    return KeyRing.generate()


@pytest.fixture
def store(new_database, taxonomy: Taxonomy, ring):
    with Store(new_database("store"), keys=ring) as s:
        with s.begin() as conn:
            sync_taxonomy(conn, taxonomy)
        yield s


class CliResult:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run the real entry point in-process: exit code, stdout, stderr."""
    from topicwire.cli import main

    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["topicwire", *map(str, args)])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def init_project(cli, databases: Databases, new_database):
    """``init_project(folder)``: a fresh project made there by `topicwire
    init`; returns its settings file. On PostgreSQL, its settings name a
    database of the test's own."""

    def make(folder: Path) -> Path:
        chosen = ["--database", new_database()] if databases.postgres else []
        result = cli("init", folder, *chosen)
        assert result.code == 0, result.err
        return folder / "topicwire.yaml"

    return make


@pytest.fixture
def project(tmp_path: Path, init_project) -> Path:
    """A fresh project (see init_project) in tmp_path/wire."""
    return init_project(tmp_path / "wire")
