"""A subscription magazine: dek and rubric, the text in .article__body,
and on paywalled pages a subscribe box after the teaser."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.layouts.frame import document
from newswire.markup import body_html, byline, date_html, image_html, text

CSS = ("body{font-family:'Playfair Display',serif;background:#fffdf7}.mag-article h1{font-size:3em;color:ACCENT}"
       ".dek{font-style:italic}.subscribe-box{border:2px solid ACCENT;padding:16px}")


def _subscribe_box(entry: Entry) -> str:
    if entry.paywall_prompt is None:
        return ""
    pid = entry.provider.id
    return (f'<div class="subscribe-box" id="paywall"><h2>Continue reading</h2><p>{text(entry.paywall_prompt)}</p>'
            f'<ul class="plans"><li>Digital: $4 a month for the first year</li><li>Print and digital: $9 a month</li></ul>'
            f'<a class="button" href="/{pid}/private/subscribe/">Subscribe now</a> '
            f'<a href="/{pid}/private/account/">Sign in</a></div>')


def render(entry: Entry, catalog: Catalog) -> str:
    art, pid = entry.article, entry.provider.id
    lang = art.language
    rubric = art.topics[0] if art.topics else "Essay"
    updated = date_html(entry, updated=True, cls="updated", prefix="Updated ")
    body_class = "article__body paywall" if art.kind == "paywall" else "article__body"
    body = f"""<header class="mag-header"><a href="/{pid}/"><img src="/{pid}/logo.png" alt="The Sentinel Review"></a>
<a class="subscribe-cta" href="/{pid}/private/subscribe/">Subscribe</a> <a href="/{pid}/private/account/">Sign in</a></header>
{bp.nav(pid, catalog, lang, "mag-nav")}
<main class="mag-main">
<article class="mag-article">
<header class="mag-article__header"><p class="rubric">{text(rubric)}</p><h1>{text(art.title)}</h1>
<p class="dek">{text(art.description)}</p><p class="byline">{byline(entry)} | {date_html(entry, cls="pubdate")} {updated}</p></header>
{image_html(entry, "picture", "mag-figure")}
<div class="{body_class}">
{body_html(entry.body, lead_attrs=' class="has-dropcap"')}
</div>
{_subscribe_box(entry)}
</article>
{bp.newsletter(lang, "mag-newsletter")}
{bp.related(entry, catalog, 3, True, "more-from")}
</main>
{bp.cookie_banner(lang, "bottom")}
{bp.footer(entry.provider.name, lang, "mag-footer")}"""
    return document(entry, catalog, body, CSS, "magazine")
