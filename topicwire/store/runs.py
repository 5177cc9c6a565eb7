"""Run records: what each import or cycle did, for summaries and health."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

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
