"""RedisPoliteness against a real Redis (TOPICWIRE_TEST_REDIS, by default
127.0.0.1:6379). Two gates in one process stand in for two workers; some
tests start real worker processes from this file (see the end).

Without a Redis server the tests skip, unless TOPICWIRE_REQUIRE_REDIS=1
makes that a failure.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from httpserver import FakeDNS, Reply, Request, serve  # noqa: F401 - serve is a fixture

from topicwire.errors import TopicwireError
from topicwire.ingest.fetch import Fetcher, FetchPolicy
from topicwire.ingest.shared_politeness import RedisPoliteness

pytestmark = pytest.mark.timeout(20)

REDIS = os.environ.get("TOPICWIRE_TEST_REDIS", "redis://127.0.0.1:6379/0")
HOST = "news.example"
# a start is measured when the turn's last Redis reply has come and its
# sleep has ended, both of which a busy machine may make a little late
SLACK = 0.02
JITTER = 0.05  # as in test_fetch: what the server sees are arrivals, not starts


@pytest.fixture
def prefix():
    """A key prefix of this test's own; its keys are deleted afterwards."""
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        client.close()
        message = f"no Redis at {REDIS} ({exc})"
        if os.environ.get("TOPICWIRE_REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    name = f"topicwire:test:{uuid.uuid4().hex}:"
    yield name
    keys = list(client.scan_iter(match=name + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def gate(prefix: str, **options) -> RedisPoliteness:
    return RedisPoliteness(REDIS, prefix=prefix, **{"per_host": 1, "delay": 0.0, **options})


async def timed_turn(gate: RedisPoliteness, host: str = HOST, hold: float = 0.0) -> tuple[float, float]:
    """(start, end) of one turn that does nothing for ``hold`` seconds."""
    async with gate.turn(host):
        start = time.monotonic()
        await asyncio.sleep(hold)
        return start, time.monotonic()


def gaps(starts: list[float]) -> list[float]:
    starts = sorted(starts)
    return [b - a for a, b in zip(starts, starts[1:], strict=False)]


def peak(spans: list[tuple[float, float]]) -> int:
    """The most spans open at one moment (one ending as another starts is not an overlap)."""
    events = sorted([(end, -1) for _, end in spans] + [(start, 1) for start, _ in spans])
    most = open_now = 0
    for _, change in events:
        open_now += change
        most = max(most, open_now)
    return most


# --- two workers, one host ------------------------------------------------------------


def test_two_gates_space_starts_and_share_the_per_host_limit(prefix):
    async def run():
        async with gate(prefix, per_host=2, delay=0.05) as one, gate(prefix, per_host=2, delay=0.05) as two:
            turns = [timed_turn(g, hold=0.15) for g in (one, two) for _ in range(3)]
            return await asyncio.gather(*turns)

    spans = asyncio.run(run())
    assert all(gap >= 0.05 - SLACK for gap in gaps([start for start, _ in spans]))
    # spacing alone would let three overlap; two gates keeping separate
    # counts would let up to four
    assert peak(spans) == 2


def test_two_worker_processes_share_spacing_and_the_per_host_limit(prefix):
    options = {"prefix": prefix, "per_host": 2, "delay": 0.05, "tasks": 3, "hold": 0.15}
    workers = [start_worker("turns", **options) for _ in range(2)]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready"
        for worker in workers:  # both start together
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=10)[0] for worker in workers]
    finally:
        for worker in workers:
            worker.kill()
    assert all(worker.returncode == 0 for worker in workers)
    spans = [tuple(span) for output in outputs for span in json.loads(output)]
    assert len(spans) == 6
    assert all(gap >= 0.05 - SLACK for gap in gaps([start for start, _ in spans]))
    assert peak(spans) == 2


def test_different_hosts_do_not_wait_for_each_other(prefix):
    async def run():
        async with gate(prefix, delay=0.5) as one, gate(prefix, delay=0.5) as two:
            async with one.turn("a.example"):
                began = time.monotonic()
                async with two.turn("b.example"):
                    other = time.monotonic() - began
            # and the first host's spacing still holds
            second = await timed_turn(two, "a.example")
            return other, second[0] - began

    other, again = asyncio.run(run())
    assert other < 0.1
    assert again >= 0.5 - SLACK


# --- what one worker learns, the others honour -----------------------------------------


def test_slow_down_from_one_gate_slows_the_other(prefix):
    async def run():
        async with gate(prefix, delay=0.05) as one, gate(prefix, delay=0.05) as two:
            one.slow_down(HOST, 0.2)
            one.slow_down(HOST, 0.1)  # never lowers
            await asyncio.sleep(0.02)  # the write is scheduled, not awaited
            return [(await timed_turn(two))[0] for _ in range(3)]

    starts = asyncio.run(run())
    assert all(gap >= 0.2 - SLACK for gap in gaps(starts))


def test_a_delay_learnt_after_a_start_spaces_the_next_start_from_it(prefix):
    # the robots.txt case: the fetch that reads the Crawl-delay has started already
    async def run():
        async with gate(prefix, delay=0.05) as one, gate(prefix, delay=0.05) as two:
            first, _ = await timed_turn(one)
            one.slow_down(HOST, 0.3)
            await asyncio.sleep(0.02)
            second, _ = await timed_turn(two)
            return second - first

    assert asyncio.run(run()) >= 0.3 - SLACK


def test_slow_down_without_a_running_loop_is_sent_with_the_next_turn(prefix):
    one = gate(prefix)
    one.slow_down(HOST, 0.3)

    async def run():
        async with one, gate(prefix) as two:
            first, _ = await timed_turn(one)
            second, _ = await timed_turn(two)
            return second - first

    assert asyncio.run(run()) >= 0.3 - SLACK


def test_hold_off_from_one_gate_makes_the_other_wait(prefix):
    async def run():
        async with gate(prefix) as one, gate(prefix) as two:
            # both connected: a first connection would make the scheduled
            # write land after the other gate has looked
            await asyncio.gather(timed_turn(one, "warm.example"), timed_turn(two, "warm.example"))
            one.hold_off(HOST, 0.3)
            asked = time.monotonic()
            start, _ = await timed_turn(two)
            return start - asked

    waited = asyncio.run(run())
    assert 0.3 - SLACK <= waited < 0.5


def test_every_key_expires(prefix):
    async def run():
        async with gate(prefix, delay=0.05) as one:
            one.slow_down(HOST, 0.1)
            one.hold_off(HOST, 0.1)
            async with one.turn(HOST):
                return {key.decode(): client.pttl(key) for key in client.scan_iter(match=prefix + "*")}

    client = redis.Redis.from_url(REDIS)
    try:
        ttls = asyncio.run(run())
    finally:
        client.close()
    assert set(ttls) == {f"{prefix}{{{HOST}}}:{kind}" for kind in ("slots", "pace", "delay")}
    assert all(0 < ttl <= 24 * 3600 * 1000 for ttl in ttls.values())


# --- leases ------------------------------------------------------------------------------


def test_a_killed_holder_stops_blocking_when_its_lease_ends(prefix):
    worker = start_worker("hold", prefix=prefix, lease=0.6)
    try:
        assert worker.stdout.readline().strip() == "held"
        worker.kill()  # SIGKILL: no chance to give the slot back
        worker.wait(timeout=5)
        killed = time.monotonic()

        async def run():
            async with gate(prefix, lease=0.6) as other:
                start, _ = await timed_turn(other)
                return start - killed

        waited = asyncio.run(run())
    finally:
        worker.kill()
    # the lease was last renewed at most a third of it before the kill
    # (and the waiting side looks again at most every quarter second)
    assert 0.6 * 2 / 3 - 0.1 <= waited <= 0.6 + 0.25 + 0.15


def test_a_live_holder_keeps_its_slot_past_its_lease(prefix):
    async def run():
        async with gate(prefix, lease=0.2) as one, gate(prefix, lease=0.2) as two:
            holding = asyncio.create_task(timed_turn(one, hold=0.6))
            await asyncio.sleep(0.05)
            start, _ = await timed_turn(two)
            return (await holding)[1], start

    released, start = asyncio.run(run())
    assert start >= released


def test_a_cancelled_turn_gives_its_slot_back(prefix):
    async def run():
        async with gate(prefix) as one, gate(prefix) as two:
            holding = asyncio.create_task(timed_turn(one, hold=10))
            await asyncio.sleep(0.05)
            holding.cancel()
            began = time.monotonic()
            start, _ = await timed_turn(two)
            return start - began

    assert asyncio.run(run()) < 0.3


# --- errors -------------------------------------------------------------------------------


def test_an_unreachable_redis_is_a_one_line_error_without_the_password():
    async def run():
        async with RedisPoliteness("redis://crawler:s3cret@127.0.0.1:1/0?password=s3cret") as unreachable:
            async with unreachable.turn(HOST):
                pass

    with pytest.raises(TopicwireError) as caught:
        asyncio.run(run())
    message = str(caught.value)
    assert message.startswith("redis://127.0.0.1:1/0: cannot reach Redis")
    assert "\n" not in message and "s3cret" not in message and "crawler" not in message


def test_a_url_that_is_not_a_redis_url_is_an_error():
    with pytest.raises(TopicwireError, match="not a Redis URL"):
        RedisPoliteness("http://127.0.0.1:6379/")


# --- through Fetcher ----------------------------------------------------------------------


def fetch_policy(server, **changes) -> FetchPolicy:
    return FetchPolicy(
        backoff=0.01,
        connect_timeout=2,
        read_timeout=2,
        total_timeout=5,
        respect_robots=False,
        allow=frozenset({server.allow}),
        **changes,
    )


def test_fetchers_in_two_workers_pace_one_host_together(serve, prefix):
    server = serve({f"/p{i}": Reply(200, b"x", delay=0.05) for i in range(4)})
    dns = FakeDNS({HOST: ["127.0.0.1"]})
    policy = fetch_policy(server, per_host_delay=0.15, per_host_concurrency=1)

    async def worker(paths):
        async with RedisPoliteness.for_policy(REDIS, policy, prefix=prefix) as shared:
            async with Fetcher(policy, resolver=dns, politeness=shared) as fetcher:
                return await asyncio.gather(*(fetcher.fetch(f"http://{HOST}:{server.port}{p}") for p in paths))

    async def run():
        return await asyncio.gather(worker(["/p0", "/p1"]), worker(["/p2", "/p3"]))

    results = [r for batch in asyncio.run(run()) for r in batch]
    assert all(r.ok for r in results), [r.detail for r in results]
    assert all(gap >= 0.15 - JITTER for gap in gaps([r.at for r in server.requests]))
    assert server.peak_by_host[f"{HOST}:{server.port}"] == 1


def test_a_retry_after_heard_by_one_fetcher_holds_back_another(serve, prefix):
    def busy_once(request: Request) -> Reply:
        first = len(server.seen("/busy")) == 1
        return Reply(429, headers={"Retry-After": "1"}) if first else Reply(200, b"ok")

    server = serve({"/busy": busy_once, "/other": Reply(200, b"ok")})
    dns = FakeDNS({HOST: ["127.0.0.1"]})
    policy = fetch_policy(server, per_host_delay=0)

    async def fetch_later(path: str, after: float):
        await asyncio.sleep(after)
        async with RedisPoliteness.for_policy(REDIS, policy, prefix=prefix) as shared:
            async with Fetcher(policy, resolver=dns, politeness=shared) as fetcher:
                return await fetcher.fetch(f"http://{HOST}:{server.port}{path}")

    async def run():
        return await asyncio.gather(fetch_later("/busy", 0), fetch_later("/other", 0.2))

    busy, other = asyncio.run(run())
    assert busy.ok and busy.attempts == 2 and other.ok
    told = server.seen("/busy")[0].at
    assert server.seen("/other")[0].at - told >= 1 - JITTER


# --- worker processes ------------------------------------------------------------------------
# This file run as a script is one worker: python test_shared_politeness.py '{"mode": ...}'


def start_worker(mode: str, **options) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, json.dumps({"mode": mode, **options})],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


async def _worker(mode: str, prefix: str, per_host: int = 1, delay: float = 0.0, lease: float = 30.0, **job) -> None:
    async with gate(prefix, per_host=per_host, delay=delay, lease=lease) as worker:
        if mode == "hold":
            async with worker.turn(HOST):
                print("held", flush=True)
                await asyncio.sleep(60)
        else:
            print("ready", flush=True)
            sys.stdin.readline()
            spans = await asyncio.gather(*(timed_turn(worker, hold=job["hold"]) for _ in range(job["tasks"])))
            print(json.dumps(spans), flush=True)


if __name__ == "__main__":
    asyncio.run(_worker(**json.loads(sys.argv[1])))
