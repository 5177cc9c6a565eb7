"""Fetcher against real HTTP servers on 127.0.0.1.

Public-looking host names are pointed at test addresses with a fake DNS,
so every SSRF case runs through the same code path as a real crawl.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
import tracemalloc
import zlib
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from httpserver import FakeDNS, Reply, Request, serve  # noqa: F401 - serve is a fixture

from topicwire.ingest.fetch import Fetcher, FetchPolicy, FetchResult

pytestmark = pytest.mark.timeout(20)

BASE = FetchPolicy(per_host_delay=0, backoff=0.01, connect_timeout=2, read_timeout=2, total_timeout=5)
MB = 1024 * 1024


def policy(*servers, **changes) -> FetchPolicy:
    return replace(BASE, allow=frozenset(s.allow for s in servers), **changes)


def fetch_all(urls, policy: FetchPolicy = BASE, resolver=None, **kwargs) -> list[FetchResult]:
    async def run():
        async with Fetcher(policy, resolver=resolver) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(url, **kwargs) for url in urls))

    return asyncio.run(run())


def fetch(url, policy: FetchPolicy = BASE, resolver=None, **kwargs) -> FetchResult:
    return fetch_all([url], policy, resolver, **kwargs)[0]


# Pacing is of request starts; the server sees arrivals, which a cold first
# connection (a new handler thread, a busy loop) can delay by some
# milliseconds. Without pacing the gaps would be near zero.
JITTER = 0.05


def gaps(requests: list[Request]) -> list[float]:
    times = sorted(r.at for r in requests)
    return [b - a for a, b in zip(times, times[1:], strict=False)]


# --- SSRF ---------------------------------------------------------------------

INTERNAL = [
    "127.0.0.1",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.0.10",
    "169.254.169.254",
    "100.64.0.1",
    "::1",
    "fc00::1",
    "ff02::1",
    "0.0.0.0",
    "::ffff:127.0.0.1",
]


@pytest.mark.parametrize("address", INTERNAL)
def test_names_resolving_to_internal_addresses_are_refused(address, serve):
    server = serve({"/": Reply(200, b"secret")})
    url = f"http://news.example:{server.port}/"
    result = fetch(url, policy(), FakeDNS({"news.example": [address]}))
    assert result.error == "refused-address" and not result.ok
    assert result.detail.startswith(f"{url}: refused: ")
    assert result.content == b"" and result.status is None
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://0.0.0.0:{port}/",
        "http://2130706433:{port}/",  # 127.0.0.1 as one number
        "http://0x7f.1:{port}/",
        "http://127.1:{port}/",
    ],
)
def test_ip_literals_and_their_disguises_are_refused(url, serve):
    server = serve({"/": Reply(200, b"secret")})
    result = fetch(url.format(port=server.port))
    assert result.error == "refused-address", result.detail
    assert server.requests == []


def test_loopback_is_refused_unless_allowlisted_and_only_on_that_port(serve):
    allowed = serve({"/": Reply(200, b"allowed")})
    other = serve({"/": Reply(200, b"other")})
    ok, refused = fetch_all([allowed.url("/"), other.url("/")], policy(allowed))
    assert ok.ok and ok.content == b"allowed"
    assert refused.error == "refused-address"
    assert "127.0.0.1 is a loopback address" in refused.detail
    assert other.requests == []
    assert fetch(allowed.url("/"), policy()).error == "refused-address"


def test_a_name_allow_entry_exempts_that_name_only(serve):
    server = serve({"/": Reply(200, b"local")})
    local = replace(BASE, allow=frozenset({f"localhost:{server.port}"}))
    by_name, by_address = fetch_all([server.url("/", host="localhost"), server.url("/")], local)
    assert by_name.ok and by_name.content == b"local"
    assert by_address.error == "refused-address"


def test_dns_rebinding_each_connection_resolves_once_and_is_checked(serve):
    # the server closes every connection, so each request needs a new one
    server = serve({p: Reply(200, p.encode(), {"Connection": "close"}) for p in ("/a", "/b")})
    dns = FakeDNS({"rebind.example": [["127.0.0.1"], ["10.0.0.1"]]})
    pol = policy(server, respect_robots=False)

    async def run():
        async with Fetcher(pol, resolver=dns) as fetcher:
            first = await fetcher.fetch(f"http://rebind.example:{server.port}/a")
            calls_after_first = len(dns.calls)
            second = await fetcher.fetch(f"http://rebind.example:{server.port}/b")
            return first, calls_after_first, second

    first, calls_after_first, second = asyncio.run(run())
    # rebind.example exists nowhere but in the fake DNS: the request got
    # through only because the socket went to the address that was checked
    assert first.ok and first.content == b"/a"
    assert calls_after_first == 1
    assert server.seen("/a")[0].headers["host"] == f"rebind.example:{server.port}"
    assert second.error == "refused-address" and "10.0.0.1 is a private address" in second.detail
    assert server.seen("/b") == []


def test_an_internal_address_among_public_ones_refuses_the_name(serve):
    server = serve({"/": Reply(200, b"x")})
    dns = FakeDNS({"mixed.example": ["127.0.0.1", "192.168.1.1"]})
    result = fetch(f"http://mixed.example:{server.port}/", policy(server), dns)
    assert result.error == "refused-address" and "192.168.1.1" in result.detail
    assert server.requests == []


def test_redirects_to_internal_addresses_are_refused(serve):
    other = serve({"/": Reply(200, b"internal")})
    server = serve(
        {
            "/by-name": Reply(302, headers={"Location": "http://intranet.example/admin"}),
            "/metadata": Reply(301, headers={"Location": "http://169.254.169.254/latest/meta-data/"}),
            "/other-port": Reply(307, headers={"Location": other.url("/")}),
        }
    )
    dns = FakeDNS({"intranet.example": ["10.0.0.5"]})
    by_name, metadata, other_port = fetch_all(
        [server.url("/by-name"), server.url("/metadata"), server.url("/other-port")], policy(server), dns
    )
    assert by_name.error == "refused-address" and "10.0.0.5" in by_name.detail
    assert by_name.redirects == ["http://intranet.example/admin"]
    assert by_name.final_url == "http://intranet.example/admin"
    assert by_name.detail.startswith("http://intranet.example/admin: refused")
    assert metadata.error == "refused-address"
    assert other_port.error == "refused-address"
    assert other.requests == []


@pytest.mark.parametrize("location", ["file:///etc/passwd", "gopher://127.0.0.1:70/", "javascript:alert(1)"])
def test_redirects_to_other_schemes_are_refused(location, serve):
    server = serve({"/": Reply(302, headers={"Location": location})})
    result = fetch(server.url("/"), policy(server))
    assert result.error == "bad-url" and location in result.detail


# --- redirects ----------------------------------------------------------------


def test_redirect_chain_is_followed_and_recorded(serve):
    server = serve(
        {
            "/a": Reply(301, headers={"Location": "b?x=1"}),
            "/b?x=1": Reply(302, headers={"Location": "/c#frag"}),
            "/c": Reply(200, b"end", {"Content-Type": "text/plain; charset=utf-8"}),
        }
    )
    result = fetch(server.url("/a"), policy(server))
    assert result.ok and result.content == b"end" and result.text() == "end"
    assert result.redirects == [server.url("/b?x=1"), server.url("/c#frag")]
    assert result.final_url == server.url("/c#frag")
    assert result.url == server.url("/a")
    assert result.attempts == 1


def test_redirect_loop_is_an_error(serve):
    server = serve({"/x": Reply(302, headers={"Location": "/y"}), "/y": Reply(302, headers={"Location": "/x"})})
    result = fetch(server.url("/x"), policy(server))
    assert result.error == "redirect-loop"
    assert result.redirects == [server.url("/y")]
    assert len(server.seen("/x")) == 1


def test_redirect_limit(serve):
    server = serve({f"/hop{i}": Reply(302, headers={"Location": f"/hop{i + 1}"}) for i in range(10)})
    result = fetch(server.url("/hop0"), policy(server, max_redirects=3))
    assert result.error == "too-many-redirects"
    assert len(result.redirects) == 3
    assert server.seen("/hop4") == []
    assert fetch(server.url("/hop7"), policy(server, max_redirects=3)).error == "http-404"


# --- robots.txt ---------------------------------------------------------------


def test_robots_disallow_and_crawl_delay(serve):
    robots = b"User-agent: *\nDisallow: /private\nCrawl-delay: 0.3\n"
    server = serve(
        {
            "/robots.txt": Reply(200, robots, {"Content-Type": "text/plain"}),
            "/private/page": Reply(200, b"no"),
            "/a": Reply(200, b"a"),
            "/b": Reply(200, b"b"),
        }
    )
    private, a, b = fetch_all([server.url(p) for p in ("/private/page", "/a", "/b")], policy(server))
    assert private.error == "robots" and private.attempts == 0
    assert private.detail == f"{server.url('/private/page')}: disallowed by robots.txt"
    assert a.ok and b.ok
    assert server.seen("/private/page") == []
    assert len(server.seen("/robots.txt")) == 1
    assert min(gaps(server.requests)) >= 0.3 - JITTER


def test_robots_rules_for_our_user_agent_apply(serve):
    robots = b"User-agent: topicwire\nDisallow: /\n\nUser-agent: *\nDisallow:\n"
    server = serve({"/robots.txt": Reply(200, robots), "/": Reply(200, b"x")})
    assert fetch(server.url("/"), policy(server)).error == "robots"
    assert fetch(server.url("/"), policy(server, user_agent="otherbot/2")).ok


def test_robots_server_error_disallows_the_host_for_the_run(serve):
    server = serve({"/robots.txt": Reply(500), "/a": Reply(200), "/b": Reply(200)})
    a, b = fetch_all([server.url("/a"), server.url("/b")], policy(server, retries=1))
    assert a.error == b.error == "robots"
    assert "unavailable" in a.detail
    assert len(server.seen("/robots.txt")) == 2  # one retry, then remembered
    assert server.seen("/a") == server.seen("/b") == []


def test_robots_not_found_allows_everything_and_is_not_refetched(serve):
    server = serve({"/a": Reply(200, b"a"), "/b": Reply(200, b"b")})
    a, b = fetch_all([server.url("/a"), server.url("/b")], policy(server))
    assert a.ok and b.ok
    assert len(server.seen("/robots.txt")) == 1


def test_robots_can_be_ignored(serve):
    server = serve({"/robots.txt": Reply(200, b"User-agent: *\nDisallow: /\n"), "/": Reply(200, b"x")})
    assert fetch(server.url("/"), policy(server, respect_robots=False)).ok
    assert server.seen("/robots.txt") == []


def test_user_agent_is_sent_on_every_request(serve):
    server = serve({"/a": Reply(301, headers={"Location": "/b"}), "/b": Reply(200)})
    assert fetch(server.url("/a"), policy(server, user_agent="testbot/9 (+https://example.org)")).ok
    assert [r.path for r in server.requests] == ["/robots.txt", "/a", "/b"]
    assert {r.headers["user-agent"] for r in server.requests} == {"testbot/9 (+https://example.org)"}


# --- retries and timeouts -------------------------------------------------------


def _sequence(*replies: Reply):
    """A route answering with each reply in turn, then the last forever."""
    served: list[Reply] = []

    def route(request: Request) -> Reply:
        reply = replies[min(len(served), len(replies) - 1)]
        served.append(reply)
        return reply

    return route


def test_429_with_retry_after_is_waited_for_then_retried(serve):
    server = serve({"/": _sequence(Reply(429, headers={"Retry-After": "1"}), Reply(200, b"ok"))})
    result = fetch(server.url("/"), policy(server, respect_robots=False))
    assert result.ok and result.content == b"ok"
    assert result.attempts == 2
    assert result.retry_after is None
    assert gaps(server.seen("/"))[0] >= 0.95


def test_a_retry_after_too_long_is_reported_not_waited_for(serve):
    server = serve({"/": Reply(503, headers={"Retry-After": "3600"})})
    result = fetch(server.url("/"), policy(server, respect_robots=False))
    assert result.error == "retry-after-too-long"
    assert result.retry_after == 3600
    assert result.attempts == 1 and result.elapsed < 1
    assert len(server.seen("/")) == 1


def test_server_errors_are_retried_then_reported(serve):
    server = serve({"/": Reply(500, b"boom")})
    result = fetch(server.url("/"), policy(server, respect_robots=False, retries=2))
    assert result.error == "http-500" and result.status == 500
    assert result.attempts == 3
    assert len(server.seen("/")) == 3
    assert result.detail == f"{server.url('/')}: HTTP 500"


def test_client_errors_are_not_retried(serve):
    server = serve({})
    result = fetch(server.url("/missing"), policy(server, respect_robots=False))
    assert result.error == "http-404" and result.attempts == 1


def test_read_timeout(serve):
    server = serve({"/": Reply(200, b"late", delay=1.5)})
    started = time.monotonic()
    result = fetch(server.url("/"), policy(server, respect_robots=False, read_timeout=0.5, retries=1))
    assert result.error == "timeout"
    assert result.attempts == 2 and len(server.seen("/")) == 2
    assert time.monotonic() - started < 2.5


def test_total_timeout_covers_a_trickling_body(serve):
    # each chunk arrives well within the read timeout; the whole never does
    body = (b"x" * 100 for _ in range(50))
    server = serve({"/": Reply(200, body, chunk_delay=0.1, send_length=False)})
    pol = policy(server, respect_robots=False, read_timeout=1, total_timeout=0.6, retries=0)
    result = fetch(server.url("/"), pol)
    assert result.error == "timeout" and "0.6s" in result.detail
    assert result.elapsed < 1.5


def test_connection_refused_and_unknown_names(serve):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = replace(BASE, allow=frozenset({f"127.0.0.1:{port}"}), retries=1)
    result = fetch(f"http://127.0.0.1:{port}/", replace(closed, respect_robots=False))
    assert result.error == "connect" and result.attempts == 2
    # found out while asking for robots.txt: still a connect error
    result = fetch(f"http://127.0.0.1:{port}/", closed)
    assert result.error == "connect" and result.attempts == 0
    gone = fetch("http://gone.example/", replace(BASE, respect_robots=False), FakeDNS({}))
    assert gone.error == "connect" and "does not resolve" in gone.detail


# --- size limits ----------------------------------------------------------------


def test_declared_length_over_the_limit_is_refused_early(serve):
    server = serve({"/": Reply(200, b"x" * (2 * MB))})
    result = fetch(server.url("/"), policy(server, max_bytes=MB))
    assert result.error == "too-large" and "Content-Length" in result.detail
    assert result.content == b""


def test_streamed_body_is_cut_at_the_limit(serve):
    chunks = [b"x" * (64 * 1024)] * 32
    server = serve({"/big": Reply(200, chunks, send_length=False), "/fits": Reply(200, b"y" * MB)})
    big, fits = fetch_all([server.url("/big"), server.url("/fits")], policy(server, max_bytes=MB))
    assert big.error == "too-large" and "exceeds" in big.detail
    assert fits.ok and len(fits.content) == MB


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MB)
    return b"".join([*(packer.compress(zeros) for _ in range(50)), packer.flush()])


def test_gzip_bomb_is_cut_off_without_inflating_it(serve, gzip_bomb):
    assert len(gzip_bomb) < MB // 4  # 50 MB of zeros
    server = serve({"/": Reply(200, gzip_bomb, {"Content-Encoding": "gzip", "Content-Type": "text/plain"})})
    tracemalloc.start()
    try:
        result = fetch(server.url("/"), policy(server, max_bytes=MB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error == "too-large"
    # inflating a whole 64 KB network read at once would take ~64 MB
    assert peak < 16 * MB


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: (z := zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)).compress(data) + z.flush()),
        ("gzip", lambda data: gzip.compress(data[:500]) + gzip.compress(data[500:])),
        ("deflate, gzip", lambda data: gzip.compress(zlib.compress(data))),
    ],
)
def test_compressed_bodies_are_decoded(encoding, pack, serve):
    text = ("Nachrichten über Nachrichten. " * 200).encode("utf-8")
    server = serve({"/": Reply(200, pack(text), {"Content-Encoding": encoding, "Content-Type": "text/plain"})})
    result = fetch(server.url("/"), policy(server))
    assert result.ok, result.detail
    assert result.content == text
    assert result.headers["content-encoding"] == encoding


def test_an_encoding_we_did_not_ask_for_is_an_error(serve):
    server = serve({"/": Reply(200, b"\x1b\x00\x00", {"Content-Encoding": "br"})})
    result = fetch(server.url("/"), policy(server))
    assert result.error == "protocol" and "br" in result.detail


# --- conditional GET and caching headers ------------------------------------------

STAMP = "Wed, 01 Jan 2025 00:00:00 GMT"


def test_conditional_get_gives_not_modified(serve):
    def page(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(200, b"<p>news</p>", {"ETag": '"v1"', "Last-Modified": STAMP, "Cache-Control": "max-age=300"})

    server = serve({"/": page})
    first = fetch(server.url("/"), policy(server))
    assert (first.etag, first.last_modified, first.max_age) == ('"v1"', STAMP, 300)
    again = fetch(server.url("/"), policy(server), etag=first.etag, last_modified=first.last_modified)
    assert again.ok and again.not_modified and again.status == 304
    assert again.content == b""
    # a 304 need not repeat its validators: the ones sent are still good
    assert (again.etag, again.last_modified) == ('"v1"', STAMP)
    sent = server.seen("/")[-1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == STAMP


@pytest.mark.parametrize(
    "headers",
    [
        {"Expires": "0"},
        {"Expires": "-1"},
        {"Expires": "Thu, 01 Jan 1970 00:00:00 GMT"},
        {"Cache-Control": "no-store"},
        {"Cache-Control": "private, no-cache"},
    ],
)
def test_validators_of_uncacheable_responses_are_dropped(headers, serve):
    server = serve({"/": Reply(200, b"x", {"ETag": '"v2"', "Last-Modified": STAMP, **headers})})
    result = fetch(server.url("/"), policy(server))
    assert result.ok
    assert result.etag is None and result.last_modified is None


def test_validators_with_a_future_expiry_are_kept(serve):
    server = serve({"/": Reply(200, b"x", {"ETag": '"v3"', "Expires": "Fri, 01 Jan 2100 00:00:00 GMT"})})
    assert fetch(server.url("/"), policy(server)).etag == '"v3"'


# --- charsets -----------------------------------------------------------------------

LATIN_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    "<title>Café</title></head><body><p>Crème brûlée \x96 déjà vu</p></body></html>"
).encode("latin-1")


def test_charset_from_meta_for_an_iso_8859_1_page(serve):
    server = serve({"/": Reply(200, LATIN_PAGE, {"Content-Type": "text/html"})})
    result = fetch(server.url("/"), policy(server))
    assert result.content_type == "text/html"
    assert result.charset == "iso-8859-1"
    # decoded as browsers do: latin-1 labels mean windows-1252
    assert "Crème brûlée – déjà vu" in result.text()


def test_charset_from_the_header_wins_over_meta(serve):
    page = '<meta charset="iso-8859-1"><p>Grüße</p>'.encode()
    server = serve({"/": Reply(200, page, {"Content-Type": 'text/html; charset="UTF-8"'})})
    result = fetch(server.url("/"), policy(server))
    assert result.charset == "utf-8" and "Grüße" in result.text()


def test_charset_from_an_xml_declaration(serve):
    feed = '<?xml version="1.0" encoding="ISO-8859-15"?><rss><title>Nouvelles €</title></rss>'.encode("iso-8859-15")
    server = serve({"/feed": Reply(200, feed, {"Content-Type": "application/rss+xml"})})
    result = fetch(server.url("/feed"), policy(server))
    assert result.charset == "iso-8859-15" and "Nouvelles €" in result.text()


def test_charset_guessed_when_undeclared_and_none_for_images(serve):
    text = "Die Bundesregierung hat am Mittwoch über die Förderung beraten; Kritiker äußerten Bedenken.".encode()
    server = serve(
        {
            "/text": Reply(200, text, {"Content-Type": "text/plain"}),
            "/image": Reply(200, b"\x89PNG\r\n\x1a\n" + bytes(64), {"Content-Type": "image/png"}),
        }
    )
    plain, image = fetch_all([server.url("/text"), server.url("/image")], policy(server))
    assert plain.charset == "utf-8" and plain.text() == text.decode()
    assert image.charset is None and image.content_type == "image/png"


# --- politeness ------------------------------------------------------------------------


def test_per_host_delay_between_request_starts(serve):
    server = serve({f"/p{i}": Reply(200, b"x") for i in range(4)})
    pol = policy(server, per_host_delay=0.3, respect_robots=False)
    dns = FakeDNS({"a.example": ["127.0.0.1"], "b.example": ["127.0.0.1"]})
    urls = [f"http://{host}:{server.port}/p{i}" for host in ("a.example", "b.example") for i in range(2)]
    results = fetch_all(urls, pol, dns)
    assert all(r.ok for r in results)
    by_host = {h: [r for r in server.requests if r.headers["host"].startswith(h)] for h in ("a.", "b.")}
    assert all(gap >= 0.3 - JITTER for requests in by_host.values() for gap in gaps(requests))
    # the delay is per host: the other host's first request did not wait
    firsts = sorted(min(r.at for r in requests) for requests in by_host.values())
    assert firsts[1] - firsts[0] < 0.2


def test_per_host_and_global_concurrency(serve):
    server = serve({f"/p{i}": Reply(200, b"x", delay=0.15) for i in range(4)})
    dns = FakeDNS({"a.example": ["127.0.0.1"], "b.example": ["127.0.0.1"]})
    urls = [f"http://{host}:{server.port}/p{i}" for host in ("a.example", "b.example") for i in range(4)]

    results = fetch_all(urls, policy(server, respect_robots=False, per_host_concurrency=2), dns)
    assert all(r.ok for r in results)
    assert set(server.peak_by_host.values()) == {2}
    assert server.peak == 4

    server.peak = 0
    results = fetch_all(urls[:2] + urls[4:6], policy(server, respect_robots=False, concurrency=1), dns)
    assert all(r.ok for r in results)
    assert server.peak == 1


# --- never raises ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["", "not a url", "ftp://example.org/", "http://", "//example.org/", "http://exa mple.org/"]
)
def test_bad_urls_are_results(url):
    result = fetch(url)
    assert result.error in ("bad-url", "connect") and result.url == url and result.detail


async def _internal(host: str, port: int) -> list[str]:
    return ["10.9.8.7"]


@pytest.fixture(scope="module")
def shared_fetcher():
    """One fetcher and loop for all hypothesis examples: every name
    resolves to an internal address, so nothing leaves the machine."""
    loop = asyncio.new_event_loop()
    fetcher = Fetcher(replace(BASE, connect_timeout=0.2, total_timeout=0.5, retries=0), resolver=_internal)
    yield loop, fetcher
    loop.run_until_complete(fetcher.aclose())
    loop.close()


_url_parts = st.tuples(
    st.sampled_from(["http://", "https://", "HTTP://", "http:", "ftp://", "//", "", "http://[", "https://user:pw@"]),
    st.text(max_size=25),
    st.sampled_from(["", ":", ":80", ":0", ":99999", ":-1", "/", "?", "#", "%", "%zz", "/\x00", ".."]),
    st.text(max_size=25),
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.one_of(st.text(max_size=60), _url_parts))
def test_random_urls_never_make_fetch_raise(url, shared_fetcher):
    loop, fetcher = shared_fetcher
    result = loop.run_until_complete(fetcher.fetch(url))
    assert isinstance(result, FetchResult)
    assert result.error is not None and result.detail
    assert result.url == url
