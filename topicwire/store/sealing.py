"""The sealed full text across the store: which key seals how many records,
and moving them all onto the active key (after a rotation, or plain text
left by a store made before encryption at rest).

Re-sealing goes a batch at a time, each batch in a transaction of its own,
in id order: a run that is stopped anywhere leaves every record either as
it was or re-sealed, never half, and the next run picks up what is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import ColumnElement, Connection, false, func, or_, select, update

from topicwire.errors import SecureError
from topicwire.secure import KeyRing
from topicwire.store.db import Store
from topicwire.store.schema import articles

DEFAULT_BATCH = 100


@dataclass
class KeyUsage:
    by_key: dict[str, int]  # key id -> records it seals (ids outside the ring included)
    foreign: int  # sealed by another system, with no key id
    plain: int  # plain text from before encryption, not sealed yet
    without_text: int


def key_usage(conn: Connection) -> KeyUsage:
    rows = conn.execute(
        select(
            articles.c.key_id,
            articles.c.secured.is_not(None).label("sealed"),
            articles.c.content.is_not(None).label("plain"),
            func.count(),
        ).group_by(articles.c.key_id, articles.c.secured.is_not(None), articles.c.content.is_not(None))
    )
    usage = KeyUsage({}, 0, 0, 0)
    for key_id, sealed, plain, count in rows:
        if plain:
            usage.plain += count
        elif sealed and key_id is not None:
            usage.by_key[key_id] = usage.by_key.get(key_id, 0) + count
        elif sealed:
            usage.foreign += count
        else:
            usage.without_text += count
    return usage


def _stale(ring: KeyRing) -> ColumnElement[bool]:
    """Records the active key should seal and does not: sealed with another
    key of the ring, or still plain."""
    older = [k for k in ring.ids if k != ring.active_id]
    return or_(articles.c.content.is_not(None), articles.c.key_id.in_(older) if older else false())


def pending(conn: Connection, ring: KeyRing) -> int:
    return conn.execute(select(func.count()).select_from(articles).where(_stale(ring))).scalar_one()


@dataclass
class ResealSummary:
    resealed: int = 0
    batches: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)


def reseal(
    store: Store,
    ring: KeyRing,
    *,
    batch: int = DEFAULT_BATCH,
    on_batch: Callable[[ResealSummary], None] | None = None,
) -> ResealSummary:
    """Seal with the active key every record sealed with an older key of the
    ring, and every record still in plain text. Each batch commits before
    ``on_batch`` hears of it. A record that does not open (altered) is left as it is and
    reported: it is not the rotation's to repair."""
    summary = ResealSummary()
    last = ""
    while True:
        with store.begin() as conn:
            rows = conn.execute(
                select(articles.c.id, articles.c.secured, articles.c.key_id, articles.c.content)
                .where(_stale(ring), articles.c.id > last)
                .order_by(articles.c.id)
                .limit(batch)
            ).all()
            if not rows:
                return summary
            for row in rows:
                try:
                    text = row.content if row.content is not None else ring.open(
                        row.secured, key_id=row.key_id, article_id=row.id
                    )
                except SecureError as exc:
                    summary.failed.append((row.id, exc.reason))
                    continue
                secured, key_id = ring.seal(text, article_id=row.id)
                conn.execute(
                    update(articles)
                    .where(articles.c.id == row.id)
                    .values(secured=secured, key_id=key_id, content=None)
                )
                summary.resealed += 1
            last = rows[-1].id
        summary.batches += 1
        if on_batch is not None:
            on_batch(summary)
