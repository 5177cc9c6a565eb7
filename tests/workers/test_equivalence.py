"""The offline newswire ingested twice: once by `topicwire run` in one
process on SQLite, once by two `topicwire worker` processes on the broker
(RabbitMQ), Redis and PostgreSQL. The two wires are the same (see
wire_snapshot for what is compared and the heat tolerance)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from newswire.project import TOPICWIRE, make_project, topicwire
from wire_snapshot import assert_same_wire, wire_snapshot
from databases import project_store

pytestmark = pytest.mark.postgres_only


class Workers:
    """`topicwire worker` processes on one project's queue."""

    def __init__(self, settings: Path, count: int, logs: Path):
        self.settings = settings
        self.procs = []
        for n in range(count):
            log = (logs / f"worker-{n}.log").open("w")
            self.procs.append(subprocess.Popen(
                [TOPICWIRE, "worker", "--config", str(settings), "--concurrency", "1", "--name", f"w{n}@{logs.name}"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            ))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def drop_queue(settings: Path) -> None:
    from topicwire.config import load_project
    from topicwire.workers.app import configure

    project = load_project(settings)
    with configure(project).connection_for_write() as connection:
        connection.default_channel.queue_delete(project.settings.workers.queue)


@pytest.fixture(scope="module")
def wires(newswire, tmp_path_factory, databases):
    root = tmp_path_factory.mktemp("workers")
    embedded = make_project(root / "embedded", newswire.base_url, newswire.port)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    distributed = make_project(
        root / "distributed", newswire.base_url, newswire.port, database=databases.new(root, "distributed"),
        extra_settings=f"workers:\n  queue: {queue}\n  page_batch: 10\n",
    )
    workers = Workers(distributed, 2, root)
    try:
        topicwire("run", "--config", str(embedded))
        topicwire("run", "--workers", "--config", str(distributed))
    finally:
        workers.stop()
        drop_queue(distributed)
    logs = {p.name: p.read_text() for p in root.glob("worker-*.log")}
    with project_store(embedded) as one, project_store(distributed) as other:
        yield wire_snapshot(one), wire_snapshot(other), logs


def test_two_workers_on_postgresql_make_the_same_wire_as_one_process(wires, newswire):
    embedded, distributed, _logs = wires
    assert len(embedded["articles"]) >= 170
    assert_same_wire(distributed, embedded)


def test_both_workers_took_a_share_of_the_pages(wires):
    *_, logs = wires
    shares = {name: text.count("Task topicwire.pages[") for name, text in logs.items()}
    assert len(shares) == 2 and all(n > 0 for n in shares.values()), shares
    assert all("Traceback" not in text for text in logs.values()), logs


def test_a_worker_killed_mid_cycle_costs_nothing(wires, newswire, tmp_path, databases):
    """SIGKILL one of two workers (its whole process group) while the pages
    are being visited: its unacknowledged batches go back to the queue, the
    other worker takes them, and the wire comes out the same."""
    from topicwire.store.articles import count_articles

    embedded, *_ = wires
    settings = make_project(
        tmp_path / "killed", newswire.base_url, newswire.port, database=databases.new(tmp_path, "killed"),
        extra_settings=f"workers:\n  queue: test-{uuid.uuid4().hex[:12]}\n  page_batch: 5\n",
    )
    workers = Workers(settings, 2, tmp_path)
    try:
        run = subprocess.Popen([TOPICWIRE, "run", "--workers", "--config", str(settings)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with project_store(settings) as store:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with store.connect() as conn:
                    if count_articles(conn) >= 20:
                        break
                time.sleep(0.2)
        victim = workers.procs[0]
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    finally:
        workers.stop()
        drop_queue(settings)
    assert "new " in out
    with project_store(settings) as store:
        assert_same_wire(wire_snapshot(store), embedded)
        with store.connect() as conn:
            from sqlalchemy import select

            from topicwire.store.schema import runs

            assert conn.execute(select(runs.c.status)).scalars().all() == ["done"]


def test_the_scheduler_sends_cycles_and_a_running_cycle_is_not_doubled(newswire, tmp_path, databases):
    """`topicwire scheduler` every 2 s with one worker: cycles run one after
    another, each recorded done; the ones sent while a cycle held the lock
    did nothing (no run of theirs, no second cycle at once)."""
    from sqlalchemy import select

    from topicwire.store.schema import runs

    settings = make_project(
        tmp_path / "scheduled", newswire.base_url, newswire.port, database=databases.new(tmp_path, "scheduled"),
        extra_settings=f"workers:\n  queue: test-{uuid.uuid4().hex[:12]}\n  every: 2s\n",
    )
    workers = Workers(settings, 1, tmp_path)
    log = (tmp_path / "scheduler.log").open("w")
    beat = subprocess.Popen([TOPICWIRE, "scheduler", "--config", str(settings)], stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        with project_store(settings) as store:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                with store.connect() as conn:
                    statuses = conn.execute(select(runs.c.status).order_by(runs.c.id)).scalars().all()
                if statuses.count("done") >= 2:
                    break
                time.sleep(0.5)
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        beat.wait(30)
        workers.stop()
        drop_queue(settings)
    assert statuses.count("done") >= 2, (statuses, (tmp_path / "scheduler.log").read_text())
    # never two cycles at once: only the last may still be running
    assert "running" not in statuses[:-1] and "failed" not in statuses
    worker_log = (tmp_path / "worker-0.log").read_text()
    assert "'status': 'busy'" in worker_log  # the first crawl outlasts 2 s: cycles sent meanwhile did nothing


def test_a_cycle_with_no_worker_listening_is_a_one_line_error(newswire, tmp_path, databases):
    settings = make_project(
        tmp_path / "alone", newswire.base_url, newswire.port, database=databases.new(tmp_path, "alone"),
        extra_settings=f"workers:\n  queue: test-{uuid.uuid4().hex[:12]}\n",
    )
    done = subprocess.run([TOPICWIRE, "run", "--workers", "--config", str(settings)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("error: no worker takes tasks from queue 'test-")
