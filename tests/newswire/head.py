"""The <head> of an article page: title, canonical, OpenGraph, Twitter,
JSON-LD and feed discovery, each present only where the profile says the
publisher emits it."""

from __future__ import annotations

import json

from newswire.catalog import Catalog, Entry
from newswire.dates import rfc3339, utc_z
from newswire.markup import attr, text
from newswire.profiles import profile

_FEED_TYPES = {
    "rss2": "application/rss+xml", "rss1": "application/rss+xml", "rss091": "application/rss+xml",
    "atom1": "application/atom+xml", "atom03": "application/atom+xml", "jsonfeed": "application/feed+json",
}


def meta(key: str, name: str, value: str) -> str:
    return f'<meta {key}="{name}" content="{attr(value)}">'


def json_ld(data: object) -> str:
    # "</" inside a script element would end it early
    payload = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{payload}\n</script>'


def feed_link(catalog: Catalog, provider_id: str) -> str:
    """Discovery link for feed formats that have a MIME type; sitemaps have
    none, so those publishers advertise them in robots.txt instead."""
    kind = _FEED_TYPES.get(profile(provider_id).feed.format)
    if kind is None:
        return ""
    name = catalog.providers[provider_id].name
    return f'<link rel="alternate" type="{kind}" title="{attr(name)}" href="{attr(catalog.feed_url(provider_id))}">'


def _dates(entry: Entry, in_utc: bool) -> tuple[str, str | None]:
    art = entry.article
    fmt = utc_z if in_utc else rfc3339
    return fmt(art.published), fmt(art.updated) if art.updated else None


def _person(entry: Entry) -> dict:
    if entry.article.author:
        return {"@type": "Person", "name": entry.article.author}
    return {"@type": "Organization", "name": entry.provider.name}


def _image_object(entry: Entry) -> dict | None:
    pic = entry.article.picture
    if pic is None:
        return None
    return {"@type": "ImageObject", "url": entry.image_url, "width": pic.width, "height": pic.height}


def _publisher(entry: Entry, catalog: Catalog) -> dict:
    return {"@type": "Organization", "name": entry.provider.name, "url": entry.provider.site,
            "logo": {"@type": "ImageObject", "url": catalog.logo_url(entry.provider.id)}}


def _plain_ld(entry: Entry, catalog: Catalog) -> dict:
    published, modified = _dates(entry, in_utc=entry.profile.jsonld_utc)
    data: dict = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": entry.web_url},
        "headline": entry.article.title, "description": entry.article.description,
        "datePublished": published,
    }
    if modified:
        data["dateModified"] = modified
    data["author"] = _person(entry)
    data["publisher"] = _publisher(entry, catalog)
    if (image := _image_object(entry)) is not None:
        data["image"] = image
    data["inLanguage"] = entry.article.language
    if entry.article.kind == "paywall":
        data["isAccessibleForFree"] = False
        data["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".paywall"}
    return data


def _graph_ld(entry: Entry, catalog: Catalog) -> dict:
    """Yoast-style: the article is one node of a graph linked by @id."""
    published, modified = _dates(entry, in_utc=False)
    site = entry.provider.site
    page_id = entry.web_url
    article: dict = {
        "@type": "NewsArticle", "@id": page_id + "#article", "isPartOf": {"@id": page_id},
        "headline": entry.article.title, "datePublished": published,
        "author": [_person(entry)], "publisher": {"@id": site + "/#organization"},
        "articleSection": list(entry.article.topics[:1]) or ["Technology"],
    }
    if modified:
        article["dateModified"] = modified
    graph: list[dict] = [
        {"@type": "WebPage", "@id": page_id, "url": page_id, "name": entry.article.title + entry.profile.title_suffix,
         "datePublished": published, "inLanguage": entry.provider.locale},
        article,
        {**_publisher(entry, catalog), "@id": site + "/#organization"},
    ]
    if (image := _image_object(entry)) is not None:
        article["image"] = {"@id": page_id + "#primaryimage"}
        graph.append({**image, "@id": page_id + "#primaryimage"})
    return {"@context": "https://schema.org", "@graph": graph}


def _list_ld(entry: Entry, catalog: Catalog) -> list[dict]:
    published, modified = _dates(entry, in_utc=False)
    article: dict = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": entry.article.title,
        "datePublished": published, "author": [_person(entry)], "publisher": _publisher(entry, catalog),
        "url": entry.web_url,
    }
    if modified:
        article["dateModified"] = modified
    if entry.image_url:
        article["image"] = [entry.image_url]
    crumbs = {
        "@context": "https://schema.org", "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": entry.provider.site + "/"},
            {"@type": "ListItem", "position": 2, "name": (entry.article.topics or ("Business",))[0],
             "item": entry.provider.site + "/technology/"},
        ],
    }
    return [article, crumbs]


_JSONLD = {"plain": _plain_ld, "graph": _graph_ld, "list": _list_ld}


def _opengraph(entry: Entry) -> list[str]:
    art, prof = entry.article, entry.profile
    tags = [
        meta("property", "og:type", "article"),
        meta("property", "og:site_name", entry.provider.name),
        meta("property", "og:title", art.title),
        meta("property", "og:description", art.description),
        meta("property", "og:locale", entry.provider.locale.replace("-", "_")),
    ]
    if entry.og_url:
        tags.append(meta("property", "og:url", entry.og_url))
    pic = art.picture
    if pic and entry.image_url:
        tags.append(meta("property", "og:image", entry.image_url))
        if prof.og_image_size:
            tags += [meta("property", "og:image:width", str(pic.width)),
                     meta("property", "og:image:height", str(pic.height)),
                     meta("property", "og:image:alt", pic.alt)]
    if prof.article_meta:
        tags.append(meta("property", "article:published_time", rfc3339(art.published)))
        if art.updated:
            tags.append(meta("property", "article:modified_time", rfc3339(art.updated)))
        if art.author:
            tags.append(meta("property", "article:author", art.author))
        for topic in art.topics:
            tags.append(meta("property", "article:tag", topic))
    return tags


def _twitter(entry: Entry) -> list[str]:
    art = entry.article
    handle = "@" + entry.provider.id
    tags = [
        meta("name", "twitter:card", "summary_large_image" if entry.image_url else "summary"),
        meta("name", "twitter:site", handle),
        meta("name", "twitter:title", art.title),
        meta("name", "twitter:description", art.description),
    ]
    if entry.image_url:
        tags.append(meta("name", "twitter:image", entry.image_url))
    return tags


def render_head(entry: Entry, catalog: Catalog, extra: str = "") -> str:
    art, prof = entry.article, entry.profile
    if prof.charset_in_header:
        lines = ['<meta charset="utf-8">']
    else:
        lines = ['<meta http-equiv="Content-Type" content="text/html; charset=utf-8">']
    lines += [
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{text(art.title + prof.title_suffix)}</title>",
        meta("name", "description", art.description),
    ]
    if art.author:
        lines.append(meta("name", "author", art.author))
    if entry.canonical:
        lines.append(f'<link rel="canonical" href="{attr(entry.canonical)}">')
    if entry.amp_href:
        lines.append(f'<link rel="amphtml" href="{attr(entry.amp_href)}">')
    lines += _opengraph(entry)
    if prof.twitter:
        lines += _twitter(entry)
    if prof.meta_date:
        lines.append(meta("name", "date", rfc3339(art.published, prof.zone)))
    if prof.jsonld:
        lines.append(json_ld(_JSONLD[prof.jsonld](entry, catalog)))
    lines.append(feed_link(catalog, entry.provider.id))
    lines.append(f'<link rel="icon" href="/{entry.provider.id}/logo.png">')
    if extra:
        lines.append(extra)
    return "\n".join(line for line in lines if line)
