"""The live server under mixed load while a crawl cycle writes to its store.

    .venv/bin/python bench/load.py                     # 60 s, 16 clients
    .venv/bin/python bench/load.py --seconds 20 --clients 32

1. Crawls the offline newswire into a fresh project (`topicwire run`), so
   there is a wire to serve.
2. Starts a second newswire on another port: a fresh copy of the sources,
   every URL new, the same stories underneath. The project's sources now
   point at it.
3. Starts `topicwire serve` on 127.0.0.1 and, with the load, a second
   `topicwire run` on the same project: it fetches every feed and article
   page of the copy, extracts and seals them; the pages name the same
   canonical URLs as the stored ones, so the cycle files them against the
   stored articles (as updates or as other pages of the same article) and
   stores the few that are new; then it caches images, groups stories and
   re-scores the window, all while the server reads the same SQLite file
   (its summary is printed). If that cycle ends before the load does, `topicwire rescore
   --days 60` runs again and again until the load ends, so the store is
   written to for the whole measurement.
4. Drives the server with ``--clients`` concurrent clients for
   ``--seconds``, each a mix of: /api/news by topic, searches (q), walks
   through pages by cursor, /api/news/{id}, /api/stories, and pages of the
   website (home, a topic, search).

Reports requests/s, p50 and p99 latency (overall and per kind of request),
errors (any answer but 200, or none within 10 s) and how the cycle ended.
Exits 1 when there was any error, or when the cycle (or a rescore) did not
complete with exit code 0.

Bounded and local: at most 600 s and 256 clients, every request goes to
127.0.0.1 (bench/harness.py refuses anything else), and everything lives in
a temporary folder removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BIN, Newswire, free_port, load, make_project, run_server, stop, topicwire, write_sources  # noqa: E402

MAX_SECONDS = 600
MAX_CLIENTS = 256
CYCLE_GRACE = 900  # how long to wait for the cycle after the load, seconds
# kinds of request and their share of the mix
MIX = {"topic": 25, "search": 20, "cursor": 20, "article": 10, "stories": 10, "page": 15}
CURSOR_PAGES = 5  # pages a cursor walk reads before it starts over


@dataclass
class Catalog:
    """What the clients ask about: taken from the server before the load."""

    topics: list[str]
    words: list[str]
    articles: list[str]


class MixedWalk:
    """One client's requests: a seeded random mix, so runs are comparable."""

    def __init__(self, base: str, catalog: Catalog, seed: int):
        self.base = base
        self.catalog = catalog
        self.rng = random.Random(seed)
        self.kinds = list(MIX)
        self.weights = list(MIX.values())
        self.cursor: str | None = None  # the next page of the walk under way
        self.walking = False  # whether the request out now is part of a walk
        self.pages = 0

    def next(self) -> tuple[str, str]:
        if self.cursor is not None:  # finish the walk under way
            # taken, not kept: answered() sets the next one; after an error the walk starts over
            cursor, self.cursor = self.cursor, None
            self.walking = True
            return "cursor", f"{self.base}/api/news?limit=20&cursor={quote(cursor)}"
        kind = self.rng.choices(self.kinds, self.weights)[0]
        self.walking = kind == "cursor"
        pick = self.rng.choice
        if kind == "topic":
            sort = pick(["date", "heat", "quality"])
            return kind, f"{self.base}/api/news?topic={quote(pick(self.catalog.topics))}&sort={sort}&limit=20"
        if kind == "search":
            return kind, f"{self.base}/api/news?q={quote(pick(self.catalog.words))}"
        if kind == "cursor":
            self.pages = 0
            return kind, f"{self.base}/api/news?limit=20"
        if kind == "article":
            return kind, f"{self.base}/api/news/{pick(self.catalog.articles)}"
        if kind == "stories":
            return kind, f"{self.base}/api/stories?limit=20&page={self.rng.randint(1, 3)}"
        page = pick(["/", f"/topics/{quote(pick(self.catalog.topics))}/", f"/search/?q={quote(pick(self.catalog.words))}"])
        return kind, f"{self.base}{page}"

    def answered(self, response: httpx.Response) -> None:
        if not self.walking:
            return
        self.pages += 1
        following = response.json().get("nextCursor")
        self.cursor = following if following and self.pages < CURSOR_PAGES else None


def catalog_of(base: str) -> Catalog:
    topics = [t["id"] for t in httpx.get(f"{base}/api/topics", timeout=30).json() if t.get("articles")]
    items = httpx.get(f"{base}/api/news?limit=100&published=all", timeout=30).json()["value"]
    words = sorted({w.lower() for item in items for w in re.findall(r"[A-Za-z]{5,}", item["title"])})
    if not topics or not items or not words:
        raise SystemExit("the first crawl left nothing to ask about")
    return Catalog(topics=topics, words=words, articles=[item["id"] for item in items])


def article_count(settings: Path) -> int:
    con = sqlite3.connect(settings.parent / "data" / "topicwire.db")
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


@dataclass
class Writer:
    """The writing side: the cycle, then rescores until the load ends."""

    settings: Path
    logs: Path
    cycle: subprocess.Popen | None = None
    cycle_started: float = 0.0
    cycle_seconds: float | None = None
    rescore: subprocess.Popen | None = None
    rescores: list[int] = field(default_factory=list)  # exit codes of the finished ones

    def _start(self, *args: str, log: str) -> subprocess.Popen:
        with open(self.logs / log, "ab") as output:
            return subprocess.Popen([str(BIN / "topicwire"), *args, "--config", str(self.settings)],
                                    stdout=output, stderr=subprocess.STDOUT)

    def start(self) -> None:
        self.cycle_started = time.monotonic()
        self.cycle = self._start("run", log="cycle.log")

    def poll(self, keep_writing: bool) -> None:
        assert self.cycle is not None
        if self.cycle_seconds is None and self.cycle.poll() is not None:
            self.cycle_seconds = time.monotonic() - self.cycle_started
        if self.rescore is not None and self.rescore.poll() is not None:
            self.rescores.append(self.rescore.returncode)
            self.rescore = None
        if keep_writing and self.cycle_seconds is not None and self.rescore is None:
            self.rescore = self._start("rescore", "--days", "60", log="rescore.log")

    async def follow(self, until: float) -> None:
        while time.monotonic() < until:
            self.poll(keep_writing=True)
            await asyncio.sleep(0.2)

    def finish(self, timeout: float) -> None:
        """Wait for what is still running (nothing new starts now)."""
        assert self.cycle is not None
        deadline = time.monotonic() + timeout
        for process in (self.cycle, self.rescore):
            if process is None:
                continue
            try:
                process.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            self.poll(keep_writing=False)


async def measure(base: str, catalog: Catalog, writer: Writer, seconds: float, clients: int) -> dict:
    writer.start()
    until = time.monotonic() + seconds
    follower = asyncio.create_task(writer.follow(until))
    try:
        return await load(lambda i: MixedWalk(base, catalog, seed=i), seconds, clients)
    finally:
        await follower


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help=f"length of the load (default 60, at most {MAX_SECONDS})")
    parser.add_argument("--clients", type=int, default=16, help=f"concurrent clients (default 16, at most {MAX_CLIENTS})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project and logs (their path is printed)")
    args = parser.parse_args()
    if not 0 < args.seconds <= MAX_SECONDS or not 0 < args.clients <= MAX_CLIENTS:
        parser.error(f"--seconds must be in (0, {MAX_SECONDS}] and --clients in [1, {MAX_CLIENTS}]")

    work = Path(tempfile.mkdtemp(prefix="topicwire-bench-load-"))
    try:
        with Newswire() as wire, Newswire() as copy:
            settings = make_project(work / "wire", wire.base_url, wire.port)
            started = time.monotonic()
            topicwire("run", "--config", str(settings))
            before = article_count(settings)
            print(f"first crawl: {before} articles in {time.monotonic() - started:.1f} s", flush=True)

            # the second cycle reads the copy: allow its address too (and keep the first's)
            write_sources(copy.base_url, settings.parent / "sources.yaml")
            data = yaml.safe_load(settings.read_text(encoding="utf-8"))
            data["fetch"]["allow"].append(f"127.0.0.1:{copy.port}")
            settings.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = run_server([str(BIN / "topicwire"), "serve", "--config", str(settings), "--port", str(port)],
                                f"{base}/healthz", log=work / "serve.log")
            try:
                catalog = catalog_of(base)
                asyncio.run(load(lambda i: MixedWalk(base, catalog, seed=1000 + i), 2.0, args.clients))  # warm-up
                print(f"load: {args.clients} clients for {args.seconds:.0f} s over {len(catalog.topics)} topics, "
                      f"{len(catalog.words)} search words, {len(catalog.articles)} articles; meanwhile "
                      f"'topicwire run' over a fresh copy of the sources, then 'topicwire rescore --days 60' "
                      f"until the load ends", flush=True)
                writer = Writer(settings, work)
                result = asyncio.run(measure(base, catalog, writer, args.seconds, args.clients))
                load_ended = time.monotonic()
                writer.finish(CYCLE_GRACE)
                # the cycle's own summary (feeds, articles new/updated, images, scoring)
                summary = [line for line in (work / "cycle.log").read_text(encoding="utf-8", errors="replace").splitlines()
                           if re.match(r"(feeds|articles|images|scored|cycle took)\b", line)]
                after_load = time.monotonic() - load_ended
                healthy = httpx.get(f"{base}/healthz", timeout=10).status_code == 200
            finally:
                stop(server)
            after = article_count(settings)
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\n{'kind':9} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind, k in result["kinds"].items():
        print(f"{kind:9} {k['requests']:>9} {k['p50_ms']:>8.1f} {k['p99_ms']:>8.1f} {k['errors']:>7}")
    print(f"{'all':9} {result['requests']:>9} {result['p50_ms']:>8.1f} {result['p99_ms']:>8.1f} {result['errors']:>7}")
    print(f"\nthroughput: {result['rps']:.1f} requests/s; p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms; "
          f"errors: {result['errors']}")
    for failure in result["failures"]:
        print(f"  failed: {failure}")

    cycle = writer.cycle
    assert cycle is not None
    cycle_ok = cycle.returncode == 0
    if writer.cycle_seconds is None:
        when = "did not finish"
    elif writer.cycle_seconds <= args.seconds:
        when = f"finished during the load, after {writer.cycle_seconds:.1f} s"
    else:
        when = f"finished {writer.cycle_seconds - args.seconds:.1f} s after the load ended ({writer.cycle_seconds:.1f} s in all)"
    print(f"cycle: exit code {cycle.returncode}, {when}; articles {before} -> {after}")
    for line in summary:
        print(f"  {line}")
    rescores_ok = all(code == 0 for code in writer.rescores)
    if writer.rescores:
        print(f"rescores after the cycle, during the load: {len(writer.rescores)}, exit codes "
              f"{sorted(set(writer.rescores))}")
    print(f"writes ended {after_load:.1f} s after the load")
    print(f"server healthy after the load: {healthy}")
    print(json.dumps({"rps": round(result["rps"], 1), "p50_ms": round(result["p50_ms"], 1),
                      "p99_ms": round(result["p99_ms"], 1), "errors": result["errors"],
                      "cycle_exit": cycle.returncode, "cycle_seconds": round(writer.cycle_seconds or -1, 1),
                      "rescores": len(writer.rescores), "articles_before": before, "articles_after": after}))
    return 0 if result["errors"] == 0 and cycle_ok and rescores_ok and healthy else 1


if __name__ == "__main__":
    sys.exit(main())
