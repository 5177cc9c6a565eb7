"""Hostile records on the website: titles, excerpts, provider names, image
captions and URLs written to break out of the page. Every page that shows
them must show them as text, link nowhere dangerous and still parse."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from site_checks import check_page, text_of

from topicwire.config import load_project
from topicwire.model import Article, Image, Provider, Related, article_id
from topicwire.site.pages import Site
from topicwire.site.urls import provider_slug
from topicwire.store.articles import mark_image_cached, provider_id, save_article
from topicwire.store.enrichment import TopicRow, save_enrichment, save_story
from topicwire.store.queries import cached_image_paths

SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = '<a href="javascript:alert(1)">click me</a>'
BROKEN = "<b><i>unclosed"
STORY = "st-hostile0000000001"


def hostile_articles(now: datetime) -> list[Article]:
    provider = Provider(name=f"Evil {SCRIPT} News {IMG}", domain="Evil.example/<script>:x")
    plain = Provider(name="Plain & Simple Times", domain="plain.example")
    first = Article(
        title=f"Pwned {SCRIPT} {IMG} {BROKEN} headline \x01",
        excerpt=f"Read {JS_LINK} then {SCRIPT} and {IMG} {BROKEN} & more \x0b",
        published_date_time=now - timedelta(hours=1),
        web_url='https://evil.example/a?x="><script>alert(1)</script>',
        amp_web_url="https://evil.example/amp/javascript:alert(1)'onmouseover='alert(1)",
        provider=provider,
        topics=["AI Hardware", "AI"],
        images=[
            Image(url="https://evil.example/pic.jpg?\"onerror=alert(1)", title=f'" onerror="alert(1) {SCRIPT}',
                  attribution=f"Photo {IMG}"),
            # a cache path that tries to leave the images folder is never shown
            Image(url="https://evil.example/escape.jpg", title="escape"),
        ],
    )
    second = Article(
        title=f"Second take {BROKEN}",
        excerpt="An ordinary lead.",
        published_date_time=now - timedelta(minutes=30),
        web_url="https://plain.example/second",
        provider=plain,
        topics=["AI Hardware", "AI"],
    )
    for a in (first, second):
        a.id = article_id(a.web_url)
    return [first, second]


@pytest.fixture(scope="module")
def hostile(crawled_project, tmp_path_factory):
    """A copy of the crawled store with the hostile story at the top."""
    store = crawled_project.copy_store(tmp_path_factory.mktemp("hostile"))
    images_dir = load_project(crawled_project.settings).images_dir
    now = datetime.now(timezone.utc)
    first, second = hostile_articles(now)
    with store.connect() as conn:
        # any image the crawl cached stands in for the hostile image's copy
        url = conn.exec_driver_sql("SELECT url FROM images WHERE path IS NOT NULL LIMIT 1").scalar_one()
        some = cached_image_paths(conn, [url])[url]
    with store.begin() as conn:
        for a in (first, second):
            save_article(conn, a)
        mark_image_cached(conn, first.id, 0, width=1200, height=675, path=some)
        mark_image_cached(conn, first.id, 1, width=1200, height=675, path="../../../etc/passwd")
        save_story(conn, STORY, headline=first.title, representative_id=first.id, heat=10_000,
                   first_seen=now - timedelta(hours=1), last_seen=now)
        related = Related(
            id="not-a-stored-id", title=f"Related {SCRIPT}", excerpt=IMG,
            web_url="https://evil.example/r\"onmouseover=alert(1)", provider=Provider(name=f"Rel {SCRIPT}"),
        )
        for a, other in ((first, second), (second, first)):
            save_enrichment(
                conn, a.id, topic_rows=[TopicRow("AI Hardware", 1.0, "record"), TopicRow("AI", 1.0, "record")],
                quality=90, components={}, published=True, heat=9_000, story_id=STORY, duplicate_of=None,
                related=[other.to_related().to_data(json=True), related.to_data(json=True)],
            )
    site = Site(store, name=f"Wire {SCRIPT}", site_url="https://wire.example/", images_dir=images_dir)
    yield site, first, second, some
    store.close()


def pages_of(site: Site, first: Article) -> dict[str, str]:
    slug = provider_slug(provider_id(first.provider))
    return {
        "home": site.home(),
        "topic": site.topic("ai-hardware"),
        "story": site.story(STORY),
        "article": site.article(first.id),
        "provider": site.provider(slug),
        "providers": site.providers_index(),
        "search": site.search("pwned headline"),
        "search-hostile": site.search(f"{SCRIPT} {JS_LINK}"),
    }


def test_hostile_text_is_shown_as_text_on_every_page(hostile):
    site, first, _, _ = hostile
    for name, html in pages_of(site, first).items():
        try:
            root = check_page(html)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc
        assert "<script" not in html.lower() and "<img src=x" not in html, name
        assert "<b><i>" not in html, name
        # every link is ours or http(s): "javascript:" may sit in an https
        # URL's path (harmless), never in the scheme
        for e in root.iter():
            for k, v in e.attrib.items():
                if k in ("href", "src", "action"):
                    assert re.match(r"^(/|#|https?://[^/\\])", v), (name, k, v)
                    assert not v.lower().startswith("javascript:")
        # escaped, not dropped: a reader sees what the source wrote
        if name not in ("providers", "search-hostile"):
            assert "window.__pwned=1" in text_of(root), name
        assert "\x01" not in html and "\x0b" not in html


def test_the_hostile_article_page_in_detail(hostile):
    site, first, second, cached = hostile
    root = check_page(site.article(first.id))
    assert root.find(".//h1").text == f"Pwned {SCRIPT} {IMG} {BROKEN} headline "  # no \\x01
    excerpt = text_of(root.find(".//p[@class='lead excerpt']"))
    assert JS_LINK in excerpt and SCRIPT in excerpt
    images = root.findall(".//main//img")
    assert [i.get("src") for i in images] == [f"/images/{cached}"]
    assert images[0].get("alt") == f'" onerror="alert(1) {SCRIPT}'
    assert f"Photo {IMG}" in text_of(root.find(".//figcaption"))
    out = root.find(".//p[@class='read-on']/a")
    assert out.get("href") == first.web_url and out.get("rel") == "noopener noreferrer nofollow"
    assert not [a for a in root.iter("a") if "onmouseover" in a.attrib]
    related = {a.text: a.get("href") for a in root.findall(".//section//article//h3/a")}
    assert related[second.title] == f"/articles/{second.id}/"
    # an id the store does not know links out to the source, not to a page of ours
    assert related[f"Related {SCRIPT}"] == 'https://evil.example/r"onmouseover=alert(1)'
    provider = root.find(".//main/article/p[@class='meta']/a")
    assert provider.text == first.provider.name
    assert provider.get("href") == f"/providers/{provider_slug(provider_id(first.provider))}/"
    assert provider.get("href").startswith("/providers/x-")


def test_the_hostile_story_leads_the_home_page(hostile):
    site, first, _, _ = hostile
    root = check_page(site.home())
    assert root.find(".//main//article//h3/a").text == first.title.replace("\x01", "")
    assert root.find(".//header//a[@class='brand']").text == f"Wire {SCRIPT}"
    story = check_page(site.story(STORY))
    assert [g.find("h3/a").text for g in story.findall(".//section[@class='provider-group']")] == [
        first.provider.name, "Plain & Simple Times",
    ]


def test_the_hostile_pages_are_in_the_page_list(hostile):
    site, first, second, _ = hostile
    paths = site.paths()
    slug = provider_slug(provider_id(first.provider))
    for path in (f"articles/{first.id}/index.html", f"stories/{STORY}/index.html", f"providers/{slug}/index.html"):
        assert path in paths
        check_page(site.render(path))
