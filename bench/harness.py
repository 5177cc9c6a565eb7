"""Shared pieces of the live-server benchmarks (bench/serve.py, bench/load.py):
a crawled newswire project, servers in subprocesses, and an asyncio load
generator.

The load generator only ever talks to this machine: every URL it is given
must name a loopback host, so a mistyped address can never turn a
benchmark into traffic against someone else's server.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Protocol
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from newswire.project import make_project, topicwire  # noqa: E402
from newswire.server import Newswire, write_sources  # noqa: E402

BIN = Path(sys.executable).parent

__all__ = ["BIN", "REPO", "Newswire", "make_project", "topicwire", "write_sources", "free_port", "wait_until_up",
           "run_server", "stop", "load", "Walk"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped before answering {url}")
        try:
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"no answer from {url} within {timeout:.0f} s")


def run_server(command: list[str], health: str, env: dict[str, str] | None = None,
               log: Path | None = None) -> subprocess.Popen:
    """Start a server and wait until ``health`` answers; its output goes to
    ``log`` when given (to read after a failure), else nowhere."""
    output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - the child holds it open
    process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
                               env={**os.environ, **(env or {})})
    wait_until_up(health, process)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


class Walk(Protocol):
    """What one client asks for next: ``next()`` gives (kind, url) and
    ``answered()`` sees the response (to follow a cursor, say)."""

    def next(self) -> tuple[str, str]: ...

    def answered(self, response: httpx.Response) -> None: ...


class _Same:
    def __init__(self, url: str):
        self.url = url

    def next(self) -> tuple[str, str]:
        return "get", self.url

    def answered(self, response: httpx.Response) -> None:
        pass


def _loopback_only(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if not local:
        raise SystemExit(f"refusing to load {url}: the benchmarks only drive servers on this machine")


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def load(target: str | Callable[[int], Walk], seconds: float, clients: int,
               timeout: float = 10.0) -> dict:
    """``clients`` concurrent connections for ``seconds``: each asks for the
    URL ``target`` over and over, or follows its own walk (``target(i)``
    for client i). An error is any answer but 200, or no answer within
    ``timeout``. Returns requests, rps, p50_ms, p99_ms, errors, and per
    kind of request the same (``kinds``) plus a few failures to show."""
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors_by_kind: dict[str, int] = defaultdict(int)
    failures: list[str] = []
    errors = 0
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:

        async def worker(i: int) -> None:
            nonlocal errors
            walk = _Same(target) if isinstance(target, str) else target(i)
            while time.monotonic() < stop_at:
                kind, url = walk.next()
                _loopback_only(url)
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    await response.aread()
                    ok = response.status_code == 200
                    problem = f"{response.status_code}"
                except httpx.HTTPError as exc:
                    ok, response, problem = False, None, type(exc).__name__
                elapsed = time.perf_counter() - started
                latencies.append(elapsed)
                by_kind[kind].append(elapsed)
                if ok:
                    walk.answered(response)
                else:
                    errors += 1
                    errors_by_kind[kind] += 1
                    if len(failures) < 10:
                        failures.append(f"{problem} {kind} {url}")

        began = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "errors": errors,
        "kinds": {
            kind: {"requests": len(values), "p50_ms": _ms(values, 0.5), "p99_ms": _ms(values, 0.99),
                   "errors": errors_by_kind[kind]}
            for kind, values in sorted(by_kind.items())
        },
        "failures": failures,
    }
