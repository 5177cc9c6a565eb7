"""robots.txt: fetched once per origin, kept for the fetcher's life.

How an unreadable robots.txt is read follows Google's crawler: a missing
file (4xx) allows everything, a server that cannot answer (5xx, 429, a
timeout) disallows the whole host, since crawling a struggling site harder
is the worst thing to do to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import httpx
from protego import Protego

# Google reads at most 500 KiB of a robots.txt and ignores the rest.
MAX_ROBOTS_BYTES = 500 * 1024

# The robots.txt answer never reached the server's own rules: the origin
# itself is unreachable or unfetchable, so the page fetch will say why.
_NO_OPINION = {"refused-address", "bad-url"}
# Google treats a redirect it gives up on like a missing file.
_LIKE_MISSING = {"too-many-redirects", "redirect-loop"}


class RobotsAnswer(Protocol):
    status: int | None
    content: bytes
    error: str | None


@dataclass(frozen=True)
class RobotsRules:
    parser: Protego | None
    allow_all: bool
    note: str
    # the error a refused page gets: "robots", or "connect" when the host
    # could not be reached at all, which is what the user needs to hear
    error: str = "robots"

    def allows(self, url: str, user_agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return delay if delay and delay > 0 else None


def robots_url(url: httpx.URL) -> httpx.URL:
    return url.copy_with(path="/robots.txt", query=None, fragment=None, username=None, password=None)


def read_rules(answer: RobotsAnswer) -> RobotsRules | None:
    """What a robots.txt fetch means for the host; None when it means
    nothing (the address was refused, which the page fetch will report)."""
    if answer.error in _NO_OPINION:
        return None
    if answer.error is None and answer.status is not None and 200 <= answer.status < 300:
        return _parse(answer.content)
    if answer.error in _LIKE_MISSING:
        return RobotsRules(None, True, f"robots.txt: {answer.error}, treated as missing")
    status = answer.status
    if status is not None and 400 <= status < 500 and status != 429:
        return RobotsRules(None, True, f"robots.txt: HTTP {status}, treated as missing")
    if answer.error == "connect":
        return RobotsRules(None, False, "unreachable when asked for robots.txt, not tried again this run", "connect")
    return RobotsRules(None, False, f"robots.txt unavailable ({answer.error or status}), host not crawled this run")


def _parse(content: bytes) -> RobotsRules:
    text = content[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        parser = Protego.parse(text)
    except Exception:  # noqa: BLE001 - hostile input to a third-party parser must not stop the crawl
        return RobotsRules(None, True, "robots.txt: unparseable, treated as missing")
    return RobotsRules(parser, True, "disallowed by robots.txt")


class RobotsCache:
    """robots.txt rules per scheme+host+port, fetched with ``load`` the
    first time an origin is asked about; concurrent askers share one fetch."""

    def __init__(self, load: Callable[[httpx.URL], Awaitable[RobotsAnswer]]):
        self._load = load
        self._rules: dict[tuple[str, str, int | None], asyncio.Task[RobotsRules | None]] = {}

    async def rules_for(self, url: httpx.URL) -> RobotsRules | None:
        key = (url.scheme, url.host, url.port)
        task = self._rules.get(key)
        if task is None:
            task = asyncio.ensure_future(self._fetch(url))
            self._rules[key] = task
        # shielded: one caller giving up must not cancel the fetch the
        # other callers are waiting for
        rules = await asyncio.shield(task)
        if rules is None and self._rules.get(key) is task:
            # not cached: a refusal is the page fetch's to report, and the
            # next ask should look again
            del self._rules[key]
        return rules

    async def _fetch(self, url: httpx.URL) -> RobotsRules | None:
        return read_rules(await self._load(robots_url(url)))

    def close(self) -> None:
        for task in self._rules.values():
            task.cancel()
        self._rules.clear()
