"""A specialist vertical on a Drupal-style CMS: nested field wrappers,
the text in .field--name-body, a sidebar region and a comment block."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.layouts.frame import document
from newswire.markup import body_html, byline, date_html, image_html, text

CSS = ("body{font-family:Verdana,sans-serif;font-size:14px}.region-header{background:ACCENT;color:#fff}"
       ".layout-content{width:70%;float:left}.layout-sidebar-second{width:28%;float:right}")

_SLOGANS = {
    "medsignal": "Clinical technology, evidence first",
    "roboreport": "Robots, autonomy and the people who build them",
}
_NOTES = {
    "medsignal": ("MedSignal reports on medical technology for clinicians and health-system leaders. Nothing "
                  "on this site is medical advice; talk to a qualified professional about your own care."),
    "roboreport": ("The Robo Report is independent and reader-supported. Companies we cover never review "
                   "stories before publication."),
}


def render(entry: Entry, catalog: Catalog) -> str:
    art, pid = entry.article, entry.provider.id
    lang = art.language
    updated = date_html(entry, updated=True, cls="node__updated", prefix="Last updated ")
    tags = ", ".join(f'<a href="/{pid}/topic/{bp.topic_slug(t)}/" hreflang="en">{text(t)}</a>' for t in art.topics)
    content = body_html(entry.body)
    body = f"""<div class="dialog-off-canvas-main-canvas">
{bp.cookie_banner(lang, "popup")}
<header role="banner"><div class="region-header"><a href="/{pid}/" class="site-logo"><img src="/{pid}/logo.png" alt="Home"></a>
<div class="site-name">{text(entry.provider.name)}</div><div class="site-slogan">{text(_SLOGANS.get(pid, ""))}</div></div>
{bp.nav(pid, catalog, lang, "menu--main")}</header>
<div class="region-highlighted">{bp.ad_slot(pid, "top", "970x90")}</div>
<main role="main"><div class="layout-content"><div id="block-mainpagecontent" class="block block-system">
<article role="article" class="node node--type-article node--view-mode-full">
<h1 class="page-title"><span class="field field--name-title">{text(art.title)}</span></h1>
<div class="node__meta"><span class="field--name-uid">{byline(entry)}</span> <span class="field--name-created">{date_html(entry, cls="node__date")}</span> {updated}</div>
<div class="node__content">
<div class="field field--name-field-image">{image_html(entry, "plain", "field__item")}</div>
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field__item">
{content}
</div>
<div class="field field--name-field-tags"><div class="field__label">Topics</div>{tags}</div>
</div></article></div>
<div class="site-note"><p>{text(_NOTES.get(pid, ""))}</p></div>
{bp.comments(entry, "comment-section")}
</div>
<aside class="layout-sidebar-second" role="complementary">{bp.newsletter(lang, "block-newsletter")}
{bp.related(entry, catalog, 5, True, "block-related")}{bp.ad_slot(pid, "sidebar", "300x250")}</aside></main>
{bp.footer(entry.provider.name, lang, "site-footer region-footer")}
</div>"""
    return document(entry, catalog, body, CSS, "path-node page-node-type-article")
