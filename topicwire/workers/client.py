"""Asking the workers for a cycle (`topicwire run --workers`), starting a
worker (`topicwire worker`) and the scheduler (`topicwire scheduler`)."""

from __future__ import annotations

import time
from typing import Any, Callable

from kombu.exceptions import OperationalError as BrokerError

from topicwire.config import Project
from topicwire.errors import TopicwireError
from topicwire.store.db import safe_url
from topicwire.workers import tasks
from topicwire.workers.app import configure

CYCLE_TASK = "topicwire.cycle"
WORKER_GRACE_SECONDS = 15


def _check_broker(project: Project) -> None:
    app = configure(project)
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=5)
    except (BrokerError, OSError) as exc:
        raise TopicwireError(f"cannot reach the broker: {exc}", source=safe_url(project.broker_url)) from None


def listening_workers(project: Project, *, wait: float = 3.0) -> list[str]:
    """The names of the workers that take tasks from the project's queue and
    answer within ``wait`` seconds."""
    app = configure(project)
    queue = project.settings.workers.queue
    answers = app.control.inspect(timeout=wait).active_queues() or {}
    return sorted(name for name, queues in answers.items() if any(q.get("name") == queue for q in queues))


def run_on_workers(project: Project, *, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """One cycle done by the workers listening on the project's queue; its
    summary once it has finished."""
    from celery.exceptions import TimeoutError as NoAnswer

    say = progress or (lambda _line: None)
    _check_broker(project)
    timeout = project.settings.workers.cycle_timeout_minutes * 60
    queue = project.settings.workers.queue
    # workers started a moment ago may still be connecting: give them a while
    deadline = time.monotonic() + WORKER_GRACE_SECONDS
    while not (workers := listening_workers(project)) and time.monotonic() < deadline:
        time.sleep(1)
    if not workers:
        # else the cycle would wait in the queue, and this command with it
        raise TopicwireError(f"no worker takes tasks from queue {queue!r}: start `topicwire worker` first")
    say(f"{len(workers)} worker(s) on queue {queue!r}: {', '.join(workers)}")
    try:
        started = tasks.cycle.apply_async(queue=queue).get(timeout=timeout)
    except NoAnswer:
        raise TopicwireError(
            f"no worker took the cycle within {timeout // 60} minutes: is `topicwire worker` running "
            f"on queue {queue!r}?"
        ) from None
    if started["status"] == "busy":
        raise TopicwireError("a cycle of this project is running already; try again when it has finished")
    say(f"cycle {started['run_id']}: {started['pages']} pages in {started['batches']} batches handed to the workers")
    try:
        return tasks.finish.AsyncResult(started["finish"]).get(timeout=timeout)
    except NoAnswer:
        raise TopicwireError(f"the cycle did not finish within {timeout // 60} minutes") from None


def start_worker(project: Project, *, concurrency: int, name: str | None, loglevel: str) -> None:
    """A worker on the project's queue (blocks until stopped)."""
    _check_broker(project)
    app = configure(project)
    queue = project.settings.workers.queue
    argv = ["worker", "--queues", queue, "--concurrency", str(concurrency), "--loglevel", loglevel,
            "--hostname", name or f"topicwire-{queue}@%h", "--without-gossip", "--without-mingle"]
    app.worker_main(argv=argv)


def start_scheduler(project: Project, *, loglevel: str) -> None:
    """Celery beat sending a cycle to the queue every `workers.every`; a
    cycle already running makes the next one a no-op (the lock)."""
    _check_broker(project)
    app = configure(project)
    workers = project.settings.workers
    seconds = workers.interval.total_seconds()
    app.conf.beat_schedule = {
        "cycle": {
            "task": CYCLE_TASK,
            "schedule": seconds,
            # a cycle nobody took before the next one is due is dropped
            "options": {"queue": workers.queue, "expires": seconds},
        }
    }
    project.data_dir.mkdir(parents=True, exist_ok=True)
    app.Beat(schedule=str(project.data_dir / "scheduler-state"), loglevel=loglevel).run()
