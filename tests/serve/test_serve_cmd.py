"""`topicwire serve`: options and defaults in-process, and once for real
over HTTP in its own process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from serve_fixtures import TOKEN, own_project  # noqa: F401 - fixtures

TOPICWIRE = str(Path(sys.executable).parent / "topicwire")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fake_uvicorn(monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    return calls


def test_defaults_come_from_the_settings(own_project, cli, monkeypatch):
    calls = _fake_uvicorn(monkeypatch)
    with own_project.open("a", encoding="utf-8") as f:
        f.write("serve:\n  host: 127.0.0.2\n  port: 8123\n")
    result = cli("serve", "--config", own_project)
    assert result.code == 0, result.err
    assert result.out.strip() == "serving topicwire demo on http://127.0.0.2:8123/"
    assert "the editor API is disabled" in result.err
    (app, options), = calls
    assert options["host"] == "127.0.0.2" and options["port"] == 8123 and options["access_log"] is True
    assert app.title == "topicwire demo"


def test_options_win_and_a_token_silences_the_warning(own_project, cli, monkeypatch):
    calls = _fake_uvicorn(monkeypatch)
    monkeypatch.setenv("TOPICWIRE_EDITOR_TOKEN", TOKEN)
    result = cli("serve", "--host", "::1", "--port", "9001", "--config", own_project)
    assert result.code == 0 and result.err == ""
    assert result.out.strip() == "serving topicwire demo on http://[::1]:9001/"
    assert calls[0][1]["host"] == "::1" and calls[0][1]["port"] == 9001
    assert cli("serve", "--port", "0", "--config", own_project).code == 2


def test_serves_over_http_until_terminated(own_project):
    port = _free_port()
    env = {**os.environ, "TOPICWIRE_EDITOR_TOKEN": TOKEN}
    server = subprocess.Popen(
        [TOPICWIRE, "serve", "--port", str(port), "--config", str(own_project)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.1)
        assert health.status_code == 200 and health.json()["status"] == "ok" and health.json()["articles"] > 100
        assert health.headers["x-content-type-options"] == "nosniff"
        item = httpx.get(f"{base}/api/news?limit=1").json()["value"][0]
        pinned = httpx.post(f"{base}/api/editor/articles/{item['id']}/pin", headers={"Authorization": f"Bearer {TOKEN}"})
        assert pinned.status_code == 200
        refused = httpx.post(f"{base}/api/editor/articles/{item['id']}/hide", headers={"Authorization": "Bearer nope"})
        assert refused.status_code == 401
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=15)
    assert server.returncode in (0, -15)
    assert f"serving topicwire demo on http://127.0.0.1:{port}/" in output
    # the access log has the requests but never the editor's token
    assert "GET /healthz" in output and "POST /api/editor/articles/" in output
    assert TOKEN not in output
