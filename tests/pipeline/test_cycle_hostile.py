"""One crawl cycle over every kind of hostile input the issue names, mixed
with two good feeds: XML entity bombs, deeply nested markup (XML, JSON,
HTML), a 200 MB response (declared and streamed), invalid UTF-8, gzip
bombs, an image decompression bomb, feeds and sitemaps that point at each
other in a loop, and pages whose metadata used to crash the extractor.

Each trap must end with a recorded reason (the fetch state's last error,
the run's summary) or be read safely, in bounded time and memory, while
the good feeds' articles are stored exactly as a cycle over them alone
stores them. The cycle runs in a child process (hostile_crawl.py) so that
its resident memory is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.httpserver import Reply, TestServer

# Bounds. Measured on a 2-core machine: the hostile cycle takes ~6 s and
# its resident memory peaks ~140 MB above the level after the control cycle
# (the same cycle without the traps: ~55 MB; the four bodies cut at the
# 10 MiB limit ~50 MB more, the 100,000-deep page and JSON ~40 MB each,
# not all at once). Reading one 200 MB trap whole would take 400 MB (the
# body and its copy); waiting for a trap's 30 s time-out would take longer
# than the time bound allows for the rest.
MAX_SECONDS = 60
MAX_GROWTH_MB = 256
GOOD = ["/medsignal/index.rdf", "/roboreport/atom03.xml"]

PROSE = [
    "The tide gauge on the north pier has reported readings a metre too high since the storm last week.",
    "Harbour engineers traced the fault to a cable that took in water and now confuses the sensor.",
    "A replacement gauge arrives on Thursday; until then the harbour office publishes manual readings.",
    "Boat owners were asked to check the printed tables at the office before leaving at low water.",
]


def _page(title: str, head: str = "", body_extra: bytes = b"", charset: str = "utf-8") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}"><title>{title}</title>{head}</head>'
            f"<body><article><h1>{title}</h1>").encode() + body_extra + (paragraphs + "</article></body></html>").encode()


def _rss(title: str, links: list[str], extra: bytes = b"") -> bytes:
    items = "".join(f"<item><title>Item {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://hostile.example/</link><description>x</description>{items}").encode() + extra + (
            b"</channel></rss>")


def hostile_routes(h: str, newswire_base: str) -> dict[str, Reply]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    rss = {"Content-Type": "application/rss+xml; charset=utf-8"}
    json_type = {"Content-Type": "application/feed+json"}
    deep = 100_000
    return {
        # invalid UTF-8 in a feed that says UTF-8, pointing at pages that say so too
        "/bad-utf8.xml": Reply(body=_rss("Gauge \xff news", [f"{h}/bad-utf8.html", f"{h}/bomb-image.html",
                                                             f"{h}/hostile-head.html", f"{h}/far-future.html"],
                                         extra=b"<item><title>Tide \xc0\xaf \xed\xa0\x80 gauge</title>"
                                               b"<link>" + f"{h}/bad-utf8.html".encode() + b"</link></item>"),
                               headers=rss),
        "/bad-utf8.html": Reply(body=_page("Tide gauge reads high", body_extra=b"<p>Bad bytes \xff\xfe \xc3\x28 "
                                           b"\xed\xa0\x80 \xf8\x88\x80\x80\x80 in the first line.</p>"), headers=html),
        # a lead image that declares 30000 x 30000 pixels
        "/bomb-image.html": Reply(body=_page("Crane photo too big", head=f'<meta property="og:image" '
                                             f'content="{newswire_base}/trap/bomb.png">'), headers=html),
        # addresses in the head that crashed the extractor (see tests/fuzz/test_props_extract.py)
        "/hostile-head.html": Reply(body=_page("Pier cable replaced", head='<base href="http://[x">'
                                               '<link rel="canonical" href="http://[x"><meta property="og:url" '
                                               'content="http://[x"><link rel="icon" href="http://a.example/x y">'),
                                    headers=html),
        # dates at the end of time: in UTC they overflow
        "/far-future.html": Reply(body=_page("Gauge schedule", head='<meta property="article:published_time" '
                                             'content="9999-12-31T23:59:59-05:00"><meta property='
                                             '"article:modified_time" content="9999-12-31T23:59:59Z">'), headers=html),
        # two feeds listing each other
        "/loop-a.xml": Reply(body=_rss("Loop A", [f"{h}/loop-b.xml"]), headers=rss),
        "/loop-b.xml": Reply(body=_rss("Loop B", [f"{h}/loop-a.xml"]), headers=rss),
        # nesting far past what the parsers accept
        "/deep.xml": Reply(body=_rss("Deep", [f"{h}/bad-utf8.html"], extra=b"<x>" * deep + b"</x>" * deep),
                           headers=rss),
        "/deep.json": Reply(body=b'{"version": "https://jsonfeed.org/version/1.1", "items": ['
                            + b"[" * deep + b"]" * deep + b"]}", headers=json_type),
        # a JSON escape that is a lone surrogate: it crashed the cycle's URL normalisation
        "/surrogate.json": Reply(body=b'{"version": "https://jsonfeed.org/version/1.1", "items": ['
                                 b'{"url": "' + h.encode() + b'/\\ud800"}, {"url": "' + h.encode()
                                 + b'/json-item.html"}]}', headers=json_type),
        "/json-item.html": Reply(body=_page("Harbour office opens late"), headers=html),
    }


def run_hostile_crawl(newswire, tmp_path: Path, server: TestServer, databases) -> dict:
    b, h = newswire.base_url, f"http://127.0.0.1:{server.port}"
    hostile = [
        {"url": f"{b}/trap/xml-bomb.xml", "kind": "rss"},             # billion laughs
        {"url": f"{b}/trap/external-entity.xml", "kind": "rss"},      # XXE
        {"url": f"{b}/trap/gzip-bomb?as=feed", "kind": "rss"},        # ~200 KB inflating to 200 MB
        {"url": f"{b}/trap/huge?chunked=1&as=feed", "kind": "rss"},   # 200 MB, no Content-Length
        {"url": f"{b}/trap/loop-a.xml", "kind": "sitemap"},           # sitemap indexes pointing at each other
        {"url": f"{b}/trap/malformed.xml", "kind": "rss"},            # recoverable
        {"url": f"{b}/trap/huge", "kind": "page"},                    # 200 MB, Content-Length says so
        {"url": f"{b}/trap/huge?chunked=1", "kind": "page"},          # 200 MB streamed
        {"url": f"{b}/trap/gzip-bomb", "kind": "page"},
        {"url": f"{b}/trap/deep.html", "kind": "page"},               # 100,000 nested <div>
        {"url": f"{b}/trap/latin1.html", "kind": "page"},
        {"url": f"{b}/trap/redirect-loop", "kind": "page"},
        {"url": f"{h}/bad-utf8.xml", "kind": "rss"},
        {"url": f"{h}/loop-a.xml", "kind": "rss"},
        {"url": f"{h}/loop-b.xml", "kind": "rss"},
        {"url": f"{h}/deep.xml", "kind": "rss"},
        {"url": f"{h}/deep.json", "kind": "jsonfeed"},
        {"url": f"{h}/surrogate.json", "kind": "jsonfeed"},
    ]
    spec = {
        "good": [{"url": b + path, "kind": "rss" if path.endswith(".rdf") else "atom"} for path in GOOD],
        "hostile": hostile,
        "allow": [f"127.0.0.1:{newswire.port}", server.allow],
        "root": str(tmp_path),
        "databases": {name: databases.new(tmp_path, name) for name in ("control", "hostile")},
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    child = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("hostile_crawl.py")), "spec.json", "result.json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    for url in spec["databases"].values():
        databases.drop(url)
    return json.loads((tmp_path / "result.json").read_text())


@pytest.fixture(scope="module")
def crawl(newswire, tmp_path_factory, databases):
    server = TestServer()
    server.routes.update(hostile_routes(f"http://127.0.0.1:{server.port}", newswire.base_url))
    before = len(newswire.requests("/trap/loop-"))
    try:
        result = run_hostile_crawl(newswire, tmp_path_factory.mktemp("hostile"), server, databases)
        result["newswire_loop_requests"] = [r["path"] for r in newswire.requests("/trap/loop-")[before:]]
        result["server_requests"] = [r.path for r in server.requests]
        yield result
    finally:
        server.close()


def test_the_cycle_finishes_and_stores_every_good_article(crawl):
    control, hostile = crawl["control"], crawl["hostile"]
    assert hostile["runs"] == [["done"]]
    good = {url: title for url, title, _ in control["articles"]}
    assert len(good) >= 15 and control["summary"]["feeds"]["failed"] == {}
    stored = {url: (title, quality) for url, title, quality in hostile["articles"]}
    # the rest of the cycle is unaffected: the same articles, stored and scored
    assert {url: stored[url][0] for url in good if url in stored} == good
    assert all(stored[url][1] is not None for url in good)


def test_every_trap_has_its_reason_recorded(crawl, newswire):
    b = newswire.base_url
    hostile = crawl["hostile"]
    failures, summary = hostile["failures"], hostile["summary"]
    h = next(url for url in failures if "/deep.json" in url).rsplit("/", 1)[0]
    expected = {
        f"{b}/trap/xml-bomb.xml": "entity declarations are not allowed",
        f"{b}/trap/external-entity.xml": "entity declarations are not allowed",
        f"{b}/trap/gzip-bomb?as=feed": "exceeds the 10485760-byte limit",
        f"{b}/trap/huge?chunked=1&as=feed": "exceeds the 10485760-byte limit",
        f"{b}/trap/huge": "Content-Length 209715200 exceeds",
        f"{b}/trap/huge?chunked=1": "body exceeds the 10485760-byte limit",
        f"{b}/trap/gzip-bomb": "body exceeds the 10485760-byte limit",
        f"{b}/trap/redirect-loop": "redirect loop",
        f"{h}/deep.xml": "XML nested deeper than 512 levels",
        f"{h}/deep.json": "JSON nested too deeply",
        f"{b}/trap/deep.html": "no body text found",  # parsed in bounded time; nothing readable at the bottom
    }
    for url, reason in expected.items():
        assert reason in (failures.get(url) or ""), (url, failures.get(url))
    assert summary["feeds"]["failed"] == {"parse": 4, "too-large": 2}
    skipped = summary["articles"]["skipped"]
    assert skipped.get("too-large") == 3 and skipped.get("redirect-loop") == 1 and skipped.get("extract") == 1
    # the lead image that declares 900 million pixels is refused, not decoded
    assert summary["images"]["failed"].get("not-an-image", 0) >= 1
    assert [cached for url, cached in hostile["images"] if url.endswith("/trap/bomb.png")] == [0]
    # every recorded reason is one line
    assert all("\n" not in reason for reason in failures.values())


def test_hostile_pages_are_read_safely(crawl):
    stored = {title: url for url, title, _ in crawl["hostile"]["articles"]}
    # invalid UTF-8 (in the feed and in the page) is replaced, not fatal
    assert "Tide gauge reads high" in stored
    assert stored["Tide gauge reads high"] in crawl["hostile"]["replaced"]
    # an image bomb costs the image, not the article
    assert "Crane photo too big" in stored
    # broken addresses in the head are ignored: the page keeps its fetched URL
    assert stored.get("Pier cable replaced", "").endswith("/hostile-head.html")
    # dates beyond year 9999 in UTC are left out, not fatal
    assert "Gauge schedule" in stored
    # the JSON feed's sound item is read past its broken one
    assert "Harbour office opens late" in stored
    # the recoverable feed's items and the latin-1 page are stored
    assert any("Zürcher Café" in title for title in stored)


def test_loops_are_followed_once(crawl, newswire):
    # sitemap indexes naming each other: each fetched once, then the loop is cut
    assert sorted(crawl["newswire_loop_requests"]) == ["/trap/loop-a.xml", "/trap/loop-b.xml"]
    # feeds listing each other: each fetched as a feed, and at most once more
    # when its listing is visited as an article page (and refused: not HTML)
    mine = crawl["server_requests"]
    assert 1 <= mine.count("/loop-a.xml") <= 2 and 1 <= mine.count("/loop-b.xml") <= 2
    assert newswire.canary_hits() == []


def test_time_and_memory_are_bounded(crawl):
    hostile = crawl["hostile"]
    assert hostile["seconds"] < MAX_SECONDS, hostile["seconds"]
    assert crawl["peak_reset"], "cannot reset the peak resident size (/proc/self/clear_refs)"
    growth_mb = (crawl["peak_kb"] - crawl["baseline_kb"]) / 1024
    print(f"hostile cycle: {hostile['seconds']:.1f} s, peak resident memory +{growth_mb:.0f} MB")
    assert growth_mb < MAX_GROWTH_MB, growth_mb
