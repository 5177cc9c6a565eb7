"""Every publisher's feed in its own format (the provider-to-format table
is at the top of newswire.profiles), plus the OPML list, robots.txt and
the sources list for a topicwire project.

Dates follow each format's convention: RFC 822 in RSS 2.0, W3C/RFC 3339
everywhere else; RSS 0.91 items carry no dates at all, as in the original
Netscape format. Item links are the 127.0.0.1 article URLs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from newswire.catalog import Catalog, Entry
from newswire.dates import rfc822, rfc3339
from newswire.markup import attr, body_html, text
from newswire.profiles import XML, profile

TRACKING = "?utm_source=rss&utm_medium=feed"


@dataclass(frozen=True)
class Doc:
    body: bytes
    content_type: str
    last_modified: datetime
    headers: tuple[tuple[str, str], ...] = ()


def _newest(entries: list[Entry]) -> datetime:
    return max(e.article.updated or e.article.published for e in entries)


def _changed(entry: Entry) -> datetime:
    return entry.article.updated or entry.article.published


def _cdata(html: str) -> str:
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _xml(body: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def rss2(catalog: Catalog, pid: str) -> str:
    provider, prof = catalog.providers[pid], profile(pid)
    entries = catalog.by_provider[pid]
    zone_name = None if prof.feed.gmt else prof.zone
    items = []
    for e in entries:
        art = e.article
        parts = [
            f"<title>{text(art.title)}</title>",
            f"<link>{text(e.url + (TRACKING if prof.tracking_links else ''))}</link>",
            f'<guid isPermaLink="false">{provider.domain}:{art.id}</guid>',
            f"<pubDate>{rfc822(art.published, zone_name)}</pubDate>",
        ]
        if art.author:
            parts.append(f"<dc:creator>{text(art.author)}</dc:creator>")
        parts += [f"<category>{text(t)}</category>" for t in art.topics]
        parts.append(f"<description>{text(art.description)}</description>")
        if prof.full_content_feed:
            parts.append(f"<content:encoded>{_cdata(body_html(e.body))}</content:encoded>")
        if e.image_url and art.picture:
            parts.append(f'<media:content url="{attr(e.image_url)}" medium="image" type="image/jpeg" '
                         f'width="{art.picture.width}" height="{art.picture.height}"/>')
        items.append("<item>\n  " + "\n  ".join(parts) + "\n</item>")
    return _xml(
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:media="http://search.yahoo.com/mrss/">\n<channel>\n'
        f"<title>{text(provider.name)}</title>\n<link>{catalog.home_url(pid)}</link>\n"
        f"<description>Latest stories from {text(provider.name)}</description>\n"
        f"<language>{provider.locale.lower()}</language>\n"
        f"<lastBuildDate>{rfc822(_newest(entries), zone_name)}</lastBuildDate>\n"
        f'<atom:link href="{attr(catalog.feed_url(pid))}" rel="self" type="application/rss+xml"/>\n'
        + "\n".join(items) + "\n</channel>\n</rss>\n"
    )


def rss1(catalog: Catalog, pid: str) -> str:
    provider = catalog.providers[pid]
    entries = catalog.by_provider[pid]
    seq = "".join(f'<rdf:li rdf:resource="{attr(e.url)}"/>' for e in entries)
    items = []
    for e in entries:
        art = e.article
        extra = f"<dc:creator>{text(art.author)}</dc:creator>" if art.author else ""
        extra += "".join(f"<dc:subject>{text(t)}</dc:subject>" for t in art.topics)
        items.append(f'<item rdf:about="{attr(e.url)}"><title>{text(art.title)}</title><link>{text(e.url)}</link>'
                     f"<description>{text(art.description)}</description><dc:date>{rfc3339(art.published)}</dc:date>"
                     f"{extra}</item>")
    return _xml(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<channel rdf:about="{attr(catalog.feed_url(pid))}"><title>{text(provider.name)}</title>'
        f"<link>{catalog.home_url(pid)}</link><description>{text(provider.kind)}</description>"
        f"<dc:language>{provider.locale}</dc:language><dc:date>{rfc3339(_newest(entries))}</dc:date>"
        f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>\n" + "\n".join(items) + "\n</rdf:RDF>\n"
    )


def rss091(catalog: Catalog, pid: str) -> str:
    provider = catalog.providers[pid]
    entries = catalog.by_provider[pid][:15]  # the 0.91 format's own limit
    items = "\n".join(
        f"<item><title>{text(e.article.title)}</title><link>{text(e.url)}</link>"
        f"<description>{text(e.article.description)}</description></item>"
        for e in entries
    )
    return _xml(
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        f'<rss version="0.91">\n<channel>\n<title>{text(provider.name)}</title>\n<link>{catalog.home_url(pid)}</link>\n'
        f"<description>{text(provider.kind)}</description>\n<language>en-us</language>\n"
        f"<image><title>{text(provider.name)}</title><url>{catalog.logo_url(pid)}</url>"
        f"<link>{catalog.home_url(pid)}</link></image>\n"
        f"<lastBuildDate>{rfc822(_newest(entries))}</lastBuildDate>\n{items}\n</channel>\n</rss>\n"
    )


def atom1(catalog: Catalog, pid: str) -> str:
    provider, prof = catalog.providers[pid], profile(pid)
    entries = catalog.by_provider[pid]
    out = []
    for e in entries:
        art = e.article
        author = f"<author><name>{text(art.author)}</name></author>" if art.author else ""
        cats = "".join(f'<category term="{attr(t)}"/>' for t in art.topics)
        content = f'<content type="html">{text(body_html(e.body))}</content>' if prof.full_content_feed else ""
        out.append(
            f"<entry><id>tag:{provider.domain},2026:{art.id}</id><title type=\"text\">{text(art.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{attr(e.url)}"/>'
            f"<published>{rfc3339(art.published, prof.zone)}</published>"
            f"<updated>{rfc3339(_changed(e), prof.zone)}</updated>"
            f"{author}{cats}<summary type=\"text\">{text(art.description)}</summary>{content}</entry>"
        )
    return _xml(
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{provider.lang}">\n'
        f"<id>tag:{provider.domain},2026:feed</id><title>{text(provider.name)}</title>\n"
        f"<updated>{rfc3339(_newest(entries), prof.zone)}</updated>\n"
        f'<link rel="self" type="application/atom+xml" href="{attr(catalog.feed_url(pid))}"/>\n'
        f'<link rel="alternate" type="text/html" href="{attr(catalog.home_url(pid))}"/>\n'
        f"<author><name>{text(provider.name)}</name></author>\n" + "\n".join(out) + "\n</feed>\n"
    )


def atom03(catalog: Catalog, pid: str) -> str:
    provider, prof = catalog.providers[pid], profile(pid)
    entries = catalog.by_provider[pid]
    out = []
    for e in entries:
        art = e.article
        author = f"<author><name>{text(art.author)}</name></author>" if art.author else ""
        out.append(
            f'<entry><title mode="escaped" type="text/html">{text(art.title)}</title>'
            f'<link rel="alternate" type="text/html" href="{attr(e.url)}"/>'
            f"<id>tag:{provider.domain},2026:{art.id}</id><issued>{rfc3339(art.published, prof.zone)}</issued>"
            f"<modified>{rfc3339(_changed(e), prof.zone)}</modified>{author}"
            f'<summary type="text/plain">{text(art.description)}</summary></entry>'
        )
    return _xml(
        f'<feed version="0.3" xmlns="http://purl.org/atom/ns#" xml:lang="{provider.lang}">\n'
        f"<title mode=\"escaped\" type=\"text/html\">{text(provider.name)}</title>\n"
        f'<link rel="alternate" type="text/html" href="{attr(catalog.home_url(pid))}"/>\n'
        f"<tagline>{text(provider.kind)}</tagline>\n"
        f"<id>tag:{provider.domain},2026:feed</id><modified>{rfc3339(_newest(entries), prof.zone)}</modified>\n"
        + "\n".join(out) + "\n</feed>\n"
    )


def jsonfeed(catalog: Catalog, pid: str) -> str:
    provider = catalog.providers[pid]
    items = []
    for e in catalog.by_provider[pid]:
        art = e.article
        item: dict = {"id": f"{provider.domain}:{art.id}", "url": e.url, "title": art.title,
                      "summary": art.description, "content_html": body_html(e.body),
                      "date_published": rfc3339(art.published)}
        if art.updated:
            item["date_modified"] = rfc3339(art.updated)
        if art.author:
            item["authors"] = [{"name": art.author}]
        if e.image_url:
            item["image"] = e.image_url
        item["tags"] = list(art.topics)
        item["language"] = art.language
        items.append(item)
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": provider.name,
            "home_page_url": catalog.home_url(pid), "feed_url": catalog.feed_url(pid),
            "language": provider.locale, "icon": catalog.logo_url(pid), "items": items}
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def _urlset(entries: list[Entry], images: bool = False) -> str:
    urls = []
    for e in entries:
        image = ""
        if images and e.image_url:
            image = f"<image:image><image:loc>{text(e.image_url)}</image:loc></image:image>"
        urls.append(f"<url><loc>{text(e.url)}</loc><lastmod>{rfc3339(_changed(e))}</lastmod>{image}</url>")
    ns = ' xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' if images else ""
    head = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>\n'
    return _xml(head + "\n".join(urls) + "\n</urlset>\n")


def sitemap(catalog: Catalog, pid: str) -> str:
    return _urlset(catalog.by_provider[pid], images=True)


def news_sitemap(catalog: Catalog, pid: str) -> str:
    provider = catalog.providers[pid]
    urls = "\n".join(
        f"<url><loc>{text(e.url)}</loc><news:news><news:publication><news:name>{text(provider.name)}</news:name>"
        f"<news:language>{e.article.language}</news:language></news:publication>"
        f"<news:publication_date>{rfc3339(e.article.published)}</news:publication_date>"
        f"<news:title>{text(e.article.title)}</news:title></news:news></url>"
        for e in catalog.by_provider[pid]
    )
    return _xml('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + urls + "\n</urlset>\n")


def _index_parts(catalog: Catalog, pid: str) -> list[list[Entry]]:
    entries = catalog.by_provider[pid]
    half = (len(entries) + 1) // 2
    return [entries[:half], entries[half:]]


def _part_path(pid: str, number: int) -> str:
    return f"/{pid}/sitemap-reports-{number}.xml"


def sitemap_index(catalog: Catalog, pid: str) -> str:
    maps = "\n".join(
        f"<sitemap><loc>{catalog.base_url}{_part_path(pid, n)}</loc>"
        f"<lastmod>{rfc3339(_newest(part))}</lastmod></sitemap>"
        for n, part in enumerate(_index_parts(catalog, pid), start=1)
    )
    return _xml('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + maps + "\n</sitemapindex>\n")


def url_list(catalog: Catalog, pid: str) -> str:
    return "".join(e.url + "\n" for e in catalog.by_provider[pid])


_RENDERERS: dict[str, Callable[[Catalog, str], str]] = {
    "rss2": rss2, "rss1": rss1, "rss091": rss091, "atom1": atom1, "atom03": atom03, "jsonfeed": jsonfeed,
    "sitemap": sitemap, "newssitemap": news_sitemap, "sitemapindex": sitemap_index, "urllist": url_list,
}


def feed_routes(catalog: Catalog) -> dict[str, Callable[[], Doc]]:
    """Path -> renderer for every feed document, the sitemap index's
    children included."""
    routes: dict[str, Callable[[], Doc]] = {}
    for pid in catalog.providers:
        prof = profile(pid)
        entries = catalog.by_provider[pid]

        def main(pid: str = pid, prof=prof, entries=entries) -> Doc:
            body = _RENDERERS[prof.feed.format](catalog, pid)
            return Doc(body.encode("utf-8"), prof.feed.content_type, _newest(entries), prof.feed_headers)

        routes[f"/{pid}{prof.feed.path}"] = main
        if prof.feed.format == "sitemapindex":
            for n, part in enumerate(_index_parts(catalog, pid), start=1):
                def child(part=part, prof=prof) -> Doc:
                    return Doc(_urlset(part).encode("utf-8"), XML, _newest(part), prof.feed_headers)

                routes[_part_path(pid, n)] = child
    return routes


def opml(catalog: Catalog) -> str:
    outlines = "\n".join(
        f'  <outline type="rss" text="{attr(p.name)}" title="{attr(p.name)}" xmlUrl="{attr(catalog.feed_url(pid))}" '
        f'htmlUrl="{attr(catalog.home_url(pid))}" language="{p.locale}" kind="{profile(pid).feed.source_kind}" '
        f'format="{profile(pid).feed.format}"/>'
        for pid, p in catalog.providers.items()
    )
    return _xml('<opml version="2.0">\n<head><title>Offline newswire feeds</title></head>\n<body>\n'
                + outlines + "\n</body>\n</opml>\n")


def robots(catalog: Catalog) -> str:
    sitemaps = "".join(
        f"Sitemap: {catalog.feed_url(pid)}\n" for pid in catalog.providers
        if profile(pid).feed.source_kind == "sitemap"
    )
    return ("# One robots.txt for the whole host: every publisher shares 127.0.0.1\n"
            "User-agent: *\nDisallow: /sentinel/private/\nDisallow: /trap/robots-blocked/\n\n" + sitemaps)


def sources(catalog: Catalog) -> list[dict]:
    """Entries for a topicwire sources.yaml, one per publisher feed."""
    return [{"url": catalog.feed_url(pid), "name": p.name, "kind": profile(pid).feed.source_kind}
            for pid, p in catalog.providers.items()]
