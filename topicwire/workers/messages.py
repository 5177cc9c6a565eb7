"""What tasks hand each other, as JSON: the pages to visit, the feeds whose
validators wait, and what a part of a cycle did."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from topicwire.ingest.feeds import FeedEntry
from topicwire.pipeline.cycle import Found, Listed
from topicwire.sources import SourceSpec

_ENTRY_TIMES = ("published", "updated")


def encode_found(found: Found) -> dict[str, Any]:
    entry = asdict(found.entry)
    for name in _ENTRY_TIMES:
        entry[name] = _time(entry[name])
    return {"entry": entry, "source": found.source.model_dump(mode="json")}


def decode_found(data: dict[str, Any]) -> Found:
    entry = dict(data["entry"])
    known = {f.name for f in fields(FeedEntry)}
    for name in _ENTRY_TIMES:
        entry[name] = _parse(entry.get(name))
    return Found(FeedEntry(**{k: v for k, v in entry.items() if k in known}), SourceSpec(**data["source"]))


def encode_listed(listed: Listed) -> dict[str, Any]:
    return asdict(listed)


def decode_listed(data: dict[str, Any]) -> Listed:
    return Listed(**data)


def encode_times(times: list[datetime]) -> list[str]:
    return [t.isoformat() for t in times]


def decode_times(values: list[str]) -> list[datetime]:
    return [datetime.fromisoformat(v) for v in values]


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
