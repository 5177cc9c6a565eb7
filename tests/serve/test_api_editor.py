"""The editor endpoints: refused without the right token (and nothing
changes), and with it, changes that show on the wire and survive re-scoring."""

from __future__ import annotations

import logging

import pytest
from serve_fixtures import TOKEN, client_for, fingerprint, own_project, project_of, walk  # noqa: F401 - fixtures
from sqlalchemy import select

from topicwire.config import load_project
from topicwire.store import Store
from topicwire.store.editorial import editorial_story_id
from topicwire.store.enrichment import TopicRow, save_enrichment
from topicwire.store.schema import article_topics, articles, stories, topics

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def editable(crawled_project, tmp_path, monkeypatch):
    """A private copy of the wire, a client with the editor token, and the store."""
    monkeypatch.delenv("TOPICWIRE_EDITOR_TOKEN", raising=False)
    store = crawled_project.copy_store(tmp_path)
    with client_for(project_of(crawled_project.settings, token=TOKEN), store) as client:
        yield client, store
    store.close()


def _requests(article_id, story_ids):
    return [
        ("post", f"/api/editor/articles/{article_id}/publish", None),
        ("post", f"/api/editor/articles/{article_id}/hide", None),
        ("post", f"/api/editor/articles/{article_id}/rule", None),
        ("post", f"/api/editor/articles/{article_id}/pin", None),
        ("post", f"/api/editor/articles/{article_id}/unpin", None),
        ("put", f"/api/editor/articles/{article_id}/topics", {"topics": ["AI Ethics"]}),
        ("delete", f"/api/editor/articles/{article_id}/topics", None),
        ("post", "/api/editor/stories/merge", {"into": story_ids[0], "stories": story_ids[1:]}),
        ("post", "/api/editor/stories/split", {"articles": [article_id]}),
    ]


def _story_ids(client, n=2):
    return [s["id"] for s in client.get(f"/api/stories?limit={n}").json()["value"]]


@pytest.mark.parametrize(
    "token,headers",
    [
        (None, AUTH),  # no token configured: the editor API is off
        (TOKEN, {}),
        (TOKEN, {"Authorization": "Bearer wrong-token-0123456789abcdef"}),
        (TOKEN, {"Authorization": f"Bearer {TOKEN}x"}),
        (TOKEN, {"Authorization": f"Basic {TOKEN}"}),
        (TOKEN, {"Authorization": "Bearer "}),
        (TOKEN, {"Authorization": TOKEN}),
    ],
)
def test_refused_without_the_right_token_and_nothing_changes(crawled_project, tmp_path, monkeypatch, caplog, token,
                                                             headers):
    monkeypatch.delenv("TOPICWIRE_EDITOR_TOKEN", raising=False)
    caplog.set_level(logging.DEBUG)
    store = crawled_project.copy_store(tmp_path)
    try:
        before = fingerprint(store)
        with client_for(project_of(crawled_project.settings, token=token), store) as client:
            article = client.get("/api/news?limit=1").json()["value"][0]["id"]
            for method, path, body in _requests(article, _story_ids(client)):
                answer = client.request(method, path, json=body, headers=headers)
                assert answer.status_code == 401, (method, path)
                assert answer.headers["www-authenticate"].startswith("Bearer")
                assert answer.headers["cache-control"] == "no-store"
                assert TOKEN not in answer.text
            # a body that is not even JSON is not looked at before the token
            broken = client.post("/api/editor/stories/split", content=b"{not json", headers=headers)
            assert broken.status_code == 401
        assert fingerprint(store) == before
        assert TOKEN not in caplog.text
    finally:
        store.close()


def test_the_token_can_come_from_the_environment(crawled_project, tmp_path, monkeypatch):
    monkeypatch.setenv("TOPICWIRE_EDITOR_TOKEN", TOKEN)
    store = crawled_project.copy_store(tmp_path)
    try:
        with client_for(load_project(crawled_project.settings), store) as client:
            article = client.get("/api/news?limit=1").json()["value"][0]["id"]
            assert client.post(f"/api/editor/articles/{article}/pin", headers=AUTH).status_code == 200
    finally:
        store.close()


def test_publish_hide_and_rule(editable):
    client, _ = editable
    hidden = client.get("/api/news?published=false&sort=quality&limit=1").json()["value"][0]
    shown = client.get("/api/news?sort=quality&limit=1").json()["value"][0]
    total = client.get("/api/news?limit=1").json()["total"]

    answer = client.post(f"/api/editor/articles/{hidden['id']}/publish", headers=AUTH)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert answer.json()["article"]["published"] is True and answer.json()["editor"]["published"] is True
    assert client.get(f"/api/news/{hidden['id']}").json()["published"] is True
    assert client.post(f"/api/editor/articles/{shown['id']}/hide", headers=AUTH).json()["editor"]["published"] is False
    ids, _ = walk(client, "sort=quality", limit=100)
    assert hidden["id"] in ids and shown["id"] not in ids
    assert client.get("/api/news?limit=1").json()["total"] == total

    # back to the rule: decided again from the stored score, at once
    for article, expected in ((hidden, False), (shown, True)):
        back = client.post(f"/api/editor/articles/{article['id']}/rule", headers=AUTH).json()
        assert back["editor"]["published"] is None and back["article"]["published"] is expected
    assert client.get("/api/news?limit=1").json()["total"] == total


def test_pin_puts_an_article_on_top_of_its_listings(editable):
    client, _ = editable
    old = client.get("/api/news?limit=100&sort=date").json()["value"][-1]
    topic = old["topics"][0]
    before = client.get("/api/news?limit=1").json()
    assert client.post(f"/api/editor/articles/{old['id']}/pin", headers=AUTH).json()["editor"]["pinned"] is True
    for query in ("sort=date", "sort=heat", "sort=quality", f"topic={topic}"):
        assert client.get(f"/api/news?{query}&limit=1").json()["value"][0]["id"] == old["id"], query
    after = client.get("/api/news?limit=1")
    assert after.headers["etag"] != before and after.json()["total"] == before["total"]
    assert client.post(f"/api/editor/articles/{old['id']}/unpin", headers=AUTH).json()["editor"]["pinned"] is False
    assert client.get("/api/news?limit=1").json() == before


def test_topics_set_by_hand(editable):
    client, store = editable
    article = next(
        i for i in client.get("/api/news?limit=100").json()["value"] if "AI Ethics" not in i["topics"]
    )
    before = fingerprint(store)
    unknown = client.put(f"/api/editor/articles/{article['id']}/topics", json={"topics": ["AI", "Knitting"]}, headers=AUTH)
    assert unknown.status_code == 400 and unknown.json()["error"].startswith("topics[1]:")
    for bad in ({"topics": "AI"}, {"topics": [1]}, {}, []):
        assert client.put(f"/api/editor/articles/{article['id']}/topics", json=bad, headers=AUTH).status_code == 400
    not_json = client.put(f"/api/editor/articles/{article['id']}/topics", content=b"{", headers=AUTH)
    assert not_json.status_code == 400 and not_json.json()["error"].startswith("body:")
    assert fingerprint(store) == before

    answer = client.put(
        f"/api/editor/articles/{article['id']}/topics", json={"topics": ["ai-ethics", "ai in robotics"]}, headers=AUTH
    ).json()
    assert answer["article"]["topics"] == ["AI Ethics", "AI in Robotics"]
    assert answer["editor"]["topics"] == ["AI Ethics", "AI in Robotics"]
    ethics = {i["id"] for i in client.get("/api/news?topic=ai-ethics&limit=100").json()["value"]}
    assert article["id"] in ethics
    former = [t for t in article["topics"] if t not in ("AI Ethics", "AI in Robotics")][0]
    assert article["id"] not in {i["id"] for i in client.get(f"/api/news?topic={former}&limit=100&published=all").json()["value"]}
    with store.connect() as conn:
        rows = conn.execute(
            select(topics.c.name, article_topics.c.signal, article_topics.c.confidence, article_topics.c.rank)
            .join(topics, topics.c.id == article_topics.c.topic_id)
            .where(article_topics.c.article_id == article["id"])
            .order_by(article_topics.c.rank)
        ).all()
    assert [tuple(r) for r in rows] == [("AI Ethics", "editor", 1.0, 0), ("AI in Robotics", "editor", 1.0, 1)]
    dropped = client.delete(f"/api/editor/articles/{article['id']}/topics", headers=AUTH).json()
    assert dropped["editor"]["topics"] is None
    assert client.put("/api/editor/articles/ffffffffffffffffffff/topics", json={"topics": []}, headers=AUTH).status_code == 404


def test_unknown_ids_are_404_and_change_nothing(editable):
    client, store = editable
    before = fingerprint(store)
    for action in ("publish", "hide", "rule", "pin", "unpin"):
        answer = client.post(f"/api/editor/articles/ffffffffffffffffffff/{action}", headers=AUTH)
        assert answer.status_code == 404 and "error" in answer.json()
    stories_ = _story_ids(client, 2)
    assert client.post("/api/editor/stories/merge", json={"into": "st-nope", "stories": stories_}, headers=AUTH).status_code == 404
    missing = client.post("/api/editor/stories/merge", json={"into": stories_[0], "stories": [stories_[1], "st-nope"]},
                          headers=AUTH)
    assert missing.status_code == 404 and missing.json()["error"].startswith("stories[1]:")
    real = client.get("/api/news?limit=1").json()["value"][0]["id"]
    split = client.post("/api/editor/stories/split", json={"articles": [real, "ffffffffffffffffffff"]}, headers=AUTH)
    assert split.status_code == 404 and split.json()["error"].startswith("articles[1]:")
    for body in ({"articles": []}, {"articles": "x"}, {"into": stories_[0], "stories": [stories_[0]]}, {"into": 3}):
        path = "/api/editor/stories/split" if "articles" in body else "/api/editor/stories/merge"
        assert client.post(path, json=body, headers=AUTH).status_code == 400, body
    assert fingerprint(store) == before


def test_merge_and_split_stories(editable):
    client, store = editable
    first, second = [client.get(f"/api/stories/{s}").json() for s in _story_ids(client, 2)]
    answer = client.post(
        "/api/editor/stories/merge", json={"into": first["id"], "stories": [second["id"]]}, headers=AUTH
    ).json()
    assert answer["story"] == first["id"]
    with store.connect() as conn:
        moving = set(conn.execute(select(articles.c.id).where(articles.c.editor_story == first["id"])).scalars())
    assert set(answer["moved"]) == moving >= {a["id"] for a in second["coverage"]}
    merged = client.get(f"/api/stories/{first['id']}").json()
    assert merged["headline"] == first["headline"]
    assert {a["id"] for a in merged["coverage"]} == {a["id"] for a in first["coverage"] + second["coverage"]}
    assert client.get(f"/api/stories/{second['id']}").status_code == 404
    assert second["id"] not in {s["id"] for s in client.get("/api/stories?limit=100").json()["value"]}

    # split two of them off again: the best of them leads the new story
    chosen = sorted(merged["coverage"], key=lambda a: a["id"])[:2]
    split = client.post("/api/editor/stories/split", json={"articles": [a["id"] for a in chosen]}, headers=AUTH).json()
    assert split["story"] == editorial_story_id([a["id"] for a in chosen])
    again = client.post("/api/editor/stories/split", json={"articles": [a["id"] for a in reversed(chosen)]}, headers=AUTH)
    assert again.json()["story"] == split["story"]
    new = client.get(split["path"]).json()
    assert {a["id"] for a in new["coverage"]} == {a["id"] for a in chosen}
    assert new["headline"] == max(chosen, key=lambda a: a["quality"])["title"]
    rest = client.get(f"/api/stories/{first['id']}").json()
    assert not {a["id"] for a in chosen} & {a["id"] for a in rest["coverage"]}
    with store.connect() as conn:
        row = conn.execute(select(stories).where(stories.c.id == split["story"])).one()
        assert row.representative_id in {a["id"] for a in chosen}
        assert set(conn.execute(select(articles.c.editor_story).where(articles.c.id.in_([a["id"] for a in chosen]))).scalars()) == {split["story"]}


def test_save_enrichment_keeps_the_editors_topics_and_story(editable):
    client, store = editable
    article = client.get("/api/news?limit=1").json()["value"][0]
    story = _story_ids(client, 1)[0]
    client.put(f"/api/editor/articles/{article['id']}/topics", json={"topics": ["AI Ethics"]}, headers=AUTH)
    client.post("/api/editor/stories/split", json={"articles": [article["id"]]}, headers=AUTH)
    with store.begin() as conn:
        save_enrichment(
            conn, article["id"], topic_rows=[TopicRow("AI Hardware", 0.9, "classifier")], quality=70, components={},
            published=True, heat=3, story_id=story, duplicate_of=None, related=[],
        )
    body = client.get(f"/api/news/{article['id']}").json()
    assert body["topics"] == ["AI Ethics"]
    with store.connect() as conn:
        row = conn.execute(select(articles.c.story_id, articles.c.record).where(articles.c.id == article["id"])).one()
    assert row.story_id == editorial_story_id([article["id"]]) and row.record["topics"] == ["AI Ethics"]


def test_changes_survive_a_rescore(own_project, cli):
    project = project_of(own_project, token=TOKEN)
    store = Store(project.database_url)
    try:
        with client_for(project, store) as client:
            listing = client.get("/api/news?limit=100&sort=quality").json()["value"]
            good, spam = listing[0], client.get("/api/news?published=false&sort=quality&limit=100").json()["value"][-1]
            plain = listing[1]
            merged = _story_ids(client, 3)
            pair = sorted(a["id"] for a in client.get(f"/api/stories/{merged[2]}").json()["coverage"])[:2]
            for method, path, body in (
                ("post", f"/api/editor/articles/{good['id']}/hide", None),
                ("post", f"/api/editor/articles/{spam['id']}/publish", None),
                ("post", f"/api/editor/articles/{plain['id']}/pin", None),
                ("put", f"/api/editor/articles/{plain['id']}/topics", {"topics": ["AI Ethics", "Meta AI"]}),
                ("post", "/api/editor/stories/merge", {"into": merged[0], "stories": [merged[1]]}),
                ("post", "/api/editor/stories/split", {"articles": pair}),
            ):
                assert client.request(method, path, json=body, headers=AUTH).status_code == 200, path
            merged_coverage = {a["id"] for a in client.get(f"/api/stories/{merged[0]}").json()["coverage"]}
            before = client.get("/api/news?limit=100&published=all").json()

        rescored = cli("rescore", "--days", "400", "--config", own_project)
        assert rescored.code == 0 and "scored: " in rescored.out

        with client_for(project, store) as client:
            assert client.get(f"/api/news/{good['id']}").json()["published"] is False
            assert client.get(f"/api/news/{spam['id']}").json()["published"] is True
            assert client.get("/api/news?limit=1").json()["value"][0]["id"] == plain["id"]
            assert client.get(f"/api/news/{plain['id']}").json()["topics"] == ["AI Ethics", "Meta AI"]
            assert plain["id"] in {i["id"] for i in client.get("/api/news?topic=meta-ai&limit=100").json()["value"]}
            after_merge = {a["id"] for a in client.get(f"/api/stories/{merged[0]}").json()["coverage"]}
            assert after_merge == merged_coverage
            split = client.get(f"/api/stories/{editorial_story_id(pair)}").json()
            assert sorted(a["id"] for a in split["coverage"]) == pair
            after = client.get("/api/news?limit=100&published=all").json()
        assert after["total"] == before["total"]
        with store.connect() as conn:
            signals = set(
                conn.execute(select(article_topics.c.signal).where(article_topics.c.article_id == plain["id"])).scalars()
            )
        assert signals == {"editor"}
    finally:
        store.close()


def test_editors_read_the_full_text_and_nobody_else_does(crawled_project, editable, newswire):
    from topicwire.secure import project_ring

    client, store = editable
    page = next(p for p in newswire.truth if p["kind"] == "news" and p["duplicate_of"] is None)
    with store.connect() as conn:
        article_id = conn.execute(select(articles.c.id).where(articles.c.original_url == page["url"])).scalar_one()
    path = f"/api/editor/articles/{article_id}/text"
    refused = client.get(path)
    assert refused.status_code == 401 and "text" not in refused.json()
    # no key ring in the server: the text cannot be opened
    assert client.get(path, headers=AUTH).status_code == 503
    store.keys = project_ring(load_project(crawled_project.settings))
    answer = client.get(path, headers=AUTH)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert page["body"][0] in answer.json()["text"]
    # listings carry neither the text nor its ciphertext
    item = client.get(f"/api/news/{article_id}").json()
    assert not {"content", "secured", "securedKey"} & set(item)
    assert client.get("/api/editor/articles/ffffffffffffffffffff/text", headers=AUTH).status_code == 404
