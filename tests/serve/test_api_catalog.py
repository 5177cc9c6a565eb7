"""/api/stories, /api/topics and /api/providers."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from serve_fixtures import client_for, project_of, wire_store  # noqa: F401 - fixtures
from sqlalchemy import insert

from topicwire.store.queries import list_providers, list_stories
from topicwire.store.schema import providers


@pytest.fixture(scope="module")
def catalog(crawled_project, wire_store):
    """The API over a copy that also has a provider known by name only
    (its id has a ':') and one whose id has a '.'."""
    now = datetime.now(timezone.utc)
    with wire_store.begin() as conn:
        conn.execute(
            insert(providers).values(
                id="name:the-wire-desk", name="The Wire Desk", domain=None, tier=None,
                record={"name": "The Wire Desk"}, first_seen=now, updated_at=now,
            )
        )
    with client_for(project_of(crawled_project.settings), wire_store) as client:
        yield client


def test_stories_hottest_first_with_paging(catalog, wire_store):
    body = catalog.get("/api/stories?limit=5").json()
    with wire_store.connect() as conn:
        cards, total = list_stories(conn, limit=1000)
    assert body["total"] == total and body["page"] == 1 and body["nextPage"] == 2
    assert [s["id"] for s in body["value"]] == [c.id for c in cards[:5]]
    heats = [s["heat"] for s in body["value"]]
    assert heats == sorted(heats, reverse=True)
    first = body["value"][0]
    assert set(first) >= {"id", "headline", "heat", "articles", "providers", "firstSeen", "lastSeen", "path"}
    seen, page = [], 1
    while page:
        listing = catalog.get(f"/api/stories?limit=7&page={page}").json()
        seen += [s["id"] for s in listing["value"]]
        page = listing["nextPage"]
    assert seen == [c.id for c in cards]


def test_stories_of_a_topic(catalog):
    everything = catalog.get("/api/stories?limit=100").json()
    robotics = catalog.get("/api/stories?topic=AI%20in%20Robotics&limit=100").json()
    assert 0 < robotics["total"] < everything["total"]
    for story in robotics["value"][:3]:
        coverage = catalog.get(story["path"]).json()["coverage"]
        assert any("AI in Robotics" in a["topics"] for a in coverage)
    assert catalog.get("/api/stories?topic=nope").status_code == 404
    assert catalog.get("/api/stories?limit=0").status_code == 400
    assert catalog.get("/api/stories?page=0").json()["error"].startswith("page:")


def test_one_story_with_its_coverage_oldest_first(catalog):
    story = next(s for s in catalog.get("/api/stories?limit=50").json()["value"] if s["articles"] > 2)
    body = catalog.get(story["path"]).json()
    assert body["id"] == story["id"] and body["headline"] == story["headline"]
    coverage = body["coverage"]
    assert len(coverage) == story["articles"]
    dates = [a["publishedDateTime"] for a in coverage]
    assert dates == sorted(dates)
    assert all("content" not in a and a["path"].startswith("/api/news/") for a in coverage)
    assert catalog.get("/api/stories/st-0000000000000000").status_code == 404


def test_topics_with_counts_heat_and_history(catalog):
    topics = catalog.get("/api/topics").json()
    by_id = {t["id"]: t for t in topics}
    assert len(topics) == 19 and by_id["ai-hardware"]["parent"] == "ai" and by_id["ai"]["parent"] is None
    ai = by_id["ai"]
    assert ai["name"] == "AI" and ai["articles"] >= ai["published"] > 0 and ai["heat"] >= 0
    assert len(ai["history"]) == 30
    days = [date.fromisoformat(h["date"]) for h in ai["history"]]
    assert days == sorted(days) and (days[-1] - days[0]).days == 29
    assert all(h["heat"] >= 0 for h in ai["history"])
    assert ai["history"][-1]["heat"] == ai["heat"] == max(h["heat"] for h in ai["history"])
    assert ai["news"] == "/api/news?topic=ai" and ai["feeds"]["rss"] == "/feeds/ai.rss"
    published = catalog.get("/api/news?topic=ai&limit=1").json()["total"]
    assert published == ai["published"]


def test_providers_list_and_detail(catalog, wire_store):
    body = catalog.get("/api/providers").json()
    with wire_store.connect() as conn:
        cards = list_providers(conn)
    assert [p["id"] for p in body] == [c.id for c in cards]
    byte = next(p for p in body if p["id"] == "bytefront.io")
    assert byte["name"] == "ByteFront" and byte["articles"] >= byte["published"] > 0
    detail = catalog.get("/api/providers/bytefront.io").json()
    assert {k: v for k, v in detail.items() if k != "latest"} == byte
    assert 0 < len(detail["latest"]) <= 10
    assert all(a["provider"]["domain"] == "bytefront.io" and a["published"] for a in detail["latest"])
    dotted = catalog.get("/api/providers/127.0.0.1").json()
    assert dotted["id"] == "127.0.0.1" and len(dotted["latest"]) == min(10, dotted["published"])
    named = catalog.get("/api/providers/name:the-wire-desk")
    assert named.status_code == 200 and named.json()["name"] == "The Wire Desk"
    assert named.json()["path"] == "/api/providers/name:the-wire-desk"
    assert catalog.get("/api/providers/name%3Athe-wire-desk").json()["id"] == "name:the-wire-desk"
    assert catalog.get("/api/providers/nowhere.example").status_code == 404
