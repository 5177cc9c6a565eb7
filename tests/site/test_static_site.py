"""`topicwire publish OUT` writes the website: every page, its stylesheet,
the cached images the pages show and a sitemap, incrementally."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree
from site_checks import check_page

from topicwire.config import load_project
from topicwire.site.assets import STATIC_DIR
from topicwire.site.sitemap import SITEMAP_NS

SITE_URL = "http://127.0.0.1:8000/"


def snapshot(root):
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def published(crawled_project, tmp_path_factory):
    """The crawled wire published once through the command line, and what
    a second publish with nothing new reported and left behind."""
    from newswire.project import TOPICWIRE

    out = tmp_path_factory.mktemp("published") / "site"

    def publish() -> str:
        done = subprocess.run(
            [TOPICWIRE, "publish", str(out), "--config", str(crawled_project.settings)],
            capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "200"},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    first = publish()
    before = snapshot(out)
    again = publish()
    return out, first, before, again, snapshot(out)


def test_every_page_and_the_stylesheet_are_written(published):
    out, *_ = published
    for page in ("index.html", "topics/index.html", "topics/ai-hardware/index.html", "search/index.html",
                 "providers/index.html", "404.html"):
        check_page((out / page).read_text(encoding="utf-8"))
    assert len(list((out / "stories").glob("*/index.html"))) > 20
    assert len(list((out / "articles").glob("*/index.html"))) > 100
    assert (out / "static" / "site.css").read_bytes() == (STATIC_DIR / "site.css").read_bytes()
    # the records, JSON pages and feeds are still there beside the site
    assert (out / "api" / "news" / "page" / "1.json").is_file() and (out / "feeds" / "all.atom").is_file()


def test_the_images_the_pages_show_are_copied_and_only_those(published, crawled_project):
    out, *_ = published
    images_dir = load_project(crawled_project.settings).images_dir
    shown = set()
    for page in out.rglob("index.html"):
        shown |= set(re.findall(r'src="/images/([^"]+)"', page.read_text(encoding="utf-8")))
    assert len(shown) > 50
    copied = {str(p.relative_to(out / "images")) for p in (out / "images").rglob("*") if p.is_file()}
    assert copied == shown
    for path in shown:
        assert (out / "images" / path).read_bytes() == (images_dir / path).read_bytes()


def test_the_sitemap_lists_every_page_with_an_absolute_url(published):
    out, *_ = published
    root = etree.parse(str(out / "sitemap.xml"), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    ns = {"s": SITEMAP_NS}
    entries = root.findall("s:url", ns)
    locs = [u.findtext("s:loc", namespaces=ns) for u in entries]
    assert len(locs) == len(set(locs)) > 150
    for loc in locs:
        parts = urlsplit(loc)
        assert parts.scheme == "http" and parts.netloc == "127.0.0.1:8000" and loc.startswith(SITE_URL)
        page = out / parts.path.lstrip("/")
        assert (page / "index.html").is_file() if parts.path.endswith("/") else page.is_file(), loc
    for kind in ("", "topics/", "topics/ai/", "providers/"):
        assert SITE_URL + kind in locs
    assert any("/stories/" in loc for loc in locs) and any("/articles/" in loc for loc in locs)
    assert not any("/search/" in loc or "/page/" in loc for loc in locs)
    lastmods = [u.findtext("s:lastmod", namespaces=ns) for u in entries]
    dated = [m for m in lastmods if m]
    assert len(dated) > len(entries) * 0.9
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", m) for m in dated)
    for child in (c for u in entries for c in u):
        assert etree.QName(child).localname in ("loc", "lastmod")


def test_a_second_publish_with_nothing_new_rewrites_nothing(published):
    _out, first, before, again, after = published
    assert re.search(r"[1-9]\d* files written", first)
    assert "0 files written" in again
    assert after == before


def test_every_published_feed_is_valid(published):
    """RSS and Atom parse back without errors; JSON Feeds validate against
    the JSON Feed 1.1 schema (tests/data/schemas)."""
    import io
    import json

    import feedparser
    from jsonschema import Draft202012Validator

    out = published[0]
    schema = json.loads((Path(__file__).parents[1] / "data" / "schemas" / "jsonfeed-1.1.schema.json").read_text())
    validator = Draft202012Validator(schema)
    feeds = sorted((out / "feeds").iterdir())
    assert len(feeds) >= 3 * 20  # all topics and every topic, three formats each
    for feed in feeds:
        if feed.suffix == ".json":
            errors = [e.message for e in validator.iter_errors(json.loads(feed.read_text(encoding="utf-8")))]
            assert errors == [], feed.name
        else:
            parsed = feedparser.parse(io.BytesIO(feed.read_bytes()))
            assert parsed.bozo == 0, (feed.name, parsed.get("bozo_exception"))


def test_stories_and_providers_are_published_as_json(published):
    import json

    out = published[0]

    def load(relative):
        return json.loads((out / relative).read_text(encoding="utf-8"))

    first = load("api/stories/page/1.json")
    assert first["page"] == 1 and first["value"]
    heats = [s["heat"] for s in first["value"]]
    assert heats == sorted(heats, reverse=True)
    for card in first["value"]:
        story = load(card["path"])
        assert story["id"] == card["id"] and len(story["coverage"]) == card["articles"]
        assert all((out / item["path"]).is_file() for item in story["coverage"])
    providers = load("api/providers.json")
    assert providers and all(p["published"] > 0 for p in providers)
    for provider in providers:
        listing = load(provider["news"])
        assert listing["value"] and all(item["provider"]["name"] for item in listing["value"])


def test_companies_and_people_are_published_as_json_and_records(published):
    import json

    from topicwire.records import split_front_matter
    from topicwire.textfiles import load_yaml

    out = published[0]

    def load(relative):
        return json.loads((out / relative).read_text(encoding="utf-8"))

    first = load("api/companies/page/1.json")
    assert set(first) == {"page", "value", "nextPage"} and first["page"] == 1 and first["value"]
    assert all(c["articles"] >= 1 for c in first["value"])
    assert [c["heat"] for c in first["value"]] == sorted((c["heat"] for c in first["value"]), reverse=True)
    for card in first["value"][:5]:
        detail = load(card["path"])
        assert detail["id"] == card["id"] and "coverageTopics" in detail and "heatHistory" in detail
        listing = load(card["news"])
        assert listing["value"] and all((out / item["path"]).is_file() for item in listing["value"])
        text = (out / "companies" / f"{card['id']}.md").read_text(encoding="utf-8")
        front, body = split_front_matter(text, source=card["id"])
        data = load_yaml(front, source=card["id"])
        assert data["id"] == card["id"] and data["name"] == card["name"] and data["type"] == "organization"
        assert data["heat"] == card["heat"] and data["articles"] == card["articles"]
        assert body == (detail.get("overview") or "")
    assert (out / "api/people/page/1.json").is_file()
