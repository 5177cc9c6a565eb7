"""An aggregator that republishes other outlets: heavy ads, a source
credit, clickbait 'around the web' links, text in .syndicated-content."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.layouts.frame import document
from newswire.markup import attr, body_html, date_html, image_html, text

CSS = ("body{font-family:Tahoma,sans-serif}.ds-grid{display:flex}.ds-col-main{flex:3}.ds-col-side{flex:1}"
       ".ds-headline{font-size:1.8em;color:ACCENT}")

_AROUND_THE_WEB = [
    "Engineers are quietly switching to this kind of desk chair",
    "The one spreadsheet habit that wastes an hour every day",
    "Why people in their forties are rethinking their savings",
    "This small town's coffee shop went viral for the strangest reason",
    "Seven gadgets travellers say they will never leave home without",
    "What a decade of working from home did to one family's budget",
]


def render(entry: Entry, catalog: Catalog) -> str:
    art, pid = entry.article, entry.provider.id
    lang = art.language
    source = entry.source
    credit = ""
    note = ""
    if source is not None:
        credit = f'Source: <a href="{attr(source.site_url)}" rel="nofollow">{text(source.provider.name)}</a> &middot; '
        note = (f'<div class="ds-source-note">Read the original story at '
                f'<a href="{attr(source.site_url)}">{text(source.provider.name)}</a>.</div>')
    around = "".join(f'<li><a href="#" class="sponsored">{text(t)}</a><span>Sponsored</span></li>'
                     for t in _AROUND_THE_WEB)
    trending = "".join(f'<li><a href="{attr(e.path)}">{text(e.article.title)}</a></li>'
                       for e in catalog.by_provider[pid][:6] if e is not entry)
    content = body_html(entry.body, inserts={0: bp.ad_slot(pid, "in-article-1", "300x250"),
                                             2: bp.ad_slot(pid, "in-article-2", "300x250")})
    body = f"""<div class="ds-top">{bp.ad_slot(pid, "billboard", "970x250")}</div>
<header class="ds-header"><a href="/{pid}/"><img src="/{pid}/logo.png" alt="Daily Syndicate"></a><span>Today's top stories from around the web</span>
{bp.nav(pid, catalog, lang, "ds-nav")}</header>
{bp.cookie_banner(lang, "bar")}
<div class="ds-grid"><div class="ds-col-main">
<h1 class="ds-headline">{text(art.title)}</h1>
<div class="ds-meta">{credit}{date_html(entry, cls="ds-time")}</div>
{image_html(entry, "plain", "ds-image")}
<div class="syndicated-content">
{content}
</div>
{note}
<div class="ds-around-the-web"><h3>Around the web</h3><ul>{around}</ul></div>
{bp.related(entry, catalog, 4, True, "ds-related")}
</div>
<aside class="ds-col-side">{bp.ad_slot(pid, "side-1", "300x600")}<div class="trending"><h3>Trending now</h3><ol>{trending}</ol></div>
{bp.ad_slot(pid, "side-2", "300x250")}</aside></div>
{bp.footer(entry.provider.name, lang, "ds-footer")}
{bp.tracking_script(pid)}"""
    return document(entry, catalog, body, CSS, "ds-article")
