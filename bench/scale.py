"""Scale-out benchmark: how fast a cycle goes in one process and on workers,
and what storing an article costs as a PostgreSQL store grows.

    .venv/bin/python bench/scale.py [--pages 5000] [--skip-cycles] [--skip-store]

1. Cycle throughput. A generated newswire (bench/generated_wire.py) of
   --pages article pages over 40 feeds is crawled into a fresh PostgreSQL
   database three times: by `topicwire run` (embedded), and by
   `topicwire run --workers` with one worker process, then two. Each run
   starts from an empty store; pages per second are the articles stored
   over the whole cycle (fetch, extract, store, score). Ratios are against
   the embedded run measured here.
2. Store cost. Articles are saved one transaction each (sealed, indexed for
   search) into a PostgreSQL store holding 10,000 and then 100,000
   articles; the ratio of the two per-article costs shows whether the cost
   grows with the store. The stores are filled by copying rows inside the
   database (what is measured is saving, not filling).

Needs PostgreSQL, Redis and RabbitMQ on 127.0.0.1 (`make services`). Every
database and queue it makes is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generated_wire import GeneratedWire  # noqa: E402
from harness import BIN, topicwire  # noqa: E402

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


class Databases:
    def __init__(self) -> None:
        self.admin = psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True)
        self.made: list[str] = []

    def new(self) -> str:
        name = f"tw_bench_{os.getpid()}_{len(self.made)}"
        self.admin.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return f"{SERVER}/{name}"

    def close(self) -> None:
        for name in self.made:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.close()


def project(folder: Path, wire: GeneratedWire, database: str, queue: str) -> Path:
    topicwire("init", str(folder), "--database", database)
    (folder / "sources.yaml").write_text(yaml.safe_dump({"sources": wire.sources}), encoding="utf-8")
    settings = folder / "topicwire.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        # one host serves the whole generated wire: lift the politeness that
        # would serialise it (8 at once, as many as the fetcher's overall cap)
        + f"fetch:\n  allow: ['127.0.0.1:{wire.port}']\n  per_host_delay: 0\n  per_host_concurrency: 8\n"
        + f"workers:\n  queue: {queue}\n  page_batch: 25\n",
        encoding="utf-8",
    )
    return settings


def stored(settings: Path) -> int:
    from topicwire.config import load_project
    from topicwire.store import Store
    from topicwire.store.articles import count_articles

    with Store(load_project(settings).database_url) as store, store.connect() as conn:
        return count_articles(conn)


def start_workers(settings: Path, count: int, logs: Path) -> list[subprocess.Popen]:
    procs = []
    for n in range(count):
        log = (logs / f"worker-{n}.log").open("w")
        procs.append(subprocess.Popen(
            [str(BIN / "topicwire"), "worker", "--config", str(settings), "--concurrency", "1", "--name", f"bench{n}@%h"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        ))
    time.sleep(5)  # connected and consuming
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def drop_queue(settings: Path) -> None:
    from topicwire.config import load_project
    from topicwire.workers.app import configure

    loaded = load_project(settings)
    with configure(loaded).connection_for_write() as connection:
        connection.default_channel.queue_delete(loaded.settings.workers.queue)


def cycle(mode: str, workers: int, wire: GeneratedWire, dbs: Databases, root: Path) -> tuple[int, float]:
    folder = root / mode
    settings = project(folder, wire, dbs.new(), f"bench-{uuid.uuid4().hex[:10]}")
    procs = start_workers(settings, workers, folder) if workers else []
    try:
        began = time.monotonic()
        topicwire("run", *(["--workers"] if workers else []), "--config", str(settings))
        seconds = time.monotonic() - began
    finally:
        if procs:
            stop_workers(procs)
            drop_queue(settings)
    return stored(settings), seconds


def cycles(pages: int, root: Path, dbs: Databases) -> None:
    wire = GeneratedWire(pages)
    try:
        results = {}
        for mode, workers in (("embedded", 0), ("1 worker", 1), ("2 workers", 2)):
            count, seconds = cycle(mode.replace(" ", "-"), workers, wire, dbs, root)
            results[mode] = (count, seconds)
            print(f"  {mode:<10} {count} articles in {seconds:6.1f} s: {count / seconds:6.1f} articles/s", flush=True)
    finally:
        wire.stop()
    base = results["embedded"][0] / results["embedded"][1]
    print("  throughput vs embedded: " + ", ".join(
        f"{mode} {count / seconds / base:.2f}x" for mode, (count, seconds) in results.items() if mode != "embedded"
    ))


# -- store cost -----------------------------------------------------------------------------


def synthetic(n: int, taxonomy):  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta, timezone

    from topicwire.model import Article, Provider
    from topicwire.pipeline.imports import prepare

    when = datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(minutes=n)
    article = Article(
        title=f"Generated report {n} on inference chips and language models",
        excerpt=f"A short lead for report {n} about GPUs, robots and model training.",
        web_url=f"https://bench.example/{n}", published_date_time=when,
        provider=Provider(name=f"Bench {n % 50}", domain=f"bench{n % 50}.example"),
        topics=["AI Hardware"], content=f"Report {n} body. " + "The accelerator ran the model. " * 40,
    )
    return prepare(article, taxonomy, source="bench")


def fill(conn, target: int) -> None:  # type: ignore[no-untyped-def]
    """Grow the store to ``target`` articles by copying its rows with new
    ids and URLs (articles, topics and search index alike)."""
    have = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    while have < target:
        step = min(have, target - have)
        conn.execute(
            "CREATE TEMP TABLE copies AS SELECT id AS old, md5(id || clock_timestamp()::text || random()::text)::varchar(40)"
            " AS new FROM articles ORDER BY id LIMIT %s", (step,))
        conn.execute(
            "INSERT INTO articles (id, web_url, original_url, title, type, category, locale, provider_id, story_id,"
            " published_at, updated_at, quality, heat, published, record, content, record_hash, first_seen, changed_at,"
            " secured, key_id) SELECT c.new, a.web_url || '?copy=' || c.new, NULL, a.title, a.type, a.category, a.locale,"
            " a.provider_id, NULL, a.published_at, a.updated_at, a.quality, a.heat, a.published, a.record, NULL,"
            " a.record_hash, a.first_seen, a.changed_at, a.secured, a.key_id FROM articles a JOIN copies c ON c.old = a.id")
        conn.execute("INSERT INTO article_topics (article_id, topic_id, rank, confidence, signal) SELECT c.new,"
                     " t.topic_id, t.rank, t.confidence, t.signal FROM article_topics t JOIN copies c ON c.old = t.article_id")
        conn.execute("INSERT INTO articles_fts (article_id, document) SELECT c.new, f.document FROM articles_fts f"
                     " JOIN copies c ON c.old = f.article_id")
        conn.execute("DROP TABLE copies")
        have += step
    conn.execute("ANALYZE")


def store_cost(dbs: Databases, batch: int) -> None:
    from topicwire.secure import KeyRing
    from topicwire.store import Store
    from topicwire.store.articles import save_article
    from topicwire.store.topics import sync_taxonomy
    from topicwire.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    url = dbs.new()
    ring = KeyRing.generate()
    costs = {}
    with Store(url, keys=ring) as store:
        with store.begin() as conn:
            sync_taxonomy(conn, taxonomy)
        next_n = 0
        for size in (10_000, 100_000):
            with store.engine.connect() as conn:
                raw = conn.connection.driver_connection
                raw.autocommit = True
                if next_n == 0:
                    with store.begin() as seed:
                        for n in range(1000):
                            save_article(seed, synthetic(n, taxonomy), ring=ring)
                    next_n = 1000
                fill(raw, size)
            articles = [synthetic(next_n + i, taxonomy) for i in range(batch)]
            next_n += batch
            began = time.perf_counter()
            for article in articles:
                with store.begin() as conn:
                    save_article(conn, article, ring=ring)
            costs[size] = (time.perf_counter() - began) / batch * 1000
            print(f"  {size:>7} stored: {costs[size]:.2f} ms per article saved", flush=True)
    print(f"  cost at 100k vs 10k: {costs[100_000] / costs[10_000]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=1000, help="articles saved per store-cost measurement")
    parser.add_argument("--skip-cycles", action="store_true")
    parser.add_argument("--skip-store", action="store_true")
    args = parser.parse_args()
    dbs = Databases()
    try:
        with tempfile.TemporaryDirectory(prefix="tw-scale-") as tmp:
            if not args.skip_cycles:
                print(f"cycle over a generated newswire of {args.pages} pages (PostgreSQL, 2-core machine):", flush=True)
                cycles(args.pages, Path(tmp), dbs)
            if not args.skip_store:
                print(f"per-article store cost on PostgreSQL ({args.batch} articles saved at each size):", flush=True)
                store_cost(dbs, args.batch)
    finally:
        dbs.close()


if __name__ == "__main__":
    main()
