"""Business wire: a market ticker, schema.org microdata, key points and
the text in <section itemprop="articleBody">."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.dates import rfc3339
from newswire.layouts.frame import document
from newswire.markup import attr, body_html, date_html, image_html, text

CSS = ("body{font-family:Arial,sans-serif}.ticker{background:#000;color:#0f0;font-family:monospace}"
       ".mp-article h1{font-size:2em;border-left:6px solid ACCENT;padding-left:8px}")

# invented indices: the numbers are decoration, not market data
_TICKER = [("MPW Tech 100", "4,812.33", "+0.62%"), ("MPW Semis", "2,915.08", "+1.14%"),
           ("Global Cloud Idx", "1,377.90", "-0.21%"), ("AI Leaders 50", "968.41", "+0.37%")]


def render(entry: Entry, catalog: Catalog) -> str:
    art, pid = entry.article, entry.provider.id
    lang = art.language
    ticker = "".join(f"<li>{text(n)} <b>{v}</b> <i>{c}</i></li>" for n, v, c in _TICKER)
    modified = (f'<meta itemprop="dateModified" content="{rfc3339(art.updated)}">'
                f' {date_html(entry, updated=True, cls="mp-updated", prefix="Updated ")}') if art.updated else ""
    author = (f'<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
              f'<span itemprop="name">{text(art.author)}</span></span>, ') if art.author else ""
    most_read = "".join(f'<li><a href="{attr(e.path)}">{text(e.article.title)}</a></li>'
                        for e in catalog.by_provider[pid][:5] if e is not entry)
    content = body_html(entry.body, inserts={1: bp.ad_slot(pid, "native", "fluid")})
    body = f"""<div class="ticker"><ul>{ticker}</ul></div>
<header class="mp-header"><a href="/{pid}/"><img src="/{pid}/logo.png" alt="MarketPulse Wire"></a>{bp.nav(pid, catalog, lang, "mp-nav")}</header>
{bp.cookie_banner(lang, "modal")}
<div class="mp-article" itemscope itemtype="https://schema.org/NewsArticle">
<meta itemprop="datePublished" content="{rfc3339(art.published)}">{modified}
<h1 itemprop="headline">{text(art.title)}</h1>
<div class="mp-byline">{author}<span class="mp-brand">MarketPulse Wire</span> &bull; {date_html(entry, cls="mp-date")}</div>
<div class="key-points"><h2>Key points</h2><ul><li>{text(art.description)}</li></ul></div>
{image_html(entry, "picture", "mp-figure")}
<section itemprop="articleBody" class="mp-body">
{content}
</section>
<div class="disclaimer"><p>MarketPulse Wire stories are provided for information only and are not investment advice. Market data may be delayed by at least 15 minutes.</p></div>
</div>
{bp.related(entry, catalog, 4, True, "mp-related")}
<div class="most-read"><h2>Most read</h2><ol>{most_read}</ol></div>
{bp.newsletter(lang, "mp-newsletter")}
{bp.footer(entry.provider.name, lang, "mp-footer")}"""
    return document(entry, catalog, body, CSS, "mp-story")
