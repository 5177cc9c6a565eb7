"""/api/news and /api/news/{id} over the crawled newswire."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from serve_fixtures import api, client_for, project_of, walk, wire_store  # noqa: F401 - fixtures

from topicwire.model import Article, Provider, article_id
from topicwire.store.articles import save_article
from topicwire.store.enrichment import TopicRow, save_enrichment
from topicwire.store.queries import NewsFilter, list_providers, news_page


def when(item):
    return datetime.fromisoformat(item["publishedDateTime"].replace("Z", "+00:00"))


def test_default_listing_is_published_articles_newest_first_without_full_text(api, wire_store):
    body = api.get("/api/news").json()
    assert set(body) == {"page", "value", "nextPage", "total", "nextCursor"}
    assert body["page"] == 1 and body["nextPage"] == 2 and len(body["value"]) == 20 and body["nextCursor"]
    with wire_store.connect() as conn:
        assert body["total"] == news_page(conn, NewsFilter()).total > 100
    items = body["value"]
    assert all(i["published"] is True for i in items)
    assert [when(i) for i in items] == sorted((when(i) for i in items), reverse=True)
    for item in items:
        assert "content" not in item and "score" not in item
        assert item["path"] == f"/api/news/{item['id']}"
        assert item["title"] and item["webUrl"]


@pytest.mark.parametrize("sort,key", [("date", when), ("heat", lambda i: i["heat"]), ("quality", lambda i: i["quality"])])
def test_every_sort_orders_the_whole_listing(api, sort, key):
    items = api.get(f"/api/news?sort={sort}&limit=100").json()["value"]
    values = [key(i) for i in items]
    assert len(items) == 100 and values == sorted(values, reverse=True)


def test_cursor_and_page_walks_list_everything_once_in_the_same_order(api):
    for query in ("sort=date", "sort=heat", "sort=quality", "published=all", "q=model&sort=relevance"):
        ids, total = walk(api, query)
        assert len(ids) == total == len(set(ids)) > 0, query
        numbered, page = [], 1
        while page is not None:
            body = api.get(f"/api/news?{query}&limit=7&page={page}").json()
            assert body["page"] == page
            numbered += [i["id"] for i in body["value"]]
            page = body["nextPage"]
        assert numbered == ids, query
        cursor_body = api.get(f"/api/news?{query}&limit=7&cursor=" + api.get(f"/api/news?{query}&limit=7").json()["nextCursor"]).json()
        assert cursor_body["page"] is None and cursor_body["nextPage"] is None
    beyond = api.get("/api/news?page=1000").json()
    assert beyond["value"] == [] and beyond["nextPage"] is None and beyond["nextCursor"] is None


def test_topic_filter_by_id_or_name(api):
    by_id = api.get("/api/news?topic=ai-in-robotics&limit=100").json()
    by_name = api.get("/api/news?topic=AI%20in%20Robotics&limit=100").json()
    assert by_id == by_name and by_id["total"] > 0
    assert all("AI in Robotics" in i["topics"] for i in by_id["value"])
    everything = api.get("/api/news?topic=ai&limit=100&published=all").json()
    assert everything["total"] > by_id["total"]


def test_provider_filter(api, wire_store):
    with wire_store.connect() as conn:
        provider = next(p for p in list_providers(conn) if p.published)
    body = api.get(f"/api/news?provider={provider.id}&published=all&limit=100").json()
    assert body["total"] == provider.articles
    assert {i["provider"]["domain"] for i in body["value"]} == {provider.domain}
    published = api.get(f"/api/news?provider={provider.id}").json()
    assert published["total"] == provider.published


def test_published_filter(api):
    shown = api.get("/api/news?published=true&limit=1").json()["total"]
    hidden = api.get("/api/news?published=false&limit=100").json()
    every = api.get("/api/news?published=all&limit=1").json()["total"]
    assert hidden["total"] > 0 and shown + hidden["total"] == every
    assert not any(i.get("published") for i in hidden["value"])
    assert api.get("/api/news?published=ALL&limit=1").json()["total"] == every


def test_since_and_until(api):
    items = api.get("/api/news?published=all&limit=100&page=1").json()["value"]
    middle = sorted(when(i) for i in items)[len(items) // 2]
    stamp = middle.isoformat().replace("+00:00", "Z")
    since = api.get("/api/news", params={"since": stamp, "published": "all", "limit": 100}).json()
    until = api.get("/api/news", params={"until": stamp, "published": "all", "limit": 100}).json()
    total = api.get("/api/news?published=all&limit=1").json()["total"]
    assert since["total"] + until["total"] == total
    assert all(when(i) >= middle for i in since["value"])
    assert all(when(i) < middle for i in until["value"])
    # an offset written with '+' that the query string turned into a space
    plus = api.get(f"/api/news?published=all&limit=1&since={middle.isoformat().replace('+', ' ')}").json()
    assert plus["total"] == since["total"]
    # a bare date is midnight UTC
    day = middle.date().isoformat()
    bare = api.get(f"/api/news?since={day}&published=all&limit=100").json()
    midnight = api.get(f"/api/news?since={day}T00:00:00Z&published=all&limit=100").json()
    assert bare == midnight and 0 < bare["total"] <= total
    window = api.get(f"/api/news?since={day}&until={day}T23:59:59&published=all&limit=100").json()
    assert all(when(i).date().isoformat() == day for i in window["value"]) and window["total"] > 0


def test_search_ranks_by_relevance_and_explains_the_score(api):
    body = api.get("/api/news?q=robot&published=all&limit=100").json()
    scores = [i["score"] for i in body["value"]]
    assert body["total"] == len(scores) > 0 and scores == sorted(scores, reverse=True)
    assert "robot" in body["value"][0]["title"].lower()
    by_date = api.get("/api/news?q=robot&published=all&sort=date&limit=100").json()["value"]
    assert {i["id"] for i in by_date} == {i["id"] for i in body["value"]}
    assert [when(i) for i in by_date] == sorted((when(i) for i in by_date), reverse=True)
    assert api.get("/api/news?q=zzzqqqxxy").json() == {
        "page": 1, "value": [], "nextPage": None, "total": 0, "nextCursor": None,
    }
    combined = api.get("/api/news?q=robot&topic=ai-in-robotics&published=all&limit=100").json()
    assert 0 < combined["total"] <= body["total"]


@pytest.mark.parametrize(
    "query,parameter",
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("page=2&cursor=abc", "page"),
        ("sort=newest", "sort"),
        ("sort=relevance", "sort"),
        ("since=yesterday", "since"),
        ("until=2026-13-01", "until"),
        ("since=2026-11-02&until=2026-11-01", "until"),
        ("published=maybe", "published"),
        ("cursor=not-a-cursor", "cursor"),
        ("q=%21%21%21", "q"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(api, query, parameter):
    answer = api.get(f"/api/news?{query}")
    assert answer.status_code == 400
    message = answer.json()["error"]
    assert message.startswith(f"{parameter}:") and "\n" not in message
    assert answer.headers["content-type"] == "application/json"


def test_a_cursor_from_another_sort_is_refused(api):
    cursor = api.get("/api/news?sort=heat&limit=3").json()["nextCursor"]
    answer = api.get(f"/api/news?sort=date&cursor={cursor}")
    assert answer.status_code == 400 and answer.json()["error"].startswith("cursor:")


def test_unknown_topic_and_provider_are_404(api):
    assert api.get("/api/news?topic=quantum-knitting").status_code == 404
    assert api.get("/api/news?topic=quantum-knitting").json()["error"].startswith("topic:")
    assert api.get("/api/news?provider=nowhere.example").status_code == 404


def test_one_article_with_its_alternates(api, wire_store):
    from sqlalchemy import text

    with wire_store.connect() as conn:
        with_alternates = conn.execute(text("SELECT article_id FROM alternates LIMIT 1")).scalar_one()
    body = api.get(f"/api/news/{with_alternates}").json()
    assert body["id"] == with_alternates and body["path"] == f"/api/news/{with_alternates}"
    assert "content" not in body
    assert body["alternates"] and all(set(a) == {"url", "provider"} for a in body["alternates"])
    assert all(a["url"].startswith("http") for a in body["alternates"])
    assert any(a["provider"] and a["provider"]["name"] for a in body["alternates"])
    plain = api.get("/api/news?limit=1").json()["value"][0]
    assert api.get(plain["path"]).json()["alternates"] == [] or plain["id"] == with_alternates


def test_unknown_or_partial_article_ids_are_404(api):
    item = api.get("/api/news?limit=1").json()["value"][0]
    assert api.get(f"/api/news/{item['id'][:8]}").status_code == 404
    missing = api.get("/api/news/ffffffffffffffffffff")
    assert missing.status_code == 404 and "error" in missing.json()


def test_cursor_pages_stay_put_while_newer_articles_arrive(crawled_project, tmp_path):
    store = crawled_project.copy_store(tmp_path)
    try:
        with client_for(project_of(crawled_project.settings), store) as client:
            first = client.get("/api/news?limit=10").json()
            second = client.get(f"/api/news?limit=10&cursor={first['nextCursor']}").json()
            by_number = client.get("/api/news?limit=10&page=2").json()
            assert [i["id"] for i in by_number["value"]] == [i["id"] for i in second["value"]]
            newest = when(first["value"][0])
            with store.begin() as conn:
                for n in range(3):
                    fresh = Article(
                        title=f"Breaking robot report {n}", webUrl=f"https://fresh.example/{n}",
                        publishedDateTime=newest + timedelta(minutes=n + 1), provider=Provider(name="Fresh Daily"),
                    )
                    fresh.id = article_id(fresh.web_url)
                    save_article(conn, fresh)
                    save_enrichment(
                        conn, fresh.id, topic_rows=[TopicRow("AI", 1.0, "keywords")], quality=80, components={},
                        published=True, heat=10, story_id=None, duplicate_of=None, related=[],
                    )
            again = client.get(f"/api/news?limit=10&cursor={first['nextCursor']}").json()
            assert again["value"] == second["value"] and again["total"] == second["total"] + 3
            shifted = client.get("/api/news?limit=10&page=2").json()
            assert [i["id"] for i in shifted["value"]][:3] == [i["id"] for i in first["value"]][-3:]
            top = client.get("/api/news?limit=3").json()["value"]
            assert [i["title"] for i in top] == [f"Breaking robot report {n}" for n in (2, 1, 0)]
            # the name-only provider they came with has an id with ':'
            provider = client.get("/api/news?limit=1").json()["value"][0]["provider"]
            assert provider == {"name": "Fresh Daily"}
            assert client.get("/api/news?provider=name:fresh-daily").json()["total"] == 3
    finally:
        store.close()
