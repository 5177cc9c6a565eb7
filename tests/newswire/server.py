"""The offline newswire: a threaded HTTP server on 127.0.0.1 for tests and
the demo.

    with Newswire() as wire:          # port 0: any free port
        httpx.get(wire.base_url + "/feeds.opml")

As a script (from the repository root):

    python tests/newswire/server.py --port 8765 [--write-sources FILE] [--write-truth FILE]
        serve until Ctrl-C, after writing the files for the live address
    python tests/newswire/server.py --base http://127.0.0.1:8765 --write-truth FILE [--write-sources FILE]
        only write the files for that address, and exit
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:
    # Run as a script: import the package as ``newswire`` like the tests do,
    # and keep this folder off sys.path so its modules cannot shadow stdlib ones.
    _here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]
    sys.path.insert(0, str(_here.parent))

import argparse
import json
import signal
import socket
import threading
from collections import deque
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml

from newswire import feeds
from newswire.catalog import Catalog
from newswire.responses import Response, conditional
from newswire.truth import ground_truth
from newswire.website import Website

_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a sleeping /trap/slow must not hold up stop()
    allow_reuse_address = True
    request_queue_size = 128
    wire: Newswire

    def handle_error(self, request, client_address) -> None:
        # clients hanging up mid-body is what half the traps are for
        if not isinstance(sys.exc_info()[1], _GONE):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Newswire/1.0"
    timeout = 30  # drop idle keep-alive connections eventually
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: _Server

    def log_message(self, format: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        wire = self.server.wire
        wire._record(self.command, self.path, self.headers)
        path, _, query = self.path.partition("?")
        try:
            response = wire.website.handle(path, query)
        except Exception:  # a bug in a template must not kill the connection silently
            self.send_error(500)
            raise
        response = conditional(response, self.headers)
        try:
            self._send(response, send_body)
        except _GONE:
            self.close_connection = True

    def _send(self, response: Response, send_body: bool) -> None:
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        chunked = False
        if response.status == 304:
            pass  # a 304 carries no body, and a length of 0 would be a lie
        elif not response.streamed:
            self.send_header("Content-Length", str(len(response.body)))  # type: ignore[arg-type]
        elif response.length is not None:
            self.send_header("Content-Length", str(response.length))
        else:
            chunked = True
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if not send_body or response.status == 304:
            if response.streamed:
                self.close_connection = True  # the body we skipped would desync keep-alive
            return
        if not response.streamed:
            self.wfile.write(response.body)  # type: ignore[arg-type]
            return
        for piece in response.body:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


class _CanaryHandler(BaseHTTPRequestHandler):
    """Stands at the private address /trap/redirect-private points to: any
    hit means a fetcher followed a redirect it should have refused."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.lock:  # type: ignore[attr-defined]
            self.server.hits.append(self.path)  # type: ignore[attr-defined]
        body = b"canary\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET


class Newswire:
    """The fictional news web on 127.0.0.1, serving from a daemon thread."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1"):
        self.host = host
        self._wanted_port = port
        self.port: int | None = None
        self.base_url: str | None = None
        self.website: Website | None = None
        self._httpd: _Server | None = None
        self._canary: _Server | None = None
        self._stopping = threading.Event()
        self._log: deque[dict] = deque(maxlen=50_000)
        self._log_lock = threading.Lock()

    def start(self) -> str:
        if self._httpd is not None:
            return self.base_url  # type: ignore[return-value]
        self._stopping.clear()
        self.__dict__.pop("truth", None)  # a restart on port 0 moves every URL
        self._canary = _Server((self.host, 0), _CanaryHandler)
        self._canary.hits = []  # type: ignore[attr-defined]
        self._canary.lock = threading.Lock()  # type: ignore[attr-defined]
        self._httpd = _Server((self.host, self._wanted_port), _Handler)
        self._httpd.wire = self
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}"
        self.website = Website(self.base_url, self._stopping, self.canary_url)
        for server in (self._canary, self._httpd):
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                             name=f"newswire-{server.server_address[1]}", daemon=True).start()
        return self.base_url

    def stop(self) -> None:
        self._stopping.set()  # wakes /trap/slow and /trap/drip sleepers
        for server in (self._httpd, self._canary):
            if server is not None:
                server.shutdown()
                server.server_close()
        self._httpd = self._canary = None

    def __enter__(self) -> Newswire:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def canary_url(self) -> str:
        assert self._canary is not None, "start() the newswire first"
        return f"http://{self.host}:{self._canary.server_address[1]}/"

    def canary_hits(self) -> list[str]:
        """Paths requested at the private redirect target (should stay empty)."""
        if self._canary is None:
            return []
        with self._canary.lock:  # type: ignore[attr-defined]
            return list(self._canary.hits)  # type: ignore[attr-defined]

    @cached_property
    def truth(self) -> list[dict]:
        assert self.base_url, "start() the newswire first"
        return ground_truth(self.base_url)

    def _record(self, method: str, target: str, headers) -> None:
        with self._log_lock:
            self._log.append({"method": method, "path": target, "headers": dict(headers.items())})

    def requests(self, path_prefix: str = "") -> list[dict]:
        """Requests received so far (method, path with query, headers),
        optionally only those whose path starts with ``path_prefix``."""
        with self._log_lock:
            return [r for r in self._log if r["path"].startswith(path_prefix)]


def write_sources(base_url: str, path: Path) -> None:
    entries = feeds.sources(Catalog(base_url))
    text = ("# Feeds of the offline newswire (tests/newswire/server.py); start it before crawling.\n"
            + yaml.safe_dump({"sources": entries}, sort_keys=False, allow_unicode=True))
    path.write_text(text, encoding="utf-8")


def write_truth(base_url: str, path: Path) -> None:
    lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in ground_truth(base_url))
    path.write_text("".join(lines), encoding="utf-8")


def _write_files(args: argparse.Namespace, base_url: str) -> None:
    if args.write_sources:
        write_sources(base_url, Path(args.write_sources))
    if args.write_truth:
        write_truth(base_url, Path(args.write_truth))


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the offline newswire on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (0: any free port)")
    parser.add_argument("--base", help="only write the files for this base URL, then exit")
    parser.add_argument("--write-sources", metavar="FILE", help="write a topicwire sources.yaml")
    parser.add_argument("--write-truth", metavar="FILE", help="write the ground truth as JSON Lines")
    args = parser.parse_args(argv)
    if args.base:
        if not (args.write_sources or args.write_truth):
            parser.error("--base needs --write-sources or --write-truth")
        _write_files(args, args.base.rstrip("/"))
        return 0
    wire = Newswire(port=args.port)
    base_url = wire.start()
    _write_files(args, base_url)
    print(base_url, flush=True)
    # a service manager or `kill` sends SIGTERM: stop as cleanly as on Ctrl-C
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        wire.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
