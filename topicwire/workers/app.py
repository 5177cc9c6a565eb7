"""The Celery application and the per-process state its tasks share.

Broker: RabbitMQ by default (see the README's "Scaling out" for why), with
results, the cycle lock and the per-host crawl limits in Redis. Every task
is acknowledged only once it has finished (acks_late) and given back to the
queue when its worker dies (reject_on_worker_lost), so a killed worker's
pages are visited by another one; the tasks are written to be run twice.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from celery import Celery

from topicwire.config import ENV_CONFIG, Project, load_project
from topicwire.pipeline.cycle import Cycle
from topicwire.pipeline.project_cycle import cycle_for, cycle_inputs, inputs_stamp
from topicwire.secure import project_ring
from topicwire.store import Store

app = Celery("topicwire", set_as_current=False)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    # one task at a time per worker process: a batch of pages is long, and
    # tasks prefetched by a busy process wait while others sit idle
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    result_expires=24 * 3600,
    worker_hijack_root_logger=False,
)

_state: dict[str, Any] = {}


def configure(project: Project) -> Celery:
    """Point the app at the project's broker, Redis and queue. The settings
    file goes into the environment too, for the worker's child processes."""
    workers = project.settings.workers
    app.conf.update(
        broker_url=project.broker_url,
        result_backend=project.redis_url,
        task_default_queue=workers.queue,
    )
    os.environ[ENV_CONFIG] = str(project.config_path)
    _state.clear()
    return app


def context() -> tuple[Project, Store]:
    """This process's project and store, opened at its first task (a forked
    worker child must not share its parent's database connections)."""
    if "store" not in _state:
        project = load_project(os.environ.get(ENV_CONFIG))
        _state["project"] = project
        _state["store"] = Store(project.database_url, keys=project_ring(project))
    return _state["project"], _state["store"]


def work_for(project: Project, store: Store) -> Cycle:
    """A cycle for this task. The inputs read from the project's files are
    kept between tasks while those files stay as they were: read for every
    batch of pages, the registry alone cost more than fetching them."""
    stamp = inputs_stamp(project)
    if _state.get("inputs_stamp") != stamp:
        _state["inputs"] = cycle_inputs(project)
        _state["inputs_stamp"] = stamp
    return cycle_for(project, store, inputs=_state["inputs"])


def project_key(project: Project) -> str:
    """One name for one project's shared state (its cycle lock), whichever
    machine asks: its database."""
    return hashlib.sha256(project.database_url.encode("utf-8")).hexdigest()[:16]
