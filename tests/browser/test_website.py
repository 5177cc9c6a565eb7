"""The website in a real browser: `topicwire serve` over the crawled
newswire (hostile article included), driven by headless Chromium.

Every page is checked for what a reader sees (text rendered on screen, a
screenshot taken), that its links lead somewhere, and that none of the
injected script ran: the hostile fixture would set ``window.__pwned`` or
open a dialog if it did.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from browser_fixtures import chromium  # noqa: F401 - fixture
from sqlalchemy import select

from topicwire.config import load_project
from topicwire.store import Store
from topicwire.store.entities import list_entities
from topicwire.store.queries import list_stories, topic_by_key
from topicwire.store.schema import articles

TOPICWIRE = str(Path(sys.executable).parent / "topicwire")
HOSTILE_TITLE_START = "Marrowind Devices reveals"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
# a record file as a user (or another system) might import it: markup where
# text belongs, in every field a page shows
IMPORTED_TITLE = f"Quillon Labs ships {PAYLOAD} a safety benchmark {IMG_PAYLOAD}"
IMPORTED = f"""---
title: {json.dumps(IMPORTED_TITLE)}
excerpt: {json.dumps(f"The benchmark {IMG_PAYLOAD} scores refusals. {PAYLOAD} <b><i>unclosed")}
publishedDateTime: 2026-11-20T10:00:00Z
webUrl: "https://quillon.example/news/safety-benchmark?x=%22%3E%3Cscript%3Ewindow.__pwned=1%3C/script%3E"
type: article
provider:
  name: {json.dumps("Quillon <script>window.__pwned=1</script> News")}
  domain: quillon.example
topics:
  - AI Ethics
  - AI
---
"""


@pytest.fixture(scope="module")
def server(crawled_project, tmp_path_factory):
    """`topicwire serve` in its own process over a copy of the crawled
    project, with a hostile record imported and forced onto the wire."""
    from newswire.project import topicwire

    folder = tmp_path_factory.mktemp("browser") / "wire"
    settings = str(crawled_project.copy(folder))
    (folder / "imported").mkdir()
    (folder / "imported" / "hostile.md").write_text(IMPORTED, encoding="utf-8")
    topicwire("import", str(folder / "imported"), "--config", settings)
    store = Store(load_project(settings).database_url)
    with store.connect() as conn:
        imported = conn.execute(select(articles.c.id).where(articles.c.web_url.startswith("https://quillon.example/"))).scalar_one()
    store.close()
    topicwire("editor", "publish", imported, "--config", settings)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "TOPICWIRE_EDITOR_TOKEN"}
    process = subprocess.Popen(
        [TOPICWIRE, "serve", "--port", str(port), "--config", str(folder / "topicwire.yaml")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/healthz", timeout=2)
            break
        except httpx.TransportError:
            assert process.poll() is None and time.monotonic() < deadline, "topicwire serve did not come up"
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=15)


@pytest.fixture(scope="module")
def wire(crawled_project):
    store = crawled_project.open_store()
    yield store
    store.close()


class Reader:
    """A browser tab that records anything a hostile page could make it do."""

    def __init__(self, page, base: str, shots: Path):
        self.page, self.base, self.shots = page, base, shots
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str, *, status: int = 200):
        response = self.page.goto(urljoin(self.base, path))
        assert response is not None and response.status == status, path
        return response

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5000
        return path

    def assert_unharmed(self) -> None:
        assert self.page.evaluate("typeof window.__pwned") == "undefined"
        assert self.dialogs == [] and self.errors == []


@pytest.fixture
def reader(chromium, server, tmp_path):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    you = Reader(page, server, tmp_path)
    yield you
    you.assert_unharmed()
    context.close()


def visible_text(page) -> str:
    return page.inner_text("body")


def test_home_shows_the_hottest_stories_with_their_images(reader, wire):
    with wire.connect() as conn:
        cards, _ = list_stories(conn, limit=3)
    reader.open("/")
    text = visible_text(reader.page)
    assert "Top stories" in text
    for card in cards:
        assert card.headline in text
    # the lead images come from the local cache and actually load (those
    # further down load lazily, when scrolled to)
    reader.page.wait_for_load_state("networkidle")
    loaded = reader.page.eval_on_selector_all(
        "main img", "imgs => imgs.map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])"
    )
    assert loaded and all(src.startswith("/images/") for src, _ in loaded)
    assert loaded[0][1], "the first lead image did not load"
    for landmark in ("header", "nav", "main", "footer"):
        assert reader.page.locator(landmark).count() >= 1, landmark
    assert reader.page.eval_on_selector_all("img", "imgs => imgs.filter(i => !i.alt).length") == 0
    reader.shot("home")


def test_topic_page_has_its_stories_and_heat_chart(reader, wire):
    with wire.connect() as conn:
        topic_id, name = topic_by_key(conn, "AI Hardware")
        cards, _ = list_stories(conn, topic_id=topic_id, limit=1)
    reader.open("/topics/")
    reader.page.get_by_role("link", name=name, exact=True).first.click()
    reader.page.wait_for_url(f"**/topics/{topic_id}/")
    assert reader.page.locator("svg[role=img]").is_visible()
    assert cards[0].headline in visible_text(reader.page)
    reader.shot("topic")


def test_company_pages_show_overview_heat_stories_and_who_is_named_alongside(reader, wire):
    with wire.connect() as conn:
        cards, _ = list_entities(conn, "organization", limit=1, mentioned_only=True)
    hottest = cards[0]
    reader.open("/")
    reader.page.get_by_role("link", name="Companies", exact=True).click()
    reader.page.wait_for_url("**/companies/")
    reader.page.get_by_role("link", name=hottest.name, exact=True).first.click()
    reader.page.wait_for_url(f"**/companies/{hottest.id}/")
    assert reader.page.locator("h1").inner_text() == hottest.name
    text = visible_text(reader.page)
    assert hottest.record["overview"] in text and "Stories, hottest first" in text
    assert reader.page.locator("svg[role=img]").is_visible()
    # the stories and the companies named alongside lead to pages that exist
    local = [h for h in reader.page.eval_on_selector_all("main a[href^='/']", "as => as.map(a => a.getAttribute('href'))")]
    assert any(h.startswith("/stories/") for h in local) and any(h.startswith("/companies/") for h in local)
    for href in local:
        assert reader.page.request.get(urljoin(reader.base, href)).status == 200, href
    reader.shot("company")


def test_story_page_lists_all_coverage_and_links_work(reader, wire):
    with wire.connect() as conn:
        cards, _ = list_stories(conn, limit=20)
    story = max(cards, key=lambda c: c.articles)
    reader.open(f"/stories/{story.id}/")
    text = visible_text(reader.page)
    assert story.headline in text
    for provider in story.providers:
        assert provider in text
    hrefs = reader.page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    local = sorted({h for h in hrefs if h.startswith("/")})
    assert sum(h.startswith("/articles/") for h in local) >= story.articles
    for href in local:
        assert reader.page.request.get(urljoin(reader.base, href)).status == 200, href
    # links out go to the publishers' pages over http(s) only
    assert all(urlsplit(h).scheme in ("http", "https") for h in hrefs if not h.startswith(("/", "#")))
    reader.shot("story")


def test_article_page_shows_the_excerpt_provider_and_related(reader, wire):
    with wire.connect() as conn:
        row = conn.execute(
            # the hottest (heat decays with the clock, so no threshold)
            select(articles.c.id, articles.c.record).where(articles.c.published.is_(True))
            .order_by(articles.c.heat.desc(), articles.c.id)
        ).first()
    record = row.record
    reader.open(f"/articles/{row.id}/")
    text = visible_text(reader.page)
    assert record["title"] in text and record["provider"]["name"] in text
    assert record["excerpt"][:60] in text
    out = reader.page.locator(f'a[href="{record["webUrl"]}"]').first
    assert "noopener" in out.get_attribute("rel")
    reader.shot("article")


def test_hostile_articles_are_shown_as_text_and_run_nothing(reader, wire):
    with wire.connect() as conn:
        crawled = conn.execute(
            select(articles.c.id).where(articles.c.title.startswith(HOSTILE_TITLE_START))
        ).scalar_one()
    # the crawler already dropped the markup from the crawled page's title
    reader.open(f"/articles/{crawled}/")
    assert reader.page.inner_text("h1") == "Marrowind Devices reveals accelerator roadmap"
    reader.assert_unharmed()
    # the imported record keeps it: it must read as text, and do nothing
    reader.open("/search/?q=Quillon+safety+benchmark")
    reader.page.locator("main a[href^='/articles/']", has_text="a safety benchmark").first.click()
    reader.page.wait_for_url("**/articles/*/")
    assert reader.page.inner_text("h1") == IMPORTED_TITLE
    text = visible_text(reader.page)
    assert "<b><i>unclosed" in text and "Quillon <script>window.__pwned=1</script> News" in text
    assert reader.page.locator("script").count() == 0
    assert reader.page.locator("[onerror]").count() == 0
    reader.assert_unharmed()
    reader.shot("hostile")
    reader.open("/")
    reader.open("/topics/")
    reader.assert_unharmed()


def test_search_form_finds_articles_and_the_hostile_one_stays_inert(reader):
    reader.open("/search/")
    box = reader.page.get_by_role("searchbox").or_(reader.page.locator("input[name=q]")).first
    box.fill("Marrowind roadmap")
    box.press("Enter")
    reader.page.wait_for_url("**/search/?q=*")
    results = reader.page.locator("main a[href^='/articles/']")
    assert results.count() >= 1
    assert HOSTILE_TITLE_START in visible_text(reader.page)
    reader.assert_unharmed()
    results.first.click()
    reader.page.wait_for_url("**/articles/*/")
    reader.shot("search-result")


def test_dark_mode_and_a_phone_screen(chromium, server, tmp_path):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark", is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        red, green, blue = (int(v) for v in background[background.index("(") + 1 : -1].split(",")[:3])
        assert red + green + blue < 3 * 80, background
        # nothing wider than the screen: no sideways scrolling on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "phone-dark.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_pass_the_axe_accessibility_rules(chromium, server, wire, scheme):
    """axe-core (shipped inside axe-playwright-python) checks landmarks, alt
    text, labels, heading order and colour contrast of the rendered pages,
    in the light and the dark colour scheme."""
    from axe_playwright_python.sync_playwright import Axe

    with wire.connect() as conn:
        (story,), _ = list_stories(conn, limit=1)
        topic_id, _name = topic_by_key(conn, "AI")
        (company,), _ = list_entities(conn, "organization", limit=1, mentioned_only=True)
    paths = ["/", "/topics/", f"/topics/{topic_id}/", f"/stories/{story.id}/",
             f"/articles/{story.representative_id}/", "/providers/", "/search/?q=robots",
             "/companies/", f"/companies/{company.id}/", "/people/"]
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    found = {}
    try:
        for path in paths:
            page.goto(server + path)
            violations = Axe().run(page).response["violations"]
            found[path] = [(v["id"], v["impact"], len(v["nodes"])) for v in violations]
    finally:
        context.close()
    assert found == {path: [] for path in paths}
