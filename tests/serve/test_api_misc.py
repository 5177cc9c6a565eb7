"""Feeds, health, metrics, docs, images, and the headers every answer carries."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from lxml import etree
from prometheus_client.parser import text_string_to_metric_families
from serve_fixtures import api, client_for, project_of, wire_store  # noqa: F401 - fixtures
from sqlalchemy import text

from topicwire.serve.headers import SECURITY_HEADERS

CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


@pytest.mark.parametrize(
    "ext,media_type", [("rss", "application/rss+xml"), ("atom", "application/atom+xml"), ("json", "application/feed+json")]
)
def test_feeds_of_everything_and_of_a_topic(api, ext, media_type):
    newest = [i["id"] for i in api.get("/api/news?limit=50").json()["value"]]
    answer = api.get(f"/feeds/all.{ext}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == f"{media_type}; charset=utf-8"
    if ext == "json":
        feed = json.loads(answer.text)
        ids = [i["id"].rsplit(":", 1)[-1] for i in feed["items"]]
        assert feed["feed_url"] == "http://127.0.0.1:8000/feeds/all.json"
    else:
        root = etree.fromstring(answer.content)
        found = root.iter("guid") if ext == "rss" else root.iter("{http://www.w3.org/2005/Atom}entry")
        ids = [(e.text if ext == "rss" else e.findtext("{http://www.w3.org/2005/Atom}id")).rsplit(":", 1)[-1] for e in found]
    assert len(ids) == 50 and set(ids) == set(newest)
    topic = api.get(f"/feeds/ai-in-robotics.{ext}")
    assert topic.status_code == 200 and b"AI in Robotics" in topic.content
    assert api.get(f"/feeds/no-such-topic.{ext}").status_code == 404


def test_unknown_feed_format_is_404(api):
    assert api.get("/feeds/all.xml").status_code == 404
    assert api.get("/feeds/all").status_code == 404


def test_health(api, wire_store):
    answer = api.get("/healthz")
    with wire_store.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "articles": count, "database": "ok"}
    assert answer.headers["cache-control"] == "no-store"


def test_health_is_503_when_the_database_is_gone(crawled_project, tmp_path, databases):
    folder = tmp_path / "gone"
    folder.mkdir()
    store = crawled_project.copy_store(folder)
    try:
        with client_for(project_of(crawled_project.settings), store) as client:
            assert client.get("/healthz").status_code == 200
            store.engine.dispose()
            if databases.postgres:
                databases.drop(store.url)
            else:
                shutil.rmtree(folder)
            answer = client.get("/healthz")
            assert answer.status_code == 503
            assert answer.json() == {"status": "error", "database": "unreachable"}
            # the metrics still answer, without the store's gauges
            assert client.get("/metrics").status_code == 200
    finally:
        store.close()


def _samples(client):
    families = {f.name: f for f in text_string_to_metric_families(client.get("/metrics").text)}
    return families, {
        (s.name, tuple(sorted(s.labels.items()))): s.value for f in families.values() for s in f.samples
    }


def test_metrics_count_requests_by_route_template_and_status(crawled_project, wire_store):
    with client_for(project_of(crawled_project.settings), wire_store) as client:
        item = client.get("/api/news?limit=2").json()["value"][0]
        client.get(f"/api/news/{item['id']}")
        client.get("/api/news/ffffffffffffffffffff")
        client.get("/api/news?limit=0")
        client.get("/no/such/page")
        families, samples = _samples(client)
    assert "topicwire_http_requests" in families and "topicwire_http_request_duration_seconds" in families

    def requests(route, status):
        key = ("topicwire_http_requests_total", (("method", "GET"), ("route", route), ("status", status)))
        return samples.get(key)

    assert requests("/api/news", "200") == 1 and requests("/api/news", "400") == 1
    assert requests("/api/news/{article_id}", "200") == 1 and requests("/api/news/{article_id}", "404") == 1
    # the website's catch-all route answers whatever the API does not
    assert requests("/{address:path}", "404") == 1
    count = ("topicwire_http_request_duration_seconds_count", (("method", "GET"), ("route", "/api/news")))
    assert samples[count] == 2
    with wire_store.connect() as conn:
        stored, published, stories = conn.execute(
            text("SELECT count(*), sum(CASE WHEN published THEN 1 ELSE 0 END), (SELECT count(*) FROM stories) FROM articles")
        ).one()
    assert samples[("topicwire_articles", (("state", "stored"),))] == stored
    assert samples[("topicwire_articles", (("state", "published"),))] == published
    assert samples[("topicwire_stories", ())] == stories


def test_each_app_counts_on_its_own(crawled_project, wire_store):
    with client_for(project_of(crawled_project.settings), wire_store) as one:
        one.get("/api/topics")
        with client_for(project_of(crawled_project.settings), wire_store) as two:
            _, samples = _samples(two)
    assert not any(name == "topicwire_http_requests_total" and ("route", "/api/topics") in labels
                   for name, labels in samples)


def test_openapi_and_a_docs_page_that_needs_no_cdn(api):
    spec = api.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/news", "/api/news/{article_id}", "/api/stories", "/api/stories/{story_id}", "/api/topics",
                 "/api/providers", "/api/providers/{provider_id}", "/feeds/{slug}.{ext}", "/healthz", "/metrics",
                 "/api/editor/articles/{article_id}/publish", "/api/editor/articles/{article_id}/topics",
                 "/api/editor/stories/merge", "/api/editor/stories/split", "/api/companies", "/api/companies/{entity_id}",
                 "/api/people", "/api/people/{entity_id}"):
        assert path in paths, path
    news = {p["name"] for p in paths["/api/news"]["get"]["parameters"]}
    assert news == {
        "topic", "provider", "company", "person", "q", "since", "until", "published", "sort", "limit", "page", "cursor"
    }
    assert "requestBody" in paths["/api/editor/stories/merge"]["post"]
    docs = api.get("/docs")
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    assert "GET /api/news" in docs.text and "cursor" in docs.text
    assert "<script" not in docs.text and "<style" not in docs.text and "cdn" not in docs.text.lower()
    assert api.get("/redoc").status_code == 404


def test_etag_and_not_modified(api):
    first = api.get("/api/news?limit=3")
    tag = first.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"') and not tag.startswith("W/")
    assert api.get("/api/news?limit=3").headers["etag"] == tag
    assert api.get("/api/news?limit=4").headers["etag"] != tag
    for sent in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        again = api.get("/api/news?limit=3", headers={"If-None-Match": sent})
        assert again.status_code == 304 and again.content == b"", sent
        assert again.headers["etag"] == tag and again.headers["cache-control"] == "public, max-age=60"
        assert again.headers["content-security-policy"] == CSP
        assert "content-type" not in again.headers
    changed = api.get("/api/news?limit=3", headers={"If-None-Match": '"stale"'})
    assert changed.status_code == 200 and changed.content == first.content
    for path in ("/api/topics", "/api/stories", "/api/providers", "/feeds/all.atom", "/openapi.json", "/docs"):
        answer = api.get(path)
        assert answer.headers["etag"] and api.get(path, headers={"If-None-Match": answer.headers["etag"]}).status_code == 304


def test_cache_control(api, crawled_project, wire_store):
    for path in ("/api/news", "/api/news?q=robot", "/api/stories", "/api/topics", "/api/providers", "/feeds/all.rss"):
        assert api.get(path).headers["cache-control"] == "public, max-age=60", path
    for path in ("/healthz", "/metrics", "/api/news?limit=0", "/api/news/nope"):
        assert api.get(path).headers["cache-control"] == "no-store", path
    assert api.post("/api/editor/articles/x/pin").headers["cache-control"] == "no-store"
    with client_for(project_of(crawled_project.settings, cache_seconds=300), wire_store) as client:
        assert client.get("/api/topics").headers["cache-control"] == "public, max-age=300"


def test_security_headers_on_every_kind_of_answer(api):
    answers = [
        api.get("/api/news?limit=1"), api.get("/api/news?limit=0"), api.get("/nowhere"), api.get("/docs"),
        api.get("/feeds/all.rss"), api.post("/api/editor/stories/merge", json={}), api.delete("/api/topics"),
    ]
    for answer in answers:
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers[name] == value, (answer.request.url, name)
    assert SECURITY_HEADERS["Content-Security-Policy"] == CSP
    assert answers[-1].status_code == 405


def test_a_crash_is_a_500_with_the_headers_and_nothing_inside(crawled_project, wire_store, monkeypatch):
    from topicwire.serve import topics

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(topics, "topic_counts", broken)
    with client_for(project_of(crawled_project.settings), wire_store) as client:
        answer = client.get("/api/topics")
        assert answer.status_code == 500 and answer.json() == {"error": "internal error"}
        assert answer.headers["content-security-policy"] == CSP and answer.headers["cache-control"] == "no-store"
        _, samples = _samples(client)
    key = ("topicwire_http_requests_total", (("method", "GET"), ("route", "/api/topics"), ("status", "500")))
    assert samples[key] == 1


@pytest.fixture
def images_project(crawled_project, tmp_path):
    """A project whose data folder is a copy with a few cached images, a
    secret beside it and symlinks pointing in and out."""
    data = tmp_path / "data"
    source = crawled_project.folder / "data" / "images"
    kept = sorted(p for p in source.rglob("*.jpg") if "thumbs" not in p.parts)[:2]
    for path in kept:
        target = data / "images" / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (data / "secret.jpg").write_text("do not serve")
    (tmp_path / "outside.jpg").write_bytes(kept[0].read_bytes())
    os.symlink(tmp_path / "outside.jpg", data / "images" / "escape.jpg")
    os.symlink(data / "images" / kept[0].relative_to(source), data / "images" / "inside.jpg")
    os.symlink(data, data / "images" / "up")
    return project_of(crawled_project.settings, data_dir=data), [p.relative_to(source).as_posix() for p in kept], kept


def test_cached_images_are_served(images_project, wire_store):
    project, names, files = images_project
    with client_for(project, wire_store) as client:
        answer = client.get(f"/images/{names[0]}")
        assert answer.status_code == 200 and answer.content == files[0].read_bytes()
        assert answer.headers["content-type"] == "image/jpeg"
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert client.get(f"/images/{names[0]}", headers={"If-None-Match": answer.headers["etag"]}).status_code == 304
        # a link that stays inside the folder is fine
        assert client.get("/images/inside.jpg").content == files[0].read_bytes()
        assert client.get("/images/00/00/missing.jpg").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/images/..%2Fsecret.jpg",
        "/images/%2e%2e/secret.jpg",
        "/images/%2e%2e%2fsecret.jpg",
        "/images/up/secret.jpg",
        "/images/escape.jpg",
        "/images/%2Fetc%2Fpasswd",
        "/images//etc/passwd",
        "/images/..%5Csecret.jpg",
        "/images/",
        "/images/up",
    ],
)
def test_paths_leaving_the_images_folder_are_404(images_project, wire_store, path):
    project, _, _ = images_project
    with client_for(project, wire_store) as client:
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["error"] in ("no such image", "not found")
        assert b"do not serve" not in answer.content and b"root:" not in answer.content


def test_head_is_get_without_the_body(api):
    full = api.get("/api/topics")
    head = api.head("/api/topics")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == full.headers["etag"]
    assert head.headers["content-length"] == str(len(full.content))
    assert api.head("/api/topics", headers={"If-None-Match": full.headers["etag"]}).status_code == 304
    assert api.head("/api/news/nope").status_code == 404
