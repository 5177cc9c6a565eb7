"""Index pages: the server root, each publisher's home page with its
latest headlines and feed discovery links, topic pages, and the members'
area that robots.txt keeps crawlers out of."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.head import feed_link
from newswire.layouts.frame import accent
from newswire.markup import attr, published_text, text
from newswire.profiles import profile


def _page(lang: str, title: str, head: str, body: str, color: str = "#333") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{text(title)}</title>\n'
            f"<style>body{{font-family:sans-serif}}header{{border-bottom:3px solid {color}}}</style>\n{head}\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def _headlines(entries: list[Entry]) -> str:
    items = []
    for e in entries:
        items.append(f'<li class="teaser"><h3><a href="{attr(e.path)}">{text(e.article.title)}</a></h3>'
                     f'<p>{text(e.article.description)}</p><span class="when">{text(published_text(e))}</span></li>')
    return f'<ul class="headlines">{"".join(items)}</ul>'


def _discovery(catalog: Catalog, provider_id: str) -> str:
    link = feed_link(catalog, provider_id)
    if link:
        return link
    # sitemaps have no MIME type for rel=alternate; this is the informal form some sites use
    return f'<link rel="sitemap" type="application/xml" href="{attr(catalog.feed_url(provider_id))}">'


def render_home(catalog: Catalog, provider_id: str, topic: str | None = None) -> str | None:
    provider = catalog.providers[provider_id]
    lang = provider.lang
    entries = catalog.by_provider[provider_id]
    title = provider.name
    if topic is not None:
        entries = [e for e in entries if topic in {bp.topic_slug(t) for t in e.article.topics}]
        if not entries:
            return None
        title = f"{next(t for t in entries[0].article.topics if bp.topic_slug(t) == topic)} | {provider.name}"
    declares_canonical = profile(provider_id).canonical and topic is None
    head = "\n".join([
        f'<meta name="description" content="Latest news from {attr(provider.name)}">',
        f'<link rel="canonical" href="{attr(provider.site)}/">' if declares_canonical else "",
        _discovery(catalog, provider_id),
    ])
    feed = catalog.feed_url(provider_id)
    body = f"""{bp.cookie_banner(lang, "bar")}
<header><a href="/{provider_id}/"><img src="/{provider_id}/logo.png" alt="{attr(provider.name)}"></a><h1>{text(title)}</h1>
{bp.nav(provider_id, catalog, lang)}</header>
{bp.ad_slot(provider_id, "home-leaderboard", "728x90", lang)}
<main>{_headlines(entries)}</main>
<p class="feeds"><a href="{attr(feed)}">Feed</a></p>
{bp.footer(provider.name, lang)}"""
    return _page(provider.locale, title, head, body, accent(provider_id))


def render_root(catalog: Catalog) -> str:
    items = "".join(
        f'<li><a href="/{pid}/">{text(p.name)}</a> ({text(p.kind)}) &middot; '
        f'<a href="{attr(catalog.feed_url(pid))}">{text(profile(pid).feed.format)}</a></li>'
        for pid, p in catalog.providers.items()
    )
    body = (f"<header><h1>Offline newswire</h1></header><p>Fictional publishers served for topicwire's tests.</p>"
            f'<ul>{items}</ul><p><a href="/feeds.opml">All feeds (OPML)</a></p>')
    return _page("en", "Offline newswire", '<link rel="alternate" type="text/x-opml" href="/feeds.opml">', body)


def render_private(provider_id: str) -> str:
    body = ("<header><h1>Members' area</h1></header><p>Sign in to manage your subscription.</p>"
            '<form method="post"><input name="email"><input name="password" type="password"><button>Sign in</button></form>')
    return _page("en-US", "Sign in", '<meta name="robots" content="noindex">', body)
