"""`topicwire publish OUT`: the wire as static files.

    OUT/news/<yyyy>/<mm>/<slug>-<id8>.md        record file of each published article
    OUT/api/news/<id>.json                      the same article as JSON
    OUT/api/news/page/<n>.json                  all published articles, newest first
    OUT/api/news/hot/page/<n>.json              ... hottest first
    OUT/api/topics.json                         topics with their article counts and heat
    OUT/api/topics/<topic-id>/page/<n>.json     a topic's articles, newest first
    OUT/api/topics/<topic-id>/hot/page/<n>.json ... hottest first
    OUT/api/stories/..., OUT/api/providers...   stories, providers, companies and people, and
    OUT/companies/<id>.md, OUT/people/<id>.md   their records (see publish/catalog.py)
    OUT/feeds/all.{rss,atom,json}               the newest published articles as RSS 2.0,
    OUT/feeds/<topic-id>.{rss,atom,json}        Atom 1.0 and JSON Feed 1.1, for all and per topic
    OUT/index.html, OUT/topics/..., OUT/stories/<id>/index.html, OUT/articles/<id>/index.html,
    OUT/providers/..., OUT/search/index.html    the website (topicwire.site; every page of Site.paths())
    OUT/404.html                                the page for an address with none
    OUT/static/site.css                         its stylesheet
    OUT/images/<path>                           the cached images its pages show
    OUT/sitemap.xml                             its pages for search engines (sitemaps.org 0.9)

Pages have the JSON API shape `{"page": n, "value": [...], "nextPage": n+1 or null}`,
20 items each. Publishing is incremental: a file whose bytes would not change
is not rewritten, so a second publish with nothing new touches nothing.
The website links its pages from the path of ``site_url`` (so it can be
published into a sub-folder), and shows only images from ``images_dir``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable
from urllib.parse import urlsplit

from topicwire.model import Article
from topicwire.publish.catalog import write_catalog
from topicwire.records import dump_record, paginate
from topicwire.site.api_items import PRIVATE_FIELDS
from topicwire.site.assets import STATIC_FILES, static_file
from topicwire.site.feeds import FeedInfo, atom, json_feed, rss
from topicwire.site.pages import Site
from topicwire.site.sitemap import sitemap_xml
from topicwire.store import Store
from topicwire.store.articles import list_articles
from topicwire.store.enrichment import latest_topic_heat
from topicwire.store.topics import topic_counts
from topicwire.textfiles import write_atomic


@dataclass
class PublishSummary:
    written: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list)


class Output:
    """Writes under a root only what differs from what is there."""

    def __init__(self, root: Path):
        self.root = root
        self.summary = PublishSummary()

    def _target(self, relative: str) -> Path:
        # names come from stored ids: one that climbs out of the root is a bug
        # or an attack, never a file to write
        parts = PurePosixPath(relative).parts
        if not parts or relative.startswith("/") or ".." in parts or "\\" in relative:
            raise ValueError(f"not a path inside the output folder: {relative!r}")
        return self.root / relative

    def write(self, relative: str, text: str) -> None:
        path = self._target(relative)
        self.summary.files.append(relative)
        try:
            if path.read_text(encoding="utf-8") == text:
                self.summary.unchanged += 1
                return
        except (OSError, UnicodeDecodeError):
            pass
        write_atomic(path, text)
        self.summary.written += 1

    def copy(self, relative: str, source: Path) -> None:
        """Copy a file (an image) unless the same bytes are already there."""
        path = self._target(relative)
        self.summary.files.append(relative)
        try:
            if path.stat().st_size == source.stat().st_size and path.read_bytes() == source.read_bytes():
                self.summary.unchanged += 1
                return
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.summary.written += 1

    def json(self, relative: str, data: Any) -> None:
        self.write(relative, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "article"


def record_path(article: Article) -> str:
    when = article.published_date_time
    folder = f"news/{when:%Y/%m}" if when else "news/undated"
    return f"{folder}/{_slug(article.title)}-{(article.id or '')[:8]}.md"


def _item(article: Article) -> dict[str, Any]:
    """An article as the JSON API serves it: the record without its full
    text, plain or sealed (the site shows excerpts; the record file keeps
    the sealed text)."""
    data = article.to_data(json=True)
    for key in PRIVATE_FIELDS:
        data.pop(key, None)
    return data


def _pages(out: Output, prefix: str, articles: Iterable[Article]) -> None:
    for page in paginate(_item(a) for a in articles):
        out.json(f"{prefix}/page/{page['page']}.json", page)


FEED_ITEMS = 50


def _feeds(out: Output, name: str, site_url: str, slug: str, title: str, articles: list[Article]) -> None:
    base = site_url if site_url.endswith("/") else site_url + "/"
    for ext, writer in (("rss", rss), ("atom", atom), ("json", json_feed)):
        info = FeedInfo(title=f"{name}: {title}", site_url=base, feed_url=f"{base}feeds/{slug}.{ext}")
        out.write(f"feeds/{slug}.{ext}", writer(info, articles[:FEED_ITEMS]))


def _website(out: Output, store: Store, *, name: str, site_url: str, images_dir: Path | None) -> None:
    """Every page of the site, its stylesheet, the images the pages show and
    the sitemap. Pages are drawn first: they say which images they used."""
    site = Site(store, name=name, site_url=site_url, base_path=urlsplit(site_url).path or "/", images_dir=images_dir)
    refs = site.pages()
    for ref in refs:
        out.write(ref.path, site.render(ref.path))
    out.write("404.html", site.not_found())
    for asset in STATIC_FILES:
        out.write(f"static/{asset}", static_file(asset).decode("utf-8"))
    if images_dir is not None:
        for path in sorted(site.images.used):
            out.copy(f"images/{path}", images_dir / path)
    out.write("sitemap.xml", sitemap_xml(site.site_url, [(ref.url, ref.lastmod) for ref in refs if ref.in_sitemap]))


def publish(
    store: Store,
    root: Path,
    *,
    name: str = "topicwire",
    site_url: str = "http://127.0.0.1:8000/",
    images_dir: Path | None = None,
) -> PublishSummary:
    out = Output(root)
    with store.connect() as conn:
        newest = list_articles(conn, published=True, sort="date", limit=None)
        hottest = list_articles(conn, published=True, sort="heat", limit=None)
        counts = topic_counts(conn)
        heat = latest_topic_heat(conn)
        # every listing shows where the article's record file is
        placed = {a.id: a.model_copy(update={"path": record_path(a)}) for a in newest}
        write_catalog(conn, out.json, placed, out.write)
        by_topic = {
            c.id: (
                list_articles(conn, topic_id=c.id, published=True, sort="date", limit=None),
                list_articles(conn, topic_id=c.id, published=True, sort="heat", limit=None),
            )
            for c in counts
        }

    def listed(articles: list[Article]) -> list[Article]:
        return [placed.get(a.id, a) for a in articles]

    for article in placed.values():
        out.write(article.path or record_path(article), dump_record(article))
        out.json(f"api/news/{article.id}.json", _item(article))
    _pages(out, "api/news", listed(newest))
    _pages(out, "api/news/hot", listed(hottest))
    out.json(
        "api/topics.json",
        [
            {
                "id": c.id,
                "name": c.name,
                "parent": c.parent_id,
                "articles": c.published,
                "heat": heat.get(c.id, -1),
                "url": f"api/topics/{c.id}/page/1.json",
            }
            for c in counts
        ],
    )
    _feeds(out, name, site_url, "all", "all topics", newest)
    names = {c.id: c.name for c in counts}
    for topic_id, (by_date, by_heat) in by_topic.items():
        _pages(out, f"api/topics/{topic_id}", listed(by_date))
        _pages(out, f"api/topics/{topic_id}/hot", listed(by_heat))
        _feeds(out, name, site_url, topic_id, names[topic_id], by_date)
    _website(out, store, name=name, site_url=site_url, images_dir=images_dir)
    return out.summary
