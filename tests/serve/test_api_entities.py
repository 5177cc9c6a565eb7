"""/api/companies, /api/people and the entity filters of /api/news, over a
copy of the crawled newswire."""

from __future__ import annotations

from serve_fixtures import api, wire_store  # noqa: F401 - fixtures


def test_companies_are_listed_hottest_first_with_their_coverage(api):  # noqa: F811
    named, page, total = [], 1, None
    while page is not None:
        body = api.get(f"/api/companies?mentioned=true&limit=40&page={page}").json()
        assert body["page"] == page
        named += body["value"]
        page, total = body["nextPage"], body["total"]
    assert total == len(named) >= 10 and len({c["id"] for c in named}) == total
    assert all(c["type"] == "organization" and c["articles"] >= 1 for c in named)
    assert [(c["heat"], c["articles"]) for c in named] == sorted(((c["heat"], c["articles"]) for c in named), reverse=True)
    google = next(c for c in named if c["id"] == "google")
    assert google["website"].startswith("https://") and google["path"] == "/api/companies/google"
    assert google["news"] == "/api/news?company=google"
    everyone = api.get("/api/companies?limit=5").json()
    assert everyone["total"] > body["total"] and everyone["nextPage"] == 2  # the whole registry, paged


def test_one_company_with_topics_stories_related_history_and_latest(api):  # noqa: F811
    google = api.get("/api/companies/google").json()
    assert google["name"] == "Google" and google["articles"] >= 3
    assert google["coverageTopics"] and all(t["articles"] >= 1 for t in google["coverageTopics"])
    assert google["stories"] and [s["heat"] for s in google["stories"]] == sorted(
        (s["heat"] for s in google["stories"]), reverse=True)
    assert all(r["shared"] >= 1 and r["id"] != "google" for r in google["related"])
    assert google["heatHistory"] and all(set(h) == {"day", "heat"} for h in google["heatHistory"])
    latest = google["latest"]
    listed = api.get("/api/news?company=google&limit=100").json()
    assert listed["total"] == google["articles"] and [a["id"] for a in latest] == [a["id"] for a in listed["value"]][:10]
    # each of those articles names Google, as its own entry says
    for item in listed["value"][:5]:
        entities = api.get(f"/api/news/{item['id']}").json()["entities"]
        assert "google" in [e["id"] for e in entities]
        assert all(e["mentions"] >= 1 and set(e["in"]) <= {"title", "excerpt", "body"} for e in entities)


def test_entity_filters_combine_and_unknown_ones_are_404(api):  # noqa: F811
    both = api.get("/api/news?company=google&company=google&limit=100").json()
    assert both["total"] >= 1
    for url, field in (("/api/news?company=no-such-co", "company"), ("/api/news?person=google", "person"),
                       ("/api/companies/no-such-co", None), ("/api/people/google", None)):
        answer = api.get(url)
        assert answer.status_code == 404, url
        if field:
            assert answer.json()["error"].startswith(f"{field}:"), answer.json()


def test_people_are_listed(api):  # noqa: F811
    body = api.get("/api/people?sort=name&limit=50").json()
    names = [p["name"] for p in body["value"]]
    assert body["total"] >= 40 and names == sorted(names)
    assert all(p["type"] == "person" and p["path"] == f"/api/people/{p['id']}" for p in body["value"])
