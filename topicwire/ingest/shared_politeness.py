"""Per-host politeness shared by every process that crawls through one Redis.

``fetch.Politeness`` keeps its limits in one process, so several workers
crawling at once would each give a host its full share. ``RedisPoliteness``
keeps the per-host state in Redis and reads the time from the Redis server,
so that workers whose clocks disagree still agree on when a host is free.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from topicwire.errors import TopicwireError
from topicwire.ingest.fetch import FetchPolicy

DEFAULT_PREFIX = "topicwire:polite:"
LEARNT_DELAY_TTL = 24 * 3600  # seconds a Crawl-delay learnt by one worker binds the others
# how long a host's last start is kept beyond its own pause: a Crawl-delay
# learnt just after a request (from the robots.txt that request fetched)
# still spaces the next one from it; Fetcher caps a Crawl-delay at 60 s
_REMEMBER = 60 * 1_000_000
_FIRST_PAUSE = 0.01
_MAX_PAUSE = 0.25

# Times are in microseconds of the Redis server's clock (TIME). A host's
# next start is max(now, last start + delay, hold-off end), where delay is
# the larger of the caller's and any Crawl-delay a worker stored; booking it
# makes it the last start, so the next caller, in any process, is pushed on.
_PACE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local learnt = tonumber(redis.call('GET', KEYS[2])) or 0
if tonumber(ARGV[2]) > learnt then
  learnt = tonumber(ARGV[2])
  redis.call('SET', KEYS[2], learnt, 'EX', ARGV[5])
end
local delay = math.max(tonumber(ARGV[1]), learnt)
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
local hold = tonumber(redis.call('HGET', KEYS[1], 'hold')) or 0
if tonumber(ARGV[3]) > 0 then hold = math.max(hold, now + tonumber(ARGV[3])) end
local start = math.max(now, hold)
if last then start = math.max(start, last + delay) end
if ARGV[4] == '1' then last = start end
if last then redis.call('HSET', KEYS[1], 'last', last) end
if hold > now then redis.call('HSET', KEYS[1], 'hold', hold) end
local keep = math.max(last or 0, hold) + delay + tonumber(ARGV[6]) - now
if keep > 0 then redis.call('PEXPIRE', KEYS[1], math.floor(keep / 1000) + 1) end
return start - now
"""

# A host's holders, scored by when their lease ends: lapsed leases are
# dropped first, so a worker killed mid-request frees its slot in time.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.floor(tonumber(ARGV[3]) / 1000) + 1)
return 1
"""

# XX: a renewal that lands after the release must not bring the slot back
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], math.floor(tonumber(ARGV[2]) / 1000) + 1)
end
return 1
"""


class RedisPoliteness:
    """A ``fetch.HostGate`` whose per-host limits hold across every process
    sharing one Redis: at most ``per_host`` requests to a host at once, their
    starts at least ``delay`` seconds apart (more after any worker's
    slow_down, later after any worker's hold_off). ``concurrency`` caps this
    process's requests to all hosts together, as Politeness does. A slot is
    leased for ``lease`` seconds and renewed while its request runs.

    Raises TopicwireError when Redis cannot be reached. Built from a URL it
    owns its client (close it with ``aclose``); a given client is left open."""

    def __init__(
        self,
        redis: str | Redis,
        *,
        per_host: int = 2,
        delay: float = 0.5,
        concurrency: int = 8,
        prefix: str = DEFAULT_PREFIX,
        lease: float = 30.0,
    ):
        if lease <= 0:
            raise ValueError("lease must be positive")
        if isinstance(redis, str):
            self.url = _shown(redis)
            try:
                self._redis = Redis.from_url(redis)
            except ValueError as exc:
                raise TopicwireError(f"not a Redis URL ({_one_line(exc)})", source=self.url) from None
            self._owned = True
        else:
            self.url = _described(redis)
            self._redis, self._owned = redis, False
        self._per_host = max(1, per_host)
        self._delay = max(0.0, delay)
        self._all = asyncio.Semaphore(max(1, concurrency))
        self._prefix = prefix
        self._lease = lease
        self._pace_script = self._redis.register_script(_PACE)
        self._take_script = self._redis.register_script(_TAKE)
        self._renew_script = self._redis.register_script(_RENEW)
        self._delays: dict[str, float] = {}
        self._holds: dict[str, float] = {}  # host -> time.monotonic() before which it is not asked
        self._writes: set[asyncio.Task[None]] = set()

    @classmethod
    def for_policy(cls, redis: str | Redis, policy: FetchPolicy, **options: Any) -> RedisPoliteness:
        """The gate with a FetchPolicy's limits, so the two cannot drift apart."""
        return cls(
            redis,
            per_host=policy.per_host_concurrency,
            delay=policy.per_host_delay,
            concurrency=policy.concurrency,
            **options,
        )

    async def __aenter__(self) -> RedisPoliteness:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        # a Retry-After heard just before closing still concerns the others
        await asyncio.gather(*self._writes, return_exceptions=True)
        if self._owned:
            await self._redis.aclose()

    # The fetcher calls these two from synchronous code. Both are kept here
    # and sent with every pace request for the host, so they reach Redis by
    # this process's next turn there at the latest. They are also written at
    # once when a loop runs: the fetcher sleeps out a Retry-After before its
    # next turn, by when the hold-off would no longer hold anyone back.

    def slow_down(self, name: str, delay: float) -> None:
        if delay > self._delays.get(name, 0.0):
            self._delays[name] = delay
            self._write_soon(name)

    def hold_off(self, name: str, seconds: float) -> None:
        self._holds[name] = max(self._holds.get(name, 0.0), time.monotonic() + seconds)
        self._write_soon(name)

    def _write_soon(self, name: str) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = loop.create_task(self._write(name))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _write(self, name: str) -> None:
        # a failed write is not lost: the next turn for the host sends it again
        with suppress(TopicwireError):
            await self._pace(name, book=False)

    @asynccontextmanager
    async def turn(self, name: str) -> AsyncIterator[None]:
        slots = self._key(name, "slots")
        token = uuid.uuid4().hex
        try:
            await self._take(slots, token)
        except asyncio.CancelledError:
            # the slot may have been granted while the answer was on its way
            await asyncio.shield(self._release(slots, token))
            raise
        keeper = asyncio.create_task(self._keep(slots, token))
        try:
            # sit out the pause before taking a slot of the overall cap,
            # so a host that has to wait does not hold back the others
            await asyncio.sleep(await self._pace(name, book=False))
            async with self._all:
                await asyncio.sleep(await self._pace(name, book=True))
                yield
        finally:
            keeper.cancel()
            # shielded so a cancelled turn still gives its slot back
            await asyncio.shield(self._release(slots, token))

    async def _take(self, slots: str, token: str) -> None:
        pause = _FIRST_PAUSE
        while not await self._run(self._take_script, [slots], [token, self._per_host, _us(self._lease)]):
            # nothing announces a freed slot, so look again soon; the jitter
            # keeps workers waiting on one host from asking in lockstep
            await asyncio.sleep(random.uniform(pause / 2, pause))
            pause = min(2 * pause, _MAX_PAUSE)

    async def _keep(self, slots: str, token: str) -> None:
        # a live holder renews its lease; a killed one stops, and its slot
        # frees at most `lease` seconds later
        while True:
            await asyncio.sleep(self._lease / 3)
            # one missed renewal is not fatal: two more come before the lease ends
            with suppress(TopicwireError):
                await self._run(self._renew_script, [slots], [token, _us(self._lease)])

    async def _release(self, slots: str, token: str) -> None:
        # if Redis is gone the lease runs out by itself; raising here would
        # hide the error the turn may be ending with
        with suppress(RedisError):
            await self._redis.zrem(slots, token)

    async def _pace(self, name: str, *, book: bool) -> float:
        """Seconds until the host may be asked; with ``book``, that start is
        taken, and later callers in any process are spaced from it."""
        hold = self._holds.get(name, 0.0) - time.monotonic()
        if hold <= 0:
            self._holds.pop(name, None)
        keys = [self._key(name, "pace"), self._key(name, "delay")]
        learnt = self._delays.get(name, 0.0)
        args = [_us(self._delay), _us(learnt), _us(max(0.0, hold)), int(book), LEARNT_DELAY_TTL, _REMEMBER]
        return await self._run(self._pace_script, keys, args) / 1_000_000

    async def _run(self, script: AsyncScript, keys: list[str], args: list[Any]) -> int:
        try:
            return await script(keys=keys, args=args)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            raise TopicwireError(f"cannot reach Redis for the crawl limits ({_one_line(exc)})", source=self.url) from None
        except RedisError as exc:
            raise TopicwireError(f"Redis refused a crawl-limit update ({_one_line(exc)})", source=self.url) from None

    def _key(self, host: str, kind: str) -> str:
        # the braces make a Redis Cluster keep one host's keys together,
        # which a script touching several of them needs
        return f"{self._prefix}{{{host}}}:{kind}"


def _us(seconds: float) -> int:
    return round(seconds * 1_000_000)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _shown(url: str) -> str:
    """The URL without user, password or query (redis-py reads a password there too)."""
    try:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))
    except ValueError:
        return "the Redis URL"


def _described(client: Redis) -> str:
    where = client.connection_pool.connection_kwargs
    if "path" in where:
        return f"unix://{where['path']}"
    return f"redis://{where.get('host', 'localhost')}:{where.get('port', 6379)}/{where.get('db', 0)}"
