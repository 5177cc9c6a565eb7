"""Polite, safe HTTP GET: the only way topicwire reads the network.

Every problem a remote server or a hostile URL can cause is a FetchResult
with a short ``error`` code, never an exception, so a crawl cycle records
failures as data and moves on. Safety (which addresses may be connected to)
lives in ``netguard``, robots.txt in ``robots``; this module adds the
politeness, retries, limits and HTTP caching rules around one GET.
"""

from __future__ import annotations

import asyncio
import base64
import codecs
import random
import re
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import AsyncIterator, Protocol

import httpx
from charset_normalizer import from_bytes

from topicwire.ingest.netguard import AddressGuard, PinnedBackend, PinnedTransport, RefusedAddress, Resolver
from topicwire.ingest.robots import MAX_ROBOTS_BYTES, RobotsCache

DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# only what _Inflater can decode with a bounded output size: asking for br
# or zstd would let a server send something we can only inflate blindly
ACCEPT_ENCODING = "gzip, deflate"

_REDIRECTS = {301, 302, 303, 307, 308}
_RETRIED_ERRORS = {"timeout", "connect", "network"}
_STEP = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = "topicwire/0.1 (+self-hosted news curation)"
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0  # one request, body included
    max_bytes: int = 10 * 1024 * 1024  # decoded, enforced while streaming
    max_redirects: int = 5
    concurrency: int = 8  # all hosts together
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5  # min seconds between request starts to one host
    retries: int = 2  # extra attempts on timeout / connect error / 429 / 5xx
    backoff: float = 0.5  # base of exponential backoff with jitter
    max_retry_after: float = 60.0  # a longer Retry-After fails the fetch; Crawl-delay is capped at it
    respect_robots: bool = True
    allow: frozenset[str] = frozenset()  # "127.0.0.1:8123"-style entries exempt from the address check


@dataclass
class FetchResult:
    url: str
    final_url: str = ""
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    content_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None
    detail: str | None = None
    attempts: int = 0
    redirects: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    retry_after: float | None = None
    max_age: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def text(self) -> str:
        return decode_text(self.content, self.charset)


# --- HTTP caching and retry headers -----------------------------------------


def _http_date(value: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def cache_directives(value: str | None) -> dict[str, str | None]:
    directives: dict[str, str | None] = {}
    for part in (value or "").split(","):
        name, sep, arg = part.strip().partition("=")
        if name:
            directives[name.strip().lower()] = arg.strip().strip('"') if sep else None
    return directives


def max_age(headers: Mapping[str, str]) -> int | None:
    arg = cache_directives(headers.get("cache-control")).get("max-age")
    return int(arg) if arg is not None and arg.isdigit() else None


def keeps_validators(headers: Mapping[str, str], now: datetime | None = None) -> bool:
    """False when the response says it must not be reused, in which case
    its ETag/Last-Modified are not worth storing."""
    directives = cache_directives(headers.get("cache-control"))
    if "no-store" in directives or "no-cache" in directives:
        return False
    if "max-age" in directives or "expires" not in headers:
        # max-age overrides Expires (RFC 9111 5.3)
        return True
    expires = _http_date(headers["expires"])
    if expires is None:
        # "0", "-1" and other invalid dates mean "already expired"
        return False
    reference = _http_date(headers.get("date", "")) or now or datetime.now(timezone.utc)
    return expires > reference


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


# --- charsets ----------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*<(!doctype\s+html|html|head)", re.IGNORECASE)
# What browsers (WHATWG Encoding) actually decode these labels as; pages
# labelled latin-1 routinely contain windows-1252 quotes and dashes.
_WHATWG = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
}
_GUESS_BYTES = 256 * 1024
_NOT_TEXT = ("image/", "audio/", "video/", "font/")
_TEXT_SUFFIXES = ("+xml", "/xml", "+json", "/json", "/javascript", "/ecmascript")


def split_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset parameter) of a Content-Type header."""
    if not value:
        return None, None
    mime, *params = value.split(";")
    charset = None
    for param in params:
        name, _, arg = param.partition("=")
        if name.strip().lower() == "charset":
            charset = arg.strip().strip("\"'").lower() or None
    return mime.strip().lower() or None, charset


def _known(label: str | None) -> str | None:
    if not label:
        return None
    try:
        # decoding a byte (not b"", which Python short-cuts) also refuses
        # the bytes-to-bytes codecs (base64, zlib...) that are no charset
        b"\0".decode(_WHATWG.get(label, label), "ignore")
    except LookupError:
        return None
    return label


def _is_textual(mime: str | None) -> bool:
    if mime is None:
        return True
    if mime.startswith(_NOT_TEXT):
        return False
    return mime.startswith("text/") or mime.endswith(_TEXT_SUFFIXES)


def detect_charset(content: bytes, mime: str | None, declared: str | None) -> str | None:
    """The content's charset: a byte-order mark, then the Content-Type
    parameter, then an XML declaration or HTML <meta> in the first 2 KB,
    then charset-normalizer's guess for textual types."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name
    if _known(declared):
        return declared
    head = content[:2048]
    xml = _XML_ENCODING.match(head)
    if xml and _known(xml.group(1).decode("ascii").lower()):
        return xml.group(1).decode("ascii").lower()
    if mime in ("text/html", "application/xhtml+xml") or (mime in (None, "text/plain") and _HTML_START.match(head)):
        meta = _META_CHARSET.search(head)
        if meta:
            label = meta.group(1).decode("ascii").lower()
            # a <meta> readable as ASCII cannot truly be UTF-16 (WHATWG)
            label = "utf-8" if label.startswith("utf-16") else label
            if _known(label):
                return label
    if not content or not _is_textual(mime):
        return None
    guess = from_bytes(_sample(content)).best()
    return codecs.lookup(guess.encoding).name if guess is not None else None


def _sample(content: bytes) -> bytes:
    """The start of the content, enough to guess from: guessing over all of
    a 10 MB page costs far more and says no more."""
    if len(content) <= _GUESS_BYTES:
        return content
    head = content[:_GUESS_BYTES]
    # end before the last UTF-8 lead byte if the tail is a (maybe cut)
    # multi-byte sequence: a cut character counts against the right guess
    for back in range(1, 5):
        byte = head[-back]
        if byte < 0x80:
            break
        if byte >= 0xC0:
            return head[:-back]
    return head


def decode_text(content: bytes, charset: str | None) -> str:
    codec = _WHATWG.get(charset, charset) if charset and _known(charset) else "utf-8"
    return content.decode(codec, errors="replace").removeprefix("\ufeff")


# --- bounded body reading ----------------------------------------------------


class UndecodableContent(Exception):
    """A Content-Encoding we did not ask for, or a corrupt compressed body."""


class _Inflater:
    """gzip/deflate decoder that never produces more than _STEP bytes per
    step, so a compression bomb is stopped at the size limit instead of
    being inflated a whole network chunk (up to ~1000x) at a time."""

    def __init__(self, encoding: str):
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise UndecodableContent(f"unsupported content encoding {encoding!r}")
        # 32 + MAX_WBITS: zlib detects a gzip or zlib header itself
        self._z = zlib.decompressobj(32 + zlib.MAX_WBITS)
        # servers label raw deflate streams "deflate" as often as zlib ones
        self._may_be_raw = encoding == "deflate"
        self._members = 0
        self._done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while not self._done:
            if self._z.eof:
                data = self._z.unused_data + data
                if not data:
                    return
                # another gzip member follows the one that ended
                self._z = zlib.decompressobj(32 + zlib.MAX_WBITS)
                self._members += 1
            try:
                out = self._z.decompress(data, _STEP)
            except zlib.error as exc:
                if self._may_be_raw:
                    self._may_be_raw = False
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                if self._members:
                    # padding after a complete stream; nothing more to read
                    self._done = True
                    return
                raise UndecodableContent(f"corrupt compressed body: {exc}") from None
            self._may_be_raw = False
            data = self._z.unconsumed_tail
            if out:
                yield out
            if not data and len(out) < _STEP and not (self._z.eof and self._z.unused_data):
                return


def _decoders(content_encoding: str | None) -> list[_Inflater]:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    # listed in the order applied, so undone last-first
    return [_Inflater(c) for c in reversed(codings) if c and c != "identity"]


def _through(decoder: _Inflater, chunks: Iterable[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        yield from decoder.feed(chunk)


def _decode(decoders: list[_Inflater], raw: bytes) -> Iterable[bytes]:
    # lazily, so that nothing is inflated past the point the reader stops
    chunks: Iterable[bytes] = (raw,)
    for decoder in decoders:
        chunks = _through(decoder, chunks)
    return chunks


async def read_body(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` decoded bytes of the body, and whether there was more."""
    decoders = _decoders(response.headers.get("content-encoding"))
    body = bytearray()
    async for raw in response.aiter_raw():
        for piece in _decode(decoders, raw):
            room = limit - len(body)
            if len(piece) > room:
                body += piece[:room]
                return bytes(body), True
            body += piece
    return bytes(body), False


# --- politeness ----------------------------------------------------------------


class _Host:
    def __init__(self, concurrency: int, delay: float):
        self.slots = asyncio.Semaphore(concurrency)
        self.pacing = asyncio.Lock()
        self.delay = delay
        self.last_start = float("-inf")
        self.not_before = 0.0

    def ready_at(self) -> float:
        return max(self.last_start + self.delay, self.not_before)


async def _wait_for(host: _Host) -> None:
    # the moment can move while we sleep (a Crawl-delay learnt, a
    # Retry-After from another request), so look again after each sleep
    while (wait := host.ready_at() - time.monotonic()) > 0:
        await asyncio.sleep(wait)


class HostGate(Protocol):
    """What a Fetcher needs to be polite: a turn per request, and the pauses
    a host asks for. ``Politeness`` keeps them in this process;
    ``shared_politeness.RedisPoliteness`` shares them between processes."""

    def slow_down(self, name: str, delay: float) -> None: ...

    def hold_off(self, name: str, seconds: float) -> None: ...

    def turn(self, name: str) -> AbstractAsyncContextManager[None]: ...


class Politeness:
    """How many requests run at once, overall and per host, and how far
    apart requests to one host start."""

    def __init__(self, concurrency: int, per_host: int, delay: float):
        self._all = asyncio.Semaphore(max(1, concurrency))
        self._per_host = max(1, per_host)
        self._delay = max(0.0, delay)
        self._hosts: dict[str, _Host] = {}

    def _host(self, name: str) -> _Host:
        host = self._hosts.get(name)
        if host is None:
            host = self._hosts[name] = _Host(self._per_host, self._delay)
        return host

    def slow_down(self, name: str, delay: float) -> None:
        host = self._host(name)
        host.delay = max(host.delay, delay)

    def hold_off(self, name: str, seconds: float) -> None:
        host = self._host(name)
        host.not_before = max(host.not_before, time.monotonic() + seconds)

    @asynccontextmanager
    async def turn(self, name: str) -> AsyncIterator[None]:
        host = self._host(name)
        async with host.slots:
            # sit out the pause before taking a global slot, so a host that
            # has to wait does not hold back the others
            await _wait_for(host)
            async with self._all:
                async with host.pacing:
                    await _wait_for(host)
                    host.last_start = time.monotonic()
                yield


# --- fetching -----------------------------------------------------------------


class _BadUrl(ValueError):
    pass


def _parse_url(text: str) -> httpx.URL:
    try:
        url = httpx.URL(text.strip())
    except (httpx.InvalidURL, ValueError, TypeError, UnicodeError) as exc:
        raise _BadUrl(f"not a valid URL ({exc})") from None
    if url.scheme not in ("http", "https"):
        raise _BadUrl(f"only http and https are fetched, not {url.scheme or 'a relative URL'!r}")
    if not url.host:
        raise _BadUrl("URL has no host")
    return url


def _header_value(value: str | None) -> str | None:
    """``value`` if it can be sent as a header value as is, else None: a
    stored validator that cannot be sent is as good as none."""
    if not value or any(c in value for c in "\r\n\0"):
        return None
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return None
    return value


@dataclass
class _Exchange:
    """One request's outcome: the response head (and body when it was
    read), or an error code and a reason without the URL."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    error: str | None = None
    reason: str | None = None
    retry_after: float | None = None


@dataclass
class _Tries:
    left: int
    made: int = 0
    retried: int = 0

    @property
    def attempts(self) -> int:
        # redirect hops are not attempts: one try that was redirected
        # three times is still one try
        return 1 + self.retried if self.made else 0


class Fetcher:
    """Fetches URLs under one FetchPolicy; robots.txt files, connections and
    per-host pacing are shared by every fetch made through it. Given a
    ``politeness`` gate, pacing follows that gate instead of the policy's
    per-host settings, e.g. a RedisPoliteness shared by several workers;
    such a gate's own failure (Redis unreachable) is raised, not a result,
    since it is the crawler's setup at fault and not the URL."""

    def __init__(
        self, policy: FetchPolicy = FetchPolicy(), *, resolver: Resolver | None = None, politeness: HostGate | None = None
    ):
        self.policy = policy
        backend = PinnedBackend(AddressGuard(policy.allow), resolver)
        limits = httpx.Limits(
            max_connections=max(1, policy.concurrency), max_keepalive_connections=max(1, policy.concurrency)
        )
        # requests go straight to the transport, not through an
        # httpx.AsyncClient: redirects are followed here (each hop checked),
        # and a crawler has no use for a client's cookie jar or environment
        # proxies, which would connect on our behalf where the guard is blind
        self._transport = PinnedTransport(backend, limits=limits)
        self._timeouts = httpx.Timeout(
            connect=policy.connect_timeout,
            read=policy.read_timeout,
            write=policy.read_timeout,
            pool=policy.total_timeout,
        ).as_dict()
        # a given gate is the caller's to close: several fetchers may share it
        self._politeness: HostGate = (
            politeness
            if politeness is not None
            else Politeness(policy.concurrency, policy.per_host_concurrency, policy.per_host_delay)
        )
        self._robots = RobotsCache(self._fetch_robots)
        self._random = random.Random()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._robots.close()
        await self._transport.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """GET ``url``, following redirects, conditionally when validators
        are given. Network, HTTP, size and safety problems come back as the
        result's ``error``; they are never raised."""
        headers = {"Accept": _header_value(accept) or DEFAULT_ACCEPT}
        if etag := _header_value(etag):
            headers["If-None-Match"] = etag
        if last_modified := _header_value(last_modified):
            headers["If-Modified-Since"] = last_modified
        return await self._get(
            url, headers, limit=self.policy.max_bytes, truncate=False, check_robots=self.policy.respect_robots
        )

    async def _fetch_robots(self, url: httpx.URL) -> FetchResult:
        return await self._get(
            str(url), {"Accept": "text/plain,*/*;q=0.5"}, limit=MAX_ROBOTS_BYTES, truncate=True, check_robots=False
        )

    async def _get(
        self, url: str, headers: dict[str, str], *, limit: int, truncate: bool, check_robots: bool
    ) -> FetchResult:
        started = time.monotonic()
        result = FetchResult(url=url, final_url=url)
        try:
            target = _parse_url(url)
        except _BadUrl as exc:
            return self._finish(result, started, headers, _Exchange(error="bad-url", reason=str(exc)))
        visited = {str(target.copy_with(fragment=None))}
        tries = _Tries(left=max(0, self.policy.retries))
        while True:
            result.final_url = str(target)
            refusal = await self._robots_refusal(target) if check_robots else None
            if refusal is not None:
                return self._finish(result, started, headers, refusal)
            exchange = await self._with_retries(target, headers, limit, truncate, tries)
            result.attempts = tries.attempts
            location = exchange.headers.get("location")
            if exchange.error or exchange.status not in _REDIRECTS or not location:
                return self._finish(result, started, headers, exchange)
            try:
                following = self._redirect_target(target, location, visited, len(result.redirects))
            except _RedirectRefused as exc:
                return self._finish(result, started, headers, exc.exchange)
            result.redirects.append(str(following))
            visited.add(str(following.copy_with(fragment=None)))
            target = following

    def _redirect_target(self, current: httpx.URL, location: str, visited: set[str], followed: int) -> httpx.URL:
        try:
            following = _parse_url(str(current.join(location.strip())))
        except (_BadUrl, httpx.InvalidURL, ValueError, UnicodeError) as exc:
            raise _RedirectRefused("bad-url", f"redirect to {location!r}: {exc}") from None
        if (following.scheme, following.host, following.port) != (current.scheme, current.host, current.port):
            # credentials given for one site are not sent on to another
            following = following.copy_with(username=None, password=None)
        if str(following.copy_with(fragment=None)) in visited:
            raise _RedirectRefused("redirect-loop", f"redirect loop back to {following}")
        if followed >= self.policy.max_redirects:
            raise _RedirectRefused("too-many-redirects", f"more than {self.policy.max_redirects} redirects")
        return following

    async def _robots_refusal(self, target: httpx.URL) -> _Exchange | None:
        rules = await self._robots.rules_for(target)
        if rules is None:
            return None
        delay = rules.crawl_delay(self.policy.user_agent)
        if delay:
            # capped like Retry-After: a Crawl-delay of hours would stall
            # the whole cycle on one host
            self._politeness.slow_down(target.host, min(delay, self.policy.max_retry_after))
        if rules.allows(str(target), self.policy.user_agent):
            return None
        return _Exchange(error=rules.error, reason=rules.note)

    async def _with_retries(
        self, target: httpx.URL, headers: dict[str, str], limit: int, truncate: bool, tries: _Tries
    ) -> _Exchange:
        while True:
            tries.made += 1
            exchange = await self._exchange(target, headers, limit, truncate)
            if exchange.error is None and exchange.status in (429, 503):
                wait = exchange.retry_after = parse_retry_after(exchange.headers.get("retry-after"))
                if wait is not None and wait > self.policy.max_retry_after:
                    exchange.error = "retry-after-too-long"
                    exchange.reason = (
                        f"HTTP {exchange.status}, Retry-After {wait:g}s is longer than {self.policy.max_retry_after:g}s"
                    )
                    return exchange
                if wait is not None:
                    # the host asked everyone to wait, not only this request
                    self._politeness.hold_off(target.host, wait)
            if tries.left <= 0 or not _retryable(exchange):
                return exchange
            tries.left -= 1
            tries.retried += 1
            wait = exchange.retry_after
            await asyncio.sleep(wait if wait is not None else self._backoff(tries.retried))

    def _backoff(self, attempt: int) -> float:
        ceiling = self.policy.backoff * 2 ** (attempt - 1)
        # "equal jitter": at least half the ceiling, so retries do back off,
        # and spread so that many clients do not retry in lockstep
        return min(self.policy.max_retry_after, ceiling / 2 + self._random.uniform(0, ceiling / 2))

    async def _exchange(self, target: httpx.URL, headers: dict[str, str], limit: int, truncate: bool) -> _Exchange:
        async with self._politeness.turn(target.host):
            try:
                async with asyncio.timeout(self.policy.total_timeout):
                    return await self._send(target, headers, limit, truncate)
            except TimeoutError:
                return _Exchange(error="timeout", reason=f"no complete response within {self.policy.total_timeout:g}s")
            except RefusedAddress as exc:
                return _Exchange(error="refused-address", reason=f"refused: {exc.reason}")
            except httpx.ConnectTimeout:
                return _Exchange(error="timeout", reason=f"no connection within {self.policy.connect_timeout:g}s")
            except httpx.TimeoutException:
                return _Exchange(error="timeout", reason=f"server silent for {self.policy.read_timeout:g}s")
            except httpx.ConnectError as exc:
                return _Exchange(error="connect", reason=f"cannot connect: {exc}")
            except httpx.NetworkError as exc:
                return _Exchange(error="network", reason=f"connection failed: {exc}")
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                return _Exchange(error="bad-url", reason=str(exc))
            except (httpx.ProtocolError, httpx.DecodingError, UndecodableContent) as exc:
                return _Exchange(error="protocol", reason=f"broken response: {exc}")

    async def _send(self, target: httpx.URL, headers: dict[str, str], limit: int, truncate: bool) -> _Exchange:
        request = httpx.Request(
            "GET", target, headers=self._headers(target, headers), extensions={"timeout": self._timeouts}
        )
        response = await self._transport.handle_async_request(request)
        response.request = request
        try:
            head = {name.lower(): value for name, value in response.headers.items()}
            exchange = _Exchange(status=response.status_code, headers=head)
            if not 200 <= response.status_code < 300:
                return exchange
            length = exchange.headers.get("content-length", "")
            if not truncate and length.isdigit() and int(length) > limit:
                exchange.error = "too-large"
                exchange.reason = f"Content-Length {length} exceeds the {limit}-byte limit"
                return exchange
            exchange.content, cut = await read_body(response, limit)
            if cut and not truncate:
                exchange.content = b""
                exchange.error = "too-large"
                exchange.reason = f"body exceeds the {limit}-byte limit"
            return exchange
        finally:
            await response.aclose()

    def _headers(self, target: httpx.URL, headers: Mapping[str, str]) -> dict[str, str]:
        sent = {"User-Agent": self.policy.user_agent, "Accept-Encoding": ACCEPT_ENCODING, **headers}
        if target.username or target.password:
            # credentials in a feed URL are how some private feeds are read
            pair = f"{target.username}:{target.password}".encode()
            sent["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        return sent

    def _finish(self, result: FetchResult, started: float, sent: Mapping[str, str], exchange: _Exchange) -> FetchResult:
        status = exchange.status
        result.status = status
        result.headers = exchange.headers
        result.retry_after = exchange.retry_after
        result.error = exchange.error
        reason = exchange.reason
        if result.error is None and status is not None and status != 304 and not 200 <= status < 300:
            result.error, reason = f"http-{status}", f"HTTP {status}"
        result.elapsed = time.monotonic() - started
        if result.error is not None:
            result.detail = f"{result.final_url}: {reason or result.error}"
            return result
        headers = exchange.headers
        result.not_modified = status == 304
        result.content = exchange.content
        result.content_type, declared = split_content_type(headers.get("content-type"))
        result.charset = detect_charset(result.content, result.content_type, declared)
        result.max_age = max_age(headers)
        if keeps_validators(headers):
            # a 304 need not repeat the validators it confirmed
            result.etag = headers.get("etag") or (sent.get("If-None-Match") if result.not_modified else None)
            result.last_modified = headers.get("last-modified") or (
                sent.get("If-Modified-Since") if result.not_modified else None
            )
        return result


class _RedirectRefused(Exception):
    def __init__(self, error: str, reason: str):
        super().__init__(reason)
        self.exchange = _Exchange(error=error, reason=reason)


def _retryable(exchange: _Exchange) -> bool:
    if exchange.error is not None:
        return exchange.error in _RETRIED_ERRORS
    return exchange.status == 429 or (exchange.status is not None and 500 <= exchange.status <= 599)
