"""The website served live: the same pages as the static site, search with
results, redirects to the canonical address, HTML 404s, and the API's
headers on every page."""

from __future__ import annotations

from lxml import etree
from serve_fixtures import api, wire_store  # noqa: F401 - fixtures
from sqlalchemy import select

from topicwire.store.queries import NewsFilter, list_stories, news_page
from topicwire.store.schema import topics


def well_formed(html: str) -> etree._Element:
    body = html.split("\n", 1)[1] if html.startswith("<!DOCTYPE") else html
    return etree.fromstring(body.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))


def test_home_shows_the_hottest_story_with_the_security_headers(api, wire_store):
    with wire_store.connect() as conn:
        (hottest,), _ = list_stories(conn, limit=1)
    response = api.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["etag"] and "max-age" in response.headers["cache-control"]
    well_formed(response.text)
    assert hottest.headline.replace("'", "&#39;") in response.text or hottest.headline in response.text
    again = api.get("/", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_every_kind_of_page_renders(api, wire_store):
    with wire_store.connect() as conn:
        topic_id = conn.execute(select(topics.c.id).where(topics.c.name == "AI")).scalar_one()
        (story,), _ = list_stories(conn, limit=1)
        article = news_page(conn, NewsFilter(), limit=1).articles[0]
    for path in ("/topics/", f"/topics/{topic_id}/", f"/stories/{story.id}/", f"/articles/{article.id}/",
                 "/providers/", "/search/"):
        response = api.get(path)
        assert response.status_code == 200, path
        well_formed(response.text)
    assert article.title.split()[0] in api.get(f"/articles/{article.id}/").text
    css = api.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_search_page_lists_results_ranked(api):
    response = api.get("/search/", params={"q": "strawberries"})
    assert response.status_code == 200
    page = well_formed(response.text)
    links = [a.get("href") for a in page.iter("{http://www.w3.org/1999/xhtml}a", "a")]
    assert any(href and href.startswith("/articles/") for href in links)
    assert "strawberr" in response.text.lower()
    assert api.get("/search/", params={"q": "!!!"}).status_code == 200


def test_addresses_without_the_slash_redirect_and_unknown_pages_are_html_404s(api):
    response = api.get("/topics", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == "/topics/"
    missing = api.get("/stories/no-such-story/")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    well_formed(missing.text)
    assert api.get("/no/such/page").status_code == 404
    # under /api a miss stays JSON
    api_miss = api.get("/api/no-such-thing")
    assert api_miss.status_code == 404 and api_miss.headers["content-type"].startswith("application/json")
    assert api.get("/static/other.css").status_code == 404
