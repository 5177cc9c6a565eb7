"""Tech trade press on a blogging CMS: <article> with .entry-content,
a widget sidebar and a long comment thread."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.layouts.frame import document
from newswire.markup import attr, body_html, byline, date_html, image_html, number, text

CSS = ("body{font-family:Georgia,serif;margin:0}.site-header{background:ACCENT;color:#fff;padding:8px}"
       ".site-content{display:flex;gap:24px}.entry-title{font-size:2.2em}.widget-area{width:300px}")


def render(entry: Entry, catalog: Catalog) -> str:
    art, pid = entry.article, entry.provider.id
    lang = art.language
    inline_more = ""
    if len(entry.body) > 5:
        other = catalog.by_provider[pid][0] if catalog.by_provider[pid][0] is not entry else catalog.by_provider[pid][1]
        inline_more = (f'<aside class="inline-related"><strong>Related:</strong> '
                       f'<a href="{attr(other.path)}">{text(other.article.title)}</a></aside>')
    content = body_html(entry.body, inserts={1: bp.ad_slot(pid, "incontent_1", "300x250"), 3: inline_more})
    topic = art.topics[0] if art.topics else "News"
    updated = date_html(entry, updated=True, cls="updated", prefix="Updated ")
    trending = "".join(f'<li><a href="{attr(e.path)}">{text(e.article.title)}</a></li>'
                       for e in catalog.by_provider[pid][:5])
    body = f"""{bp.cookie_banner(lang, "bar")}
<header class="site-header"><div class="site-branding"><a href="/{pid}/" rel="home"><img src="/{pid}/logo.png" alt="{attr(entry.provider.name)}" width="240" height="60"></a></div>
{bp.nav(pid, catalog, lang, "main-navigation")}</header>
{bp.ad_slot(pid, "leaderboard", "728x90")}
<div class="site-content"><main id="main" class="site-main">
<article id="post-{number(art.id, 10000, 99999)}" class="post type-post status-publish format-standard">
<header class="entry-header"><span class="cat-links"><a href="/{pid}/topic/{bp.topic_slug(topic)}/">{text(topic)}</a></span>
<h1 class="entry-title">{text(art.title)}</h1>
<div class="entry-meta"><span class="byline">{byline(entry)}</span> <span class="posted-on">{date_html(entry, cls="entry-date published")}</span> {updated}</div>
</header>
{image_html(entry, "srcset", "post-thumbnail")}
<div class="entry-content">
{content}
</div>
<footer class="entry-footer"><span class="tags-links">{" ".join(f'<a rel="tag" href="/{pid}/topic/{bp.topic_slug(t)}/">{text(t)}</a>' for t in art.topics)}</span></footer>
</article>
{bp.share_bar(lang)}
{bp.related(entry, catalog, 3, True, "related-posts")}
{bp.comments(entry, "comments-area")}
</main>
<aside id="secondary" class="widget-area">{bp.newsletter(lang, "widget widget_newsletter")}
{bp.ad_slot(pid, "sidebar", "300x600")}
<section class="widget widget_trending"><h2 class="widget-title">Trending</h2><ol>{trending}</ol></section></aside>
</div>
{bp.footer(entry.provider.name, lang)}
{bp.tracking_script(pid)}"""
    return document(entry, catalog, body, CSS, "single single-post")
