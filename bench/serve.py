"""The live API under load, side by side with the same page as a static file.

    .venv/bin/python bench/serve.py                   # 30 s each, 16 clients
    .venv/bin/python bench/serve.py --seconds 10 --clients 32

Crawls the offline newswire into a fresh project, publishes it, then drives
two servers on this machine in turn with the same load generator:

- live: `topicwire serve` answering GET /api/news?topic=<busiest topic>
  (a database query, the articles loaded and serialised per request);
- static: the published file api/topics/<topic>/page/1.json served by
  uvicorn + Starlette's StaticFiles (the same server stack, no database):
  what a reverse proxy's file cache would give at best.

Each server runs alone in one uvicorn process; the load generator is an
asyncio client in this process with ``--clients`` concurrent connections,
so both compete with it for the same cores alike. Reported: requests/s,
p50 and p99 latency, errors, and the live/static ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BIN, Newswire, free_port, load, make_project, run_server, stop, topicwire  # noqa: E402


STATIC_APP = """
import os
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles
app = Starlette()
app.mount("/", StaticFiles(directory=os.environ["BENCH_STATIC_ROOT"]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="load per server (default 30)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections (default 16)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="topicwire-bench-serve-"))
    try:
        with Newswire() as wire:
            settings = make_project(work / "wire", wire.base_url, wire.port)
            topicwire("run", "--config", str(settings))
        site = work / "site"
        topicwire("publish", str(site), "--config", str(settings))
        topics = json.loads((site / "api" / "topics.json").read_text(encoding="utf-8"))
        topic = max(topics, key=lambda t: t["articles"])["id"]
        print(f"topic: {topic} ({max(t['articles'] for t in topics)} published articles); "
              f"{args.clients} clients, {args.seconds:.0f} s per server", flush=True)

        results = {}
        port = free_port()
        live = run_server(
            [str(BIN / "topicwire"), "serve", "--config", str(settings), "--port", str(port)],
            f"http://127.0.0.1:{port}/healthz",
        )
        try:
            url = f"http://127.0.0.1:{port}/api/news?topic={topic}"
            asyncio.run(load(url, 2.0, args.clients))  # warm-up
            results["live"] = asyncio.run(load(url, args.seconds, args.clients))
        finally:
            stop(live)

        (work / "static_app.py").write_text(STATIC_APP, encoding="utf-8")
        port = free_port()
        static = run_server(
            [str(BIN / "python"), "-m", "uvicorn", "--app-dir", str(work), "static_app:app",
             "--port", str(port), "--log-level", "warning", "--no-access-log"],
            f"http://127.0.0.1:{port}/api/topics.json",
            env={"BENCH_STATIC_ROOT": str(site)},
        )
        try:
            url = f"http://127.0.0.1:{port}/api/topics/{topic}/page/1.json"
            asyncio.run(load(url, 2.0, args.clients))
            results["static"] = asyncio.run(load(url, args.seconds, args.clients))
        finally:
            stop(static)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{'server':8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:8} {r['requests']:>9.0f} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>7.0f}")
    live, static = results["live"], results["static"]
    print(f"\nlive/static: throughput {live['rps'] / static['rps']:.2f}x, "
          f"p50 latency {live['p50_ms'] / static['p50_ms']:.2f}x, p99 latency {live['p99_ms'] / static['p99_ms']:.2f}x")


if __name__ == "__main__":
    main()
