"""Small real HTTP servers on 127.0.0.1 for the fetch tests, and a fake DNS.

A route answers a Request with a Reply; the server records when each
request arrived and how many were being handled at once, which is what the
politeness tests measure.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line
    chunk_delay: float = 0.0  # between body chunks
    # without a length the body is sent until the connection closes
    send_length: bool = True


Route = Reply | Callable[[Request], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        owner = self.server.owner
        request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        host = request.headers.get("host", "")
        with owner.lock:
            owner.requests.append(request)
            owner.active += 1
            owner.peak = max(owner.peak, owner.active)
            owner.active_by_host[host] = owner.active_by_host.get(host, 0) + 1
            owner.peak_by_host[host] = max(owner.peak_by_host.get(host, 0), owner.active_by_host[host])
        try:
            self._answer(owner.reply_for(request))
        finally:
            with owner.lock:
                owner.active -= 1
                owner.active_by_host[host] -= 1

    def _answer(self, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if isinstance(body, bytes) and reply.send_length:
            self.send_header("Content-Length", str(len(body)))
        elif not reply.send_length:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        chunks = [body] if isinstance(body, bytes) else body
        for chunk in chunks:
            if reply.chunk_delay:
                time.sleep(reply.chunk_delay)
            self.wfile.write(chunk)
            self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: TestServer

    def handle_error(self, request: object, client_address: object) -> None:
        # clients hanging up mid-body is what the size and timeout tests do
        pass


class TestServer:
    __test__ = False  # not a test class, whatever its name says

    def __init__(self, routes: dict[str, Route] | None = None):
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0
        self.active_by_host: dict[str, int] = {}
        self.peak_by_host: dict[str, int] = {}
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()

    @property
    def allow(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def reply_for(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, b"not found")
        return route(request) if callable(route) else route

    def seen(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def serve():
    """serve(routes) starts a TestServer that is stopped after the test."""
    servers: list[TestServer] = []

    def start(routes: dict[str, Route] | None = None) -> TestServer:
        server = TestServer(routes)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


class FakeDNS:
    """A resolver for Fetcher(resolver=...): names map to address lists, or
    to a list of answers handed out one call after another (the last one
    repeats). Calls are recorded."""

    def __init__(self, answers: dict[str, list[str] | list[list[str]]]):
        self.answers = answers
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        answer = self.answers.get(host)
        if answer is None:
            raise OSError(f"{host}: no such name (fake DNS)")
        if answer and isinstance(answer[0], list):
            index = min(self.calls.count(host), len(answer)) - 1
            return list(answer[index])
        return list(answer)  # type: ignore[arg-type]
