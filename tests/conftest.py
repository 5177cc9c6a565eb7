from __future__ import annotations

import sys
from pathlib import Path

import pytest

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


class CrawledProject:
    """A project crawled from the newswire: its settings file and folder."""

    def __init__(self, settings: Path):
        self.settings = settings
        self.folder = settings.parent

    def open_store(self) -> Store:
        from topicwire.config import load_project

        return Store(load_project(self.settings).database_url)

    def copy_store(self, folder: Path) -> Store:
        """A store on a copy of the crawled database, for tests that write."""
        import shutil

        from topicwire.config import load_project

        url = load_project(self.settings).database_url
        source = Path(url.removeprefix("sqlite:///"))
        shutil.copyfile(source, folder / source.name)
        return Store(f"sqlite:///{folder / source.name}")


@pytest.fixture(scope="session")
def crawled_project(newswire, tmp_path_factory) -> CrawledProject:
    """The newswire crawled once, through the `topicwire` command, into a
    project that the serving, website and newsletter tests read. Tests that
    change it must undo their changes."""
    from newswire.project import HOSTILE_ARTICLE, make_project, topicwire

    settings = make_project(
        tmp_path_factory.mktemp("crawled") / "wire", newswire.base_url, newswire.port, hostile=True
    )
    topicwire("run", "--config", str(settings))
    # the article with script in its title, excerpt and body goes on the
    # wire whatever its score, so that every page and feed must cope with it
    topicwire("editor", "publish", newswire.base_url + HOSTILE_ARTICLE, "--config", str(settings))
    return CrawledProject(settings)


@pytest.fixture(scope="session")
def ring():
    """A key ring for stores that keep full text (always encrypted)."""
    from topicwire.secure import KeyRing

    return KeyRing.generate()


@pytest.fixture
def store(tmp_path: Path, taxonomy: Taxonomy, ring):
    with Store(f"sqlite:///{tmp_path / 'store.db'}", keys=ring) as s:
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
def project(tmp_path: Path, cli) -> Path:
    """A fresh project made by `topicwire init`; returns its settings file."""
    result = cli("init", tmp_path / "wire")
    assert result.code == 0, result.err
    return tmp_path / "wire" / "topicwire.yaml"
