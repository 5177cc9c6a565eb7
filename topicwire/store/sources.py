"""Sources and per-URL fetch state: validators for conditional GET, health,
and back-off for URLs that keep failing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from topicwire.model import now_utc
from topicwire.sources import SourceSpec
from topicwire.store.schema import fetch_state, sources

# after n consecutive failures a URL rests for BASE * 2**(n-1), capped
BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_CAP = timedelta(days=1)


def sync_sources(conn: Connection, specs: list[SourceSpec]) -> None:
    existing = {r.id: r for r in conn.execute(select(sources))}
    now = now_utc()
    for spec in specs:
        values = dict(url=spec.url, kind=spec.kind, name=spec.name, settings=spec.model_dump(mode="json"))
        row = existing.get(spec.id)
        if row is None:
            conn.execute(insert(sources).values(id=spec.id, created_at=now, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            conn.execute(update(sources).where(sources.c.id == spec.id).values(**values))


@dataclass(frozen=True)
class FetchState:
    url: str
    etag: str | None
    last_modified: str | None
    last_status: int | None
    last_success_at: datetime | None
    consecutive_failures: int
    last_error: str | None
    next_attempt_at: datetime | None

    def resting(self, now: datetime) -> bool:
        return self.next_attempt_at is not None and self.next_attempt_at > now


def get_states(conn: Connection, urls: list[str]) -> dict[str, FetchState]:
    out: dict[str, FetchState] = {}
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        for r in conn.execute(select(fetch_state).where(fetch_state.c.url.in_(chunk))):
            out[r.url] = FetchState(
                r.url, r.etag, r.last_modified, r.last_status, r.last_success_at,
                r.consecutive_failures, r.last_error, r.next_attempt_at,
            )
    return out


def _upsert(conn: Connection, url: str, values: dict[str, object]) -> None:
    exists = conn.execute(select(fetch_state.c.url).where(fetch_state.c.url == url)).first()
    if exists:
        conn.execute(update(fetch_state).where(fetch_state.c.url == url).values(**values))
    else:
        conn.execute(insert(fetch_state).values(url=url, **{"consecutive_failures": 0, **values}))


def record_success(
    conn: Connection,
    url: str,
    *,
    source_id: str | None,
    status: int | None,
    etag: str | None,
    last_modified: str | None,
    now: datetime | None = None,
) -> None:
    now = now or now_utc()
    _upsert(
        conn,
        url,
        dict(
            source_id=source_id,
            etag=etag,
            last_modified=last_modified,
            last_status=status,
            last_fetched_at=now,
            last_success_at=now,
            consecutive_failures=0,
            last_error=None,
            next_attempt_at=None,
        ),
    )


def record_failure(
    conn: Connection,
    url: str,
    *,
    source_id: str | None,
    status: int | None,
    error: str,
    retry_after: float | None = None,
    now: datetime | None = None,
) -> FetchState:
    """Count one more failure and set when the URL may be tried again."""
    now = now or now_utc()
    previous = get_states(conn, [url]).get(url)
    failures = (previous.consecutive_failures if previous else 0) + 1
    rest = min(BACKOFF_BASE * 2 ** (failures - 1), BACKOFF_CAP)
    if retry_after is not None:
        rest = max(rest, timedelta(seconds=retry_after))
    _upsert(
        conn,
        url,
        dict(
            source_id=source_id,
            last_status=status,
            last_fetched_at=now,
            consecutive_failures=failures,
            last_error=error[:1000],
            next_attempt_at=now + rest,
        ),
    )
    return get_states(conn, [url])[url]
