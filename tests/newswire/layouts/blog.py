"""A tech blog network: h-entry microformats, lazy-loaded images and an
author box."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.layouts.frame import document
from newswire.markup import attr, body_html, date_html, image_html, number, text

CSS = ("body{font-family:system-ui,sans-serif;background:#fafafa}.topbar{background:#111;color:#eee}"
       ".layout{display:grid;grid-template-columns:1fr 320px}.post-title{color:ACCENT}")


def render(entry: Entry, catalog: Catalog) -> str:
    art, pid = entry.article, entry.provider.id
    lang = art.language
    author = art.author or "ByteFront Staff"
    updated = date_html(entry, updated=True, cls="dt-updated", prefix="Updated ")
    popular = "".join(f'<li><a href="{attr(e.path)}">{text(e.article.title)}</a></li>'
                      for e in catalog.by_provider[pid][1:6])
    content = body_html(entry.body, inserts={3: bp.ad_slot(pid, "inpost", "468x60")})
    body = f"""<div class="topbar"><span>ByteFront: tech news for people who build things</span> <a href="#newsletter">Get the newsletter</a></div>
<header class="bf-header"><h2 class="site-title"><a href="/{pid}/">ByteFront</a></h2>{bp.nav(pid, catalog, lang, "bf-nav")}</header>
<div class="layout"><div class="main-col">
<article id="post-{number(art.id, 1000, 99999)}" class="post h-entry">
<h1 class="post-title p-name">{text(art.title)}</h1>
<div class="post-meta"><a rel="author" class="p-author h-card" href="#">{text(author)}</a> &middot; {date_html(entry, cls="dt-published")} {updated}</div>
{image_html(entry, "lazy", "post-hero")}
<div class="post-content e-content">
{content}
</div>
<div class="post-tags">{" ".join(f'<a class="p-category" href="/{pid}/topic/{bp.topic_slug(t)}/">#{text(t)}</a>' for t in art.topics)}</div>
</article>
<div class="author-box"><p>{text(author)} covers chips, cloud and developer tools for ByteFront. Tips and corrections are always welcome.</p></div>
{bp.comments(entry, "comment-thread")}
</div>
<aside class="sidebar" id="newsletter">{bp.newsletter(lang, "sidebar-newsletter")}
<div class="popular"><h3>Popular this week</h3><ol>{popular}</ol></div>
{bp.ad_slot(pid, "sidebar", "300x250")}</aside></div>
{bp.cookie_banner(lang, "corner")}
{bp.footer(entry.provider.name, lang, "bf-footer")}
{bp.tracking_script(pid)}"""
    return document(entry, catalog, body, CSS, "bf-blog")
