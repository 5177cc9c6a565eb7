"""Run records: what each import or cycle did, for summaries and health."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from topicwire.model import now_utc
from topicwire.store.schema import runs


def start_run(conn: Connection, kind: str) -> int:
    result = conn.execute(insert(runs).values(kind=kind, started_at=now_utc(), status="running", summary={}))
    return int(result.inserted_primary_key[0])


def finish_run(conn: Connection, run_id: int, status: str, summary: dict[str, Any]) -> None:
    conn.execute(
        update(runs).where(runs.c.id == run_id).values(finished_at=now_utc(), status=status, summary=summary)
    )


def last_runs(conn: Connection, limit: int = 10) -> list[dict[str, Any]]:
    rows = conn.execute(select(runs).order_by(runs.c.id.desc()).limit(limit))
    return [dict(r._mapping) for r in rows]


def unfinished_since(conn: Connection, kind: str) -> datetime | None:
    """When the earliest run of ``kind`` began that started after the last
    one that finished ("done") and never finished itself: killed (still
    "running") or failed. What such a run stored may lack the work it does
    last (for a crawl cycle: images and scoring), so the next run redoes
    that work for everything changed since then. None when there is none.

    A run of another process still going counts too; that only makes the
    next run redo a little more than it must."""
    last_done = conn.execute(
        select(func.max(runs.c.started_at)).where(runs.c.kind == kind, runs.c.status == "done")
    ).scalar()
    query = select(func.min(runs.c.started_at)).where(runs.c.kind == kind, runs.c.status != "done")
    if last_done is not None:
        query = query.where(runs.c.started_at > last_done)
    return conn.execute(query).scalar()
