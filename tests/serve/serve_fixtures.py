"""Shared pieces of the live API tests: apps over private copies of the
crawled newswire, and a fingerprint of the store to prove nothing changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from topicwire.config import Project, ServeSettings, load_project
from topicwire.serve import create_app
from topicwire.store import Store

TOKEN = "editor-token-0123456789abcdef"


def project_of(settings_file: Path, *, token: str | None = None, cache_seconds: int = 60,
               data_dir: Path | None = None) -> Project:
    """The crawled project's settings with the serve section (and data
    folder) replaced, so a test never depends on the environment's token."""
    base = load_project(settings_file)
    update: dict[str, object] = {"serve": ServeSettings(editor_token=token, cache_seconds=cache_seconds)}
    if data_dir is not None:
        update["data_dir"] = str(data_dir)
    return Project(config_path=base.config_path, settings=base.settings.model_copy(update=update))


def client_for(project: Project, store: Store, *, client: tuple[str, int] = ("127.0.0.1", 50000)) -> TestClient:
    """A client of the app; it connects from loopback by default, as an
    editor on the server's machine would (the editor API's default network)."""
    return TestClient(create_app(project, store), client=client)


@pytest.fixture(scope="module")
def wire_store(crawled_project, tmp_path_factory):
    """A module's own copy of the crawled database, for reading."""
    store = crawled_project.copy_store(tmp_path_factory.mktemp("wire"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def api(crawled_project, wire_store):
    """A client of the API over the module's copy (no editor token)."""
    with client_for(project_of(crawled_project.settings), wire_store) as client:
        yield client


@pytest.fixture
def own_project(crawled_project, tmp_path, monkeypatch):
    """A whole copy of the crawled project folder, for tests that write or
    run commands on it; returns its settings file."""
    monkeypatch.delenv("TOPICWIRE_EDITOR_TOKEN", raising=False)
    return crawled_project.copy(tmp_path / "wire")


def fingerprint(store: Store) -> str:
    """A hash of everything an editor could change."""
    digest = hashlib.sha256()
    with store.connect() as conn:
        for table, order in (("articles", "id"), ("article_topics", "article_id, topic_id"), ("stories", "id")):
            for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY {order}")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def walk(client: TestClient, query: str, limit: int = 7) -> tuple[list[str], int]:
    """Every page by cursor: the ids in listing order, and the total."""
    ids: list[str] = []
    cursor = None
    while True:
        url = f"/api/news?{query}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        ids += [item["id"] for item in body["value"]]
        cursor = body["nextCursor"]
        if cursor is None:
            return ids, body["total"]
