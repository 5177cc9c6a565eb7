"""A German general-news site: Dachzeile, Teaser, 'Stand' line, the text
in .artikel__text, German boilerplate throughout."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.dates import german_stand
from newswire.layouts.frame import document
from newswire.markup import body_html, byline, date_html, image_html, text

CSS = ("body{font-family:'Source Sans Pro',sans-serif}.tn-kopf{background:ACCENT;color:#fff}"
       ".artikel__titel{font-size:2.4em}.artikel__teaser{font-weight:700}")


def render(entry: Entry, catalog: Catalog) -> str:
    art, pid = entry.article, entry.provider.id
    lang = art.language
    dachzeile = art.topics[0] if art.topics else "Gesellschaft"
    stand = ""
    if art.updated:
        stand = f'<span class="artikel__stand">Stand: {german_stand(art.updated, entry.profile.zone)}</span>'
    content = body_html(entry.body, p_attrs=' class="text"', inserts={1: bp.ad_slot(pid, "content_ad", "300x250", "de")})
    body = f"""{bp.cookie_banner(lang, "overlay")}
<header class="tn-kopf"><a class="tn-logo" href="/{pid}/"><img src="/{pid}/logo.png" alt="TagesNetz"></a>{bp.nav(pid, catalog, lang, "tn-navigation")}</header>
<main class="tn-main">
<article class="artikel">
<div class="artikel__kopf"><span class="artikel__dachzeile">{text(dachzeile)}</span>
<h1 class="artikel__titel">{text(art.title)}</h1>
<p class="artikel__teaser">{text(art.description)}</p>
<div class="artikel__meta"><span class="artikel__autor">{byline(entry, "Von")}</span> {date_html(entry, cls="artikel__datum")} {stand}</div></div>
{image_html(entry, "srcset", "artikel__bild")}
<div class="artikel__text">
{content}
</div>
</article>
{bp.share_bar(lang)}
{bp.related(entry, catalog, 4, True, "mehr-zum-thema")}
{bp.newsletter(lang, "tn-newsletter")}
{bp.comments(entry, "kommentare")}
</main>
{bp.footer(entry.provider.name, lang, "tn-fuss")}"""
    return document(entry, catalog, body, CSS, "tn")
