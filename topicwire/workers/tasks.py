"""The cycle in tasks: ``cycle`` lists the pages (one task, under the
project's cycle lock), ``pages`` visits a batch of them (many tasks, on any
worker), ``finish`` records the feeds' validators and scores the recent
window once every batch is done (a chord's body), and ``cycle_failed``
closes a cycle whose batches failed for good.

Scoring needs the whole recent window, so it runs in one task only, after
every page of the cycle is stored, while the lock keeps the next cycle
from storing more; it reads the window in one transaction.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from celery import chord
from redis import Redis
from sqlalchemy.exc import SQLAlchemyError

from topicwire.config import Project
from topicwire.errors import TopicwireError
from topicwire.ingest.shared_politeness import RedisPoliteness
from topicwire.model import now_utc
from topicwire.pipeline.cycle import Cycle, CycleStart
from topicwire.workers.app import app, context, project_key, work_for
from topicwire.workers.lock import CycleLock
from topicwire.workers.messages import (
    decode_found,
    decode_listed,
    decode_times,
    encode_found,
    encode_listed,
    encode_times,
)

# failures of the machinery (database, Redis), not of a page: worth a retry
TRANSIENT = (SQLAlchemyError, TopicwireError)


def cycle_lock(project: Project) -> CycleLock:
    seconds = project.settings.workers.cycle_timeout_minutes * 60
    return CycleLock(Redis.from_url(project.redis_url), project_key(project), seconds=seconds)


@asynccontextmanager
async def _fetching(work: Cycle, project: Project) -> AsyncIterator[None]:
    """The cycle's fetcher, paced by the limits every worker shares."""
    async with RedisPoliteness.for_policy(project.redis_url, work.policy) as gate:
        work.politeness = gate
        async with work.fetching():
            yield


async def _list(work: Cycle, start: CycleStart, project: Project) -> list:  # type: ignore[type-arg]
    async with _fetching(work, project):
        return await work.list_pages(start)


async def _visit(work: Cycle, found: list, project: Project) -> None:  # type: ignore[type-arg]
    async with _fetching(work, project):
        await work.visit(found)


async def _catch_up(work: Cycle, start: CycleStart, project: Project) -> None:
    async with _fetching(work, project):
        await work.catch_up(start)


@app.task(name="topicwire.cycle")
def cycle() -> dict[str, Any]:
    """Start a cycle unless one is running: list the pages and hand them out."""
    project, store = context()
    lock = cycle_lock(project)
    token = lock.acquire()
    if token is None:
        return {"status": "busy", "holder": lock.holder()}
    try:
        work = work_for(project, store)
        start = work.begin()
    except BaseException:
        lock.release(token)
        raise
    try:
        found = asyncio.run(_list(work, start, project))
        queue = project.settings.workers.queue
        size = project.settings.workers.page_batch
        batches = [found[i : i + size] for i in range(0, len(found), size)]
        body = finish.s(
            run_id=start.run_id,
            interrupted=start.interrupted.isoformat() if start.interrupted else None,
            listed=[encode_listed(feed) for feed in work.listed],
            summary=work.summary.as_dict(),
            token=token,
        ).set(queue=queue)
        body = body.on_error(cycle_failed.si(run_id=start.run_id, token=token).set(queue=queue))
        if batches:
            header = [pages.s([encode_found(f) for f in batch]).set(queue=queue) for batch in batches]
            result = chord(header)(body)
        else:
            result = body.clone(args=([],)).apply_async()
    except BaseException:
        work.end(start.run_id, "failed")
        lock.release(token)
        raise
    return {"status": "started", "run_id": start.run_id, "pages": len(found), "batches": len(batches),
            "finish": result.id}


@app.task(name="topicwire.pages", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def pages(batch: list[dict[str, Any]]) -> dict[str, Any]:
    """Visit a batch of pages; run again, it stores nothing twice."""
    project, store = context()
    work = work_for(project, store)
    asyncio.run(_visit(work, [decode_found(item) for item in batch], project))
    return {"summary": work.summary.as_dict(), "changed": encode_times(work.changed), "stored": sorted(work.stored)}


@app.task(name="topicwire.finish", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def finish(
    results: list[dict[str, Any]], *, run_id: int, interrupted: str | None, listed: list[dict[str, Any]],
    summary: dict[str, Any], token: str,
) -> dict[str, Any]:
    """Every batch is done: record the feeds, catch up on what an
    interrupted cycle left, score the window, close the run, free the lock."""
    project, store = context()
    work = work_for(project, store)
    work.summary.add(summary)
    for part in results:
        work.summary.add(part["summary"])
        work.add_visited(decode_times(part["changed"]), part["stored"])
    work.listed = [decode_listed(feed) for feed in listed]
    work.record_listed()
    start = CycleStart(run_id, now_utc(), decode_times([interrupted])[0] if interrupted else None, {})
    asyncio.run(_catch_up(work, start, project))
    work.enrich(now_utc())
    work.end(run_id, "done")
    cycle_lock(project).release(token)
    return work.summary.as_dict()


@app.task(name="topicwire.cycle_failed")
def cycle_failed(*_failure: Any, run_id: int, token: str) -> None:
    """A batch failed for good: the run is marked failed and the lock freed.
    The next cycle catches up on what this one stored (see Cycle.catch_up)."""
    project, store = context()
    work_for(project, store).end(run_id, "failed")
    cycle_lock(project).release(token)
