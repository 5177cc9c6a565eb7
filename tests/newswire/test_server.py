"""The offline newswire serves exactly what its ground truth promises, its
feeds parse, conditional GET works and every trap misbehaves as documented."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as StdET
import zlib
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import defusedxml.ElementTree as SafeET
import httpx
import lxml.etree
import lxml.html
import pytest
import yaml
from defusedxml import EntitiesForbidden
from PIL import Image

from newswire.server import Newswire, main
from newswire.truth import trap_truth

pytestmark = pytest.mark.timeout(120)

# where each layout keeps the article text; everything else on the page is noise
CONTAINERS = {
    "circuitledger": '//div[@class="entry-content"]',
    "northwind": '//div[@class="story-body"]',
    "harbourpost": '//div[@class="story-body"]',
    "bytefront": '//div[contains(@class, "post-content")]',
    "marketpulse": '//section[@itemprop="articleBody"]',
    "medsignal": '//div[contains(@class, "field--name-body")]',
    "roboreport": '//div[contains(@class, "field--name-body")]',
    "sentinel": '//div[contains(@class, "article__body")]',
    "prwirehub": '//div[@class="release-body"]',
    "dailysyndicate": '//div[@class="syndicated-content"]',
    "insightreports": '//div[@id="report-description"]',
    "tagesnetz": '//div[@class="artikel__text"]',
}
ATOM = "{http://www.w3.org/2005/Atom}"
ATOM03 = "{http://purl.org/atom/ns#}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def client(newswire):
    with httpx.Client(timeout=10) as c:
        yield c


@pytest.fixture(scope="module")
def pages(newswire, client):
    """Every truth page fetched once and parsed."""
    fetched = {}
    for row in newswire.truth:
        response = client.get(row["url"])
        assert response.status_code == 200, row["url"]
        fetched[row["url"]] = (response, lxml.html.fromstring(response.content))
    return fetched


def _utc(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(UTC)


def _block_texts(container) -> list[str]:
    for br in container.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return [el.text_content() for el in container.iter("p", "li")]


def _meta(doc, key: str, name: str) -> str | None:
    found = doc.xpath(f'//meta[@{key}="{name}"]/@content')
    return found[0] if found else None


def _ld_articles(doc) -> list[dict]:
    found = []
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        nodes = data if isinstance(data, list) else data.get("@graph", [data])
        found += [n for n in nodes if n.get("@type") == "NewsArticle"]
    return found


# -- the ground truth -------------------------------------------------------

def test_truth_is_big_and_varied_enough(newswire):
    truth = newswire.truth
    assert len(truth) >= 150
    assert len({row["url"] for row in truth}) == len(truth)
    providers = defaultdict(set)
    for row in truth:
        if row["kind"] != "syndicated":
            providers[row["story"]].add(row["provider"]["domain"])
        assert row["publishedDateTime"].endswith("Z")
        assert row["body"] and all(isinstance(p, str) and p for p in row["body"])
    assert sum(1 for p in providers.values() if len(p) >= 3) >= 20
    declared = {row["webUrlFrom"] for row in truth}
    assert declared == {"canonical", "og:url", None}
    assert {urlsplit(row["ampWebUrl"]).path.split("/")[1] for row in truth if row["ampWebUrl"]} == {
        "northwind", "marketpulse", "harbourpost"}


def test_syndicated_copies_point_at_their_source(newswire):
    by_web = {row["webUrl"]: row for row in newswire.truth if row["kind"] != "syndicated"}
    copies = [row for row in newswire.truth if row["kind"] == "syndicated"]
    assert copies
    home = [row for row in copies if row["webUrl"] == row["duplicate_of"]]
    own = [row for row in copies if row["webUrl"].startswith("https://dailysyndicate.net/")]
    assert home and own and len(home) + len(own) == len(copies)
    for row in copies:
        assert by_web[row["duplicate_of"]]["story"] == row["story"]


# -- article pages ----------------------------------------------------------

def test_every_page_declares_what_the_truth_says(newswire, pages):
    for row in newswire.truth:
        _, doc = pages[row["url"]]
        where = row["url"]
        pid = urlsplit(row["url"]).path.split("/")[1]
        assert doc.findtext(".//title").startswith(row["title"]), where
        assert _meta(doc, "property", "og:title") == row["title"], where
        assert doc.xpath("string(//h1)").strip() == row["title"], where
        canonical = doc.xpath('//link[@rel="canonical"]/@href')
        og_url = _meta(doc, "property", "og:url")
        if row["webUrlFrom"] == "canonical":
            assert canonical == [row["webUrl"]], where
        elif row["webUrlFrom"] == "og:url":
            assert canonical == [] and og_url == row["webUrl"], where
        else:
            assert canonical == [] and og_url is None and row["webUrl"] == row["url"], where
        amp = doc.xpath('//link[@rel="amphtml"]/@href')
        assert [urljoin(row["url"], h) for h in amp] == ([row["ampWebUrl"]] if row["ampWebUrl"] else []), where
        assert _block_texts(doc.xpath(CONTAINERS[pid])[0]) == row["body"], where
        if row["image"]:
            assert _meta(doc, "property", "og:image") == row["image"]["url"], where
        assert doc.get("lang", "").split("-")[0] == row["language"], where


def test_every_page_has_a_machine_readable_date_that_agrees(newswire, pages):
    for row in newswire.truth:
        _, doc = pages[row["url"]]
        published = _utc(row["publishedDateTime"])
        signals = [_meta(doc, "property", "article:published_time"), _meta(doc, "itemprop", "datePublished"),
                   _meta(doc, "name", "date")]
        signals += doc.xpath("(//time/@datetime)[1]")
        signals += [a.get("datePublished") for a in _ld_articles(doc)]
        signals = [s for s in signals if s]
        assert signals, row["url"]
        assert all(_utc(s) == published for s in signals), row["url"]
        if row["updatedDateTime"]:
            modified = [a.get("dateModified") for a in _ld_articles(doc)] + [
                _meta(doc, "property", "article:modified_time")]
            assert all(_utc(m) == _utc(row["updatedDateTime"]) for m in modified if m), row["url"]


def test_amp_pages_point_back_to_the_canonical(newswire, client):
    for row in [r for r in newswire.truth if r["ampWebUrl"]][::7]:
        response = client.get(row["ampWebUrl"])
        assert response.status_code == 200
        assert "<html \u26a1" in response.text
        doc = lxml.html.fromstring(response.content)
        assert doc.xpath('//link[@rel="canonical"]/@href') == [row["webUrl"]]


def test_pages_carry_boilerplate_around_the_article(newswire, pages):
    for row in newswire.truth[::10]:
        _, doc = pages[row["url"]]
        texts = [p.text_content() for p in doc.iter("p")]
        assert len(texts) > len(row["body"]) + 2, row["url"]  # cookie banner, newsletter, footer...
        assert doc.xpath('//*[contains(@class, "cmp")]'), row["url"]


def test_paywall_stubs_show_a_teaser_and_a_subscribe_box(newswire, pages):
    stubs = [row for row in newswire.truth if row["kind"] == "paywall"]
    assert stubs
    for row in stubs:
        _, doc = pages[row["url"]]
        assert doc.xpath('//div[@class="subscribe-box"]'), row["url"]
        assert not any("Subscribe" in p for p in row["body"]), row["url"]


def test_charset_only_in_markup_for_the_german_site(newswire, pages):
    row = next(r for r in newswire.truth if r["language"] == "de")
    response, doc = pages[row["url"]]
    assert "charset" not in response.headers["content-type"]
    assert doc.xpath('//meta[@http-equiv="Content-Type"]')
    assert _block_texts(doc.xpath(CONTAINERS["tagesnetz"])[0]) == row["body"]


def test_home_pages_link_their_articles_and_feed(newswire, client):
    by_provider = defaultdict(list)
    for row in newswire.truth:
        by_provider[urlsplit(row["url"]).path.split("/")[1]].append(row["url"])
    for pid, urls in by_provider.items():
        response = client.get(f"{newswire.base_url}/{pid}/")
        doc = lxml.html.fromstring(response.content)
        links = {urljoin(str(response.url), h) for h in doc.xpath("//a/@href")}
        assert set(urls) <= links, pid
        assert doc.xpath('//link[@rel="alternate" or @rel="sitemap"]/@href'), pid


def test_unknown_paths_are_404_and_missing_slash_redirects(newswire, client):
    assert client.get(newswire.base_url + "/nowhere/").status_code == 404
    page = newswire.truth[0]["url"]
    response = client.get(page.rstrip("/"))
    assert response.status_code == 301 and response.headers["location"] == urlsplit(page).path
    assert client.get(page + "?utm_source=rss&utm_medium=feed").status_code == 200


def test_head_requests_send_headers_only(newswire, client):
    page = newswire.truth[0]["url"]
    full = client.get(page)
    head = client.head(page)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(full.content))


# -- feeds ------------------------------------------------------------------

def _feed_items(fmt: str, response: httpx.Response, client: httpx.Client) -> list[tuple[str, str | None]]:
    """(link, published date or None) for every item of a feed document."""
    if fmt == "jsonfeed":
        data = response.json()
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        return [(item["url"], item["date_published"]) for item in data["items"]]
    if fmt == "urllist":
        assert response.headers["content-type"].startswith("text/plain")
        return [(line, None) for line in response.text.splitlines() if line]
    root = SafeET.fromstring(response.content)
    if fmt == "rss2":
        assert root.get("version") == "2.0"
        return [(i.findtext("link"), i.findtext("pubDate")) for i in root.iter("item")]
    if fmt == "rss091":
        assert root.get("version") == "0.91" and b"-//Netscape Communications//DTD RSS 0.91//EN" in response.content
        return [(i.findtext("link"), None) for i in root.iter("item")]
    if fmt == "rss1":
        assert root.tag == f"{RDF}RDF"
        return [(i.findtext(f"{RSS1}link"), i.findtext(f"{DC}date")) for i in root.iter(f"{RSS1}item")]
    if fmt == "atom1":
        return [(e.find(f"{ATOM}link").get("href"), e.findtext(f"{ATOM}published")) for e in root.iter(f"{ATOM}entry")]
    if fmt == "atom03":
        assert root.get("version") == "0.3"
        return [(e.find(f"{ATOM03}link").get("href"), e.findtext(f"{ATOM03}issued"))
                for e in root.iter(f"{ATOM03}entry")]
    if fmt == "newssitemap":
        return [(u.findtext(f"{SM}loc"), u.findtext(f"{NEWS}news/{NEWS}publication_date"))
                for u in root.iter(f"{SM}url")]
    if fmt == "sitemap":
        return [(u.findtext(f"{SM}loc"), None) for u in root.iter(f"{SM}url")]
    if fmt == "sitemapindex":
        children = [s.findtext(f"{SM}loc") for s in root.iter(f"{SM}sitemap")]
        assert len(children) == 2
        return [item for child in children for item in _feed_items("sitemap", client.get(child), client)]
    raise AssertionError(fmt)


def _as_utc(value: str) -> datetime:
    if value[:3].isalpha():  # RFC 822
        return parsedate_to_datetime(value).astimezone(UTC)
    return _utc(value)


def test_every_feed_parses_and_lists_its_publishers_articles(newswire, client):
    opml = SafeET.fromstring(client.get(newswire.base_url + "/feeds.opml").content)
    outlines = list(opml.iter("outline"))
    assert len(outlines) == 12
    assert {o.get("format") for o in outlines} == {
        "rss2", "rss1", "rss091", "atom1", "atom03", "jsonfeed", "sitemap", "newssitemap", "sitemapindex", "urllist"}
    truth_by_url = {row["url"]: row for row in newswire.truth}
    for outline in outlines:
        response = client.get(outline.get("xmlUrl"))
        assert response.status_code == 200, outline.get("xmlUrl")
        items = _feed_items(outline.get("format"), response, client)
        links = {link.split("?")[0] for link, _ in items}
        expected = {row["url"] for row in newswire.truth if row["feed"] == outline.get("xmlUrl")}
        assert links == expected, outline.get("xmlUrl")
        for link, date in items:
            if date:
                assert _as_utc(date) == _utc(truth_by_url[link.split("?")[0]]["publishedDateTime"]), link


def test_rss_extras(newswire, client):
    northwind = client.get(newswire.base_url + "/northwind/rss.xml")
    assert "?utm_source=rss&amp;utm_medium=feed" in northwind.text
    assert northwind.headers["cache-control"] == "max-age=300"
    ledger = SafeET.fromstring(client.get(newswire.base_url + "/circuitledger/feed/").content)
    encoded = ledger.find(".//item/{http://purl.org/rss/1.0/modules/content/}encoded")
    assert encoded is not None and encoded.text.startswith("<p>")


def test_robots_opml_and_root(newswire, client):
    robots = client.get(newswire.base_url + "/robots.txt").text
    assert "Disallow: /sentinel/private/" in robots and "Disallow: /trap/robots-blocked/" in robots
    assert robots.count("Sitemap: ") == 3
    assert client.get(newswire.base_url + "/").status_code == 200


# -- conditional GET --------------------------------------------------------

@pytest.mark.parametrize("path", ["page", "/harbourpost/sitemap.xml", "/sentinel/feed.json", "/tagesnetz/"])
def test_conditional_get_answers_304(newswire, client, path):
    url = newswire.truth[3]["url"] if path == "page" else newswire.base_url + path
    first = client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": "Thu, 01 Jan 2026 00:00:00 GMT"}).status_code == 200
    # If-None-Match wins over a matching If-Modified-Since
    both = client.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": modified})
    assert both.status_code == 200


def test_insightreports_feed_expires_at_once(newswire, client):
    response = client.get(newswire.base_url + "/insightreports/sitemap_index.xml")
    assert response.headers["expires"] == "0" and response.headers["etag"]


# -- images -----------------------------------------------------------------

def test_article_images_have_their_declared_size(newswire, client):
    rows = [row for row in newswire.truth if row["image"]][::15]
    for row in rows:
        response = client.get(row["image"]["url"])
        assert response.headers["content-type"] == "image/jpeg"
        image = Image.open(io.BytesIO(response.content))
        assert image.size == (row["image"]["width"], row["image"]["height"])
    logo = Image.open(io.BytesIO(client.get(newswire.base_url + "/northwind/logo.png").content))
    assert logo.format == "PNG"


def test_image_traps(newswire, client):
    broken = client.get(newswire.base_url + "/trap/broken.jpg").content
    with pytest.raises(OSError):
        Image.open(io.BytesIO(broken)).load()
    bomb = client.get(newswire.base_url + "/trap/bomb.png")
    assert len(bomb.content) < 2000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb.content))
    fake = client.get(newswire.base_url + "/trap/not-an-image.jpg")
    assert fake.headers["content-type"] == "image/jpeg" and fake.content.startswith(b"<!DOCTYPE html>")
    huge = Image.open(io.BytesIO(client.get(newswire.base_url + "/trap/huge.jpg").content))
    assert huge.size == (6000, 4000)


# -- traps ------------------------------------------------------------------

def test_slow_does_not_block_other_requests(newswire, client):
    done = {}

    def slow():
        started = time.monotonic()
        with httpx.Client(timeout=10) as own:
            done["status"] = own.get(newswire.base_url + "/trap/slow?s=1").status_code
        done["took"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.1)
    started = time.monotonic()
    assert client.get(newswire.base_url + "/robots.txt").status_code == 200
    assert time.monotonic() - started < 0.5
    thread.join()
    assert done["status"] == 200 and done["took"] >= 1
    with pytest.raises(httpx.ReadTimeout):
        client.get(newswire.base_url + "/trap/slow?s=3", timeout=0.3)


def test_drip_beats_a_read_timeout_but_not_a_deadline(newswire, client):
    started = time.monotonic()
    response = client.get(newswire.base_url + "/trap/drip?s=1", timeout=0.5)
    assert response.status_code == 200 and time.monotonic() - started >= 0.9


def test_error_traps(newswire, client):
    base = newswire.base_url
    assert client.get(base + "/trap/500").status_code == 500
    for trap, status in (("429", 429), ("503-then-ok", 503)):
        first = client.get(f"{base}/trap/{trap}?k=test")
        assert first.status_code == status and first.headers["retry-after"] == "1"
        assert client.get(f"{base}/trap/{trap}?k=test").status_code == 200
        assert client.get(f"{base}/trap/{trap}?k=other").status_code == status


def test_redirect_traps(newswire, client):
    base = newswire.base_url
    chain = client.get(base + "/trap/redirect-chain?n=3", follow_redirects=True)
    assert chain.status_code == 200 and len(chain.history) == 3
    with pytest.raises(httpx.TooManyRedirects):
        client.get(base + "/trap/redirect-loop", follow_redirects=True)
    private = client.get(base + "/trap/redirect-private")
    assert private.status_code == 302 and private.headers["location"] == newswire.canary_url
    assert urlsplit(private.headers["location"]).port != newswire.port
    metadata = client.get(base + "/trap/redirect-metadata")
    assert metadata.headers["location"] == "http://169.254.169.254/latest/meta-data/"
    assert newswire.canary_hits() == []


def test_pdf_trap(newswire, client):
    response = client.get(newswire.base_url + "/trap/file.pdf")
    assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("query", ["", "?chunked=1"])
def test_huge_streams_lazily(newswire, client, query):
    with client.stream("GET", newswire.base_url + "/trap/huge" + query) as response:
        if query:
            assert "content-length" not in response.headers
        else:
            assert response.headers["content-length"] == str(200 * 1024 * 1024)
        got = 0
        for chunk in response.iter_raw():
            got += len(chunk)
            if got > 1024 * 1024:
                break
    assert got > 1024 * 1024


def test_gzip_bomb(newswire, client):
    with client.stream("GET", newswire.base_url + "/trap/gzip-bomb") as response:
        assert response.headers["content-encoding"] == "gzip"
        raw = b"".join(response.iter_raw())
    assert len(raw) < 400_000
    inflater = zlib.decompressobj(31)
    sample = inflater.decompress(raw[:20_000], 50 * 1024 * 1024)
    assert len(sample) > 10 * 1024 * 1024  # 20 KB in, > 10 MB out


def test_hostile_xml(newswire, client):
    base = newswire.base_url
    with pytest.raises(EntitiesForbidden):
        SafeET.fromstring(client.get(base + "/trap/xml-bomb.xml").content)
    with pytest.raises(EntitiesForbidden):
        SafeET.fromstring(client.get(base + "/trap/external-entity.xml").content)
    broken = client.get(base + "/trap/malformed.xml").content
    with pytest.raises(StdET.ParseError):
        SafeET.fromstring(broken)
    recovered = lxml.etree.fromstring(broken, lxml.etree.XMLParser(recover=True, resolve_entities=False))
    truth_urls = {row["url"] for row in newswire.truth}
    assert len([link for link in recovered.xpath("//item/link/text()") if link in truth_urls]) >= 2
    a = SafeET.fromstring(client.get(base + "/trap/loop-a.xml").content)
    b = SafeET.fromstring(client.get(base + "/trap/loop-b.xml").content)
    assert a.findtext(f"{SM}sitemap/{SM}loc") == base + "/trap/loop-b.xml"
    assert b.findtext(f"{SM}sitemap/{SM}loc") == base + "/trap/loop-a.xml"


def test_latin1_and_deep_pages(newswire, client):
    base = newswire.base_url
    latin = client.get(base + "/trap/latin1.html")
    assert latin.headers["content-type"] == "text/html"
    expected = next(t for t in trap_truth(base) if t["url"].endswith("latin1.html"))
    assert expected["title"].encode("iso-8859-1") in latin.content
    with pytest.raises(UnicodeDecodeError):
        latin.content.decode("utf-8")
    doc = lxml.html.fromstring(latin.content)
    assert [p.text_content() for p in doc.xpath('//div[@class="text"]/p')] == expected["body"]
    deep = client.get(base + "/trap/deep.html").content
    assert deep.count(b"<div>") == 100_000


def test_script_injection_trap(newswire, client):
    base = newswire.base_url
    page = client.get(base + "/trap/script-title").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page.split("</title>")[0]
    assert "<script>window.__pwned=1</script>" in page and 'href="javascript:' in page
    item = SafeET.fromstring(client.get(base + "/trap/script-title.xml").content).find(".//item")
    assert "<script>window.__pwned=1</script>" in item.findtext("title")
    assert "onerror" in item.findtext("description")


def test_robots_blocked_paths_exist_and_are_logged(newswire, client):
    assert client.get(newswire.base_url + "/trap/robots-blocked/story.html").status_code == 200
    assert client.get(newswire.base_url + "/sentinel/private/account/").status_code == 200
    assert newswire.requests("/trap/robots-blocked/")
    feed = SafeET.fromstring(client.get(newswire.base_url + "/trap/blocked-feed.xml").content)
    assert len(list(feed.iter("item"))) == 3


# -- lifecycle and command line ---------------------------------------------

def test_starts_fast_and_stops_with_a_sleeper_in_flight():
    started = time.monotonic()
    wire = Newswire()
    base = wire.start()
    assert time.monotonic() - started < 1.0

    def sleeper():
        # the answer, if any, does not matter: stop() must not wait for it
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(base + "/trap/slow", timeout=30)

    threading.Thread(target=sleeper, daemon=True).start()
    deadline = time.monotonic() + 5
    while not wire.requests("/trap/slow") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert wire.requests("/trap/slow")
    started = time.monotonic()
    wire.stop()
    assert time.monotonic() - started < 1.0


def test_cli_writes_sources_and_truth(tmp_path):
    sources, truth = tmp_path / "sources.yaml", tmp_path / "truth.jsonl"
    assert main(["--base", "http://127.0.0.1:8765", "--write-sources", str(sources), "--write-truth", str(truth)]) == 0
    entries = yaml.safe_load(sources.read_text())["sources"]
    assert len(entries) == 12 and {e["kind"] for e in entries} == {"rss", "atom", "jsonfeed", "sitemap", "urls"}
    rows = [json.loads(line) for line in truth.read_text().splitlines()]
    assert len(rows) >= 150 and rows[0]["url"].startswith("http://127.0.0.1:8765/")


def test_runs_as_a_script(tmp_path):
    script = Path(__file__).with_name("server.py")
    out = tmp_path / "truth.jsonl"
    done = subprocess.run([sys.executable, str(script), "--base", "http://127.0.0.1:9", "--write-truth", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_text().count("\n") >= 150
