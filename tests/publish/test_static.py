"""`topicwire publish`: record files and the paged JSON API, incrementally."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from topicwire.records import read_record

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from test_imports import generate_records  # noqa: E402


def snapshot(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_publish_writes_published_articles_and_pages(cli, project, tmp_path):
    generate_records(tmp_path / "records", 45)
    assert cli("import", tmp_path / "records", "--config", project).code == 0
    out = tmp_path / "site"
    result = cli("publish", out, "--config", project)
    assert result.code == 0, result.err
    pages = sorted((out / "api" / "news" / "page").glob("*.json"))
    items = [item for p in pages for item in json.loads(p.read_text())["value"]]
    assert items and all(item["published"] is True for item in items)
    first = json.loads((out / "api" / "news" / "page" / "1.json").read_text())
    assert first["page"] == 1 and len(first["value"]) == min(20, len(items))
    assert first["nextPage"] == (2 if len(items) > 20 else None)
    dates = [item["publishedDateTime"] for item in items]
    assert dates == sorted(dates, reverse=True)
    assert all("content" not in item for item in items)  # excerpts only
    for item in items:
        record = read_record(out / item["path"])
        assert record.title == item["title"] and record.published is True
        assert json.loads((out / "api" / "news" / f"{item['id']}.json").read_text())["title"] == item["title"]
    topics = json.loads((out / "api" / "topics.json").read_text())
    hardware = next(t for t in topics if t["name"] == "AI Hardware")
    listed = json.loads((out / "api" / "topics" / "ai-hardware" / "page" / "1.json").read_text())["value"]
    assert len(listed) == min(20, hardware["articles"])
    assert (out / "api" / "news" / "hot" / "page" / "1.json").is_file()
    import io

    import feedparser

    for name in ("all", "ai-hardware"):
        for ext in ("rss", "atom"):
            parsed = feedparser.parse(io.BytesIO((out / "feeds" / f"{name}.{ext}").read_bytes()))
            assert parsed.bozo == 0 and parsed.entries
        feed = json.loads((out / "feeds" / f"{name}.json").read_text())
        assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["items"]
    titles = [e.title for e in feedparser.parse(io.BytesIO((out / "feeds" / "all.atom").read_bytes())).entries]
    assert titles == [item["title"] for item in items][: len(titles)]


def test_a_second_publish_with_nothing_new_rewrites_nothing(cli, project, tmp_path):
    generate_records(tmp_path / "records", 10)
    cli("import", tmp_path / "records", "--config", project)
    out = tmp_path / "site"
    cli("publish", out, "--config", project)
    before = snapshot(out)
    again = cli("publish", out, "--config", project)
    assert "0 files written" in again.out
    assert snapshot(out) == before
