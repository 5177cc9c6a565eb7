"""The crawl behind test_cycle_hostile.py, run in a process of its own so
that its memory can be measured without the test runner's.

    python hostile_crawl.py SPEC.json RESULT.json

SPEC names the good sources, the hostile ones, the host:port pairs the
fetcher may reach on loopback, a folder to work in and the two stores'
database URLs. Two cycles run:
first the good sources alone into one store (the control: it also loads
every model the enrichment uses, so that the baseline holds them), then
the good and hostile sources together into another. RESULT holds both
stores' articles, the hostile cycle's summary and recorded failures, its
time, and the process's resident memory before it and at its peak (the
kernel's high-water mark, reset just before the hostile cycle).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from pathlib import Path


def _status_kb(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+)\s+kB", text, re.MULTILINE).group(1))


def _reset_peak() -> bool:
    """Reset VmHWM to the current resident size (Linux 4.0+: "5" to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return _status_kb("VmHWM") <= _status_kb("VmRSS") + 1024


def _rows(store, sql: str) -> list[list]:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with store.connect() as conn:
        return [list(row) for row in conn.execute(text(sql))]


def main(spec_path: str, result_path: str) -> None:
    from topicwire.config import FetchSettings
    from topicwire.pipeline.cycle import Cycle, fetch_policy
    from topicwire.secure import KeyRing
    from topicwire.sources import SourceSpec
    from topicwire.store import Store
    from topicwire.store.articles import iter_articles
    from topicwire.taxonomy import load_taxonomy

    spec = json.loads(Path(spec_path).read_text())
    root = Path(spec["root"])
    # the newswire is one host: politeness per host is lifted, as in
    # test_cycle.py; no retries, so that each trap is met once
    policy = fetch_policy(FetchSettings(allow=spec["allow"], per_host_delay=0, per_host_concurrency=8, retries=0))
    ring = KeyRing.generate()
    taxonomy = load_taxonomy()

    def crawl(name: str, sources: list[dict]) -> dict:
        events: list[list[str]] = []
        with Store(spec["databases"][name], keys=ring) as store:
            cycle = Cycle(
                store, taxonomy, [SourceSpec(**s) for s in sources], policy, image_root=root / f"{name}-images",
                progress=lambda kind, detail: events.append([kind, detail]),
            )
            started = time.monotonic()
            summary = asyncio.run(cycle.run())
            seconds = time.monotonic() - started
            with store.connect() as conn:
                # pages whose (sealed) text holds replacement characters
                replaced = [a.web_url for a in iter_articles(conn, ring=ring) if "\ufffd" in (a.content or "")]
            return {
                "replaced": replaced,
                "seconds": seconds,
                "summary": summary.as_dict(),
                "events": events,
                "articles": _rows(store, "SELECT web_url, title, quality FROM articles"),
                "failures": dict(_rows(store, "SELECT url, last_error FROM fetch_state WHERE last_error IS NOT NULL")),
                "images": _rows(store, "SELECT url, is_cached FROM images"),
                "runs": _rows(store, "SELECT status FROM runs"),
            }

    control = crawl("control", spec["good"])
    baseline_kb = _status_kb("VmRSS")
    peak_reset = _reset_peak()
    hostile = crawl("hostile", spec["good"] + spec["hostile"])
    result = {
        "control": control,
        "hostile": hostile,
        "baseline_kb": baseline_kb,
        "peak_kb": _status_kb("VmHWM"),
        "peak_reset": peak_reset,
    }
    Path(result_path).write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
