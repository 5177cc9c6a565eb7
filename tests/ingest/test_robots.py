"""What a robots.txt answer means, and that each origin is asked once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
import pytest

from topicwire.ingest.robots import MAX_ROBOTS_BYTES, RobotsCache, read_rules, robots_url

pytestmark = pytest.mark.timeout(10)

UA = "topicwire/0.1 (+self-hosted news curation)"


@dataclass
class Answer:
    status: int | None = 200
    content: bytes = b""
    error: str | None = None


@pytest.mark.parametrize(
    ("answer", "allowed"),
    [
        (Answer(404), True),
        (Answer(410), True),
        (Answer(403), True),  # Google reads 401/403 as "no file" too
        (Answer(None, error="too-many-redirects"), True),
        (Answer(500), False),
        (Answer(503), False),
        (Answer(429), False),
        (Answer(None, error="timeout"), False),
        (Answer(None, error="network"), False),
        (Answer(503, error="retry-after-too-long"), False),
    ],
)
def test_unreadable_robots_files(answer, allowed):
    rules = read_rules(answer)
    assert rules is not None and rules.allows("http://a.example/x", UA) is allowed


def test_an_unreachable_host_is_reported_as_such():
    rules = read_rules(Answer(None, error="connect"))
    assert rules is not None and rules.error == "connect" and not rules.allows("http://a.example/", UA)


def test_a_refused_origin_has_no_rules():
    assert read_rules(Answer(None, error="refused-address")) is None


def test_rules_for_the_most_specific_agent_apply():
    robots = b"User-agent: *\nDisallow: /private\n\nUser-agent: topicwire\nDisallow: /drafts\nCrawl-delay: 2\n"
    rules = read_rules(Answer(200, robots))
    assert rules.allows("http://a.example/private/x", UA)
    assert not rules.allows("http://a.example/drafts/x", UA)
    assert rules.crawl_delay(UA) == 2
    assert not rules.allows("http://a.example/private/x", "otherbot")
    assert rules.crawl_delay("otherbot") is None


def test_only_the_first_500_kib_is_read():
    robots = b"User-agent: *\n" + b"# padding\n" * (MAX_ROBOTS_BYTES // 10) + b"Disallow: /\n"
    assert read_rules(Answer(200, robots)).allows("http://a.example/x", UA)


def test_garbage_is_read_as_no_rules():
    assert read_rules(Answer(200, bytes(range(256)) * 10)).allows("http://a.example/x", UA)


def test_robots_url_is_per_origin():
    assert str(robots_url(httpx.URL("https://u:p@a.example:8443/x/y?q=1#f"))) == "https://a.example:8443/robots.txt"


def test_one_fetch_per_origin_shared_by_concurrent_askers():
    asked: list[str] = []

    async def load(url):
        asked.append(str(url))
        await asyncio.sleep(0.05)
        return Answer(200, b"User-agent: *\nDisallow: /no\n")

    async def run():
        cache = RobotsCache(load)
        addresses = ("http://a.example/1", "http://a.example/no", "https://a.example/", "http://b.example/")
        urls = [httpx.URL(u) for u in addresses]
        rules = await asyncio.gather(*(cache.rules_for(u) for u in urls * 3))
        return [r.allows(str(u), UA) for r, u in zip(rules, urls * 3, strict=True)]

    verdicts = asyncio.run(run())
    assert verdicts[:4] == [True, False, True, True]
    assert sorted(asked) == [
        "http://a.example/robots.txt",
        "http://b.example/robots.txt",
        "https://a.example/robots.txt",
    ]


def test_a_refused_origin_is_asked_again_next_time():
    asked: list[str] = []

    async def load(url):
        asked.append(str(url))
        return Answer(None, error="refused-address")

    async def run():
        cache = RobotsCache(load)
        await cache.rules_for(httpx.URL("http://a.example/"))
        await cache.rules_for(httpx.URL("http://a.example/"))

    asyncio.run(run())
    assert len(asked) == 2
