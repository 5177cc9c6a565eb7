"""A national newspaper: masthead, standfirst, and the text in
<div class="story-body">."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.layouts.frame import document
from newswire.markup import attr, body_html, byline, date_html, image_html, text

CSS = ("body{font-family:'Times New Roman',serif;max-width:980px;margin:auto}.masthead{border-bottom:4px double ACCENT}"
       ".headline{font-size:2.6em;font-weight:400}.standfirst{font-size:1.3em;color:#333}")

_STRAPLINES = {
    "northwind": "Independent journalism from the north since 1887",
    "harbourpost": "News for the harbour city and beyond",
}


def render(entry: Entry, catalog: Catalog) -> str:
    art, pid = entry.article, entry.provider.id
    lang = art.language
    topic = art.topics[0] if art.topics else "News"
    updated = date_html(entry, updated=True, cls="timestamp timestamp--updated", prefix="Updated ")
    content = body_html(entry.body, p_attrs=' class="story-body__paragraph"',
                        inserts={2: bp.ad_slot(pid, "mpu", "300x250")})
    body = f"""<div class="masthead"><a class="brand" href="/{pid}/"><img src="/{pid}/logo.png" alt="{attr(entry.provider.name)}"></a>
<p class="strapline">{text(_STRAPLINES.get(pid, ""))}</p></div>
{bp.nav(pid, catalog, lang, "primary-nav")}
{bp.cookie_banner(lang, "overlay")}
<main class="page" id="main-content">
<div class="article-header"><ol class="breadcrumbs"><li><a href="/{pid}/">Home</a></li><li><a href="/{pid}/topic/{bp.topic_slug(topic)}/">{text(topic)}</a></li></ol>
<h1 class="headline">{text(art.title)}</h1>
<p class="standfirst">{text(art.description)}</p>
<div class="article-meta"><span class="author">{byline(entry)}</span> {date_html(entry, cls="timestamp")} {updated}</div></div>
{image_html(entry, "plain", "lead-image")}
<div class="story-body" data-component="text-block">
{content}
</div>
{bp.share_bar(lang)}
{bp.newsletter(lang, "newsletter-promo")}
{bp.related(entry, catalog, 4, True, "more-on-this-story")}
{bp.comments(entry, "reader-comments")}
</main>
{bp.footer(entry.provider.name, lang, "page-footer")}"""
    return document(entry, catalog, body, CSS, "article-page")
