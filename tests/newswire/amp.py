"""The minimal AMP twin of an article page. Its canonical is the main
page's canonical, as AMP requires, so both resolve to one article."""

from __future__ import annotations

from newswire.catalog import Catalog, Entry
from newswire.dates import rfc3339
from newswire.head import json_ld, meta
from newswire.markup import attr, body_html, byline, published_text, text

# AMP's mandatory hide-until-runtime-loads rule, shortened to its effect
_BOILERPLATE = ("<style amp-boilerplate>body{visibility:hidden;animation:amp-show 0s 4s forwards}"
                "@keyframes amp-show{to{visibility:visible}}</style>"
                "<noscript><style amp-boilerplate>body{visibility:visible;animation:none}</style></noscript>")


def render_amp(entry: Entry, catalog: Catalog) -> str:
    art = entry.article
    pic = art.picture
    image = ""
    if pic and entry.image_url:
        image = (f'<amp-img src="{attr(entry.image_url)}" width="{pic.width}" height="{pic.height}" '
                 f'layout="responsive" alt="{attr(pic.alt)}"></amp-img>')
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art.title,
          "datePublished": rfc3339(art.published), "mainEntityOfPage": entry.web_url,
          "publisher": {"@type": "Organization", "name": entry.provider.name,
                        "logo": {"@type": "ImageObject", "url": catalog.logo_url(entry.provider.id)}}}
    if art.updated:
        ld["dateModified"] = rfc3339(art.updated)
    if entry.image_url:
        ld["image"] = [entry.image_url]
    return f"""<!doctype html>
<html \u26a1 lang="{entry.provider.locale}">
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<title>{text(art.title)}</title>
<link rel="canonical" href="{attr(entry.web_url)}">
<meta name="viewport" content="width=device-width">
{meta("property", "og:title", art.title)}
{json_ld(ld)}
{_BOILERPLATE}
<style amp-custom>body{{font-family:sans-serif;margin:0 12px}}</style>
</head>
<body>
<header class="amp-header"><a href="/{entry.provider.id}/">{text(entry.provider.name)}</a></header>
<article class="amp-article">
<h1>{text(art.title)}</h1>
<p class="amp-meta">{byline(entry)} {text(published_text(entry))}</p>
{image}
{body_html(entry.body)}
</article>
<footer><a href="{attr(entry.url)}">View the full site</a></footer>
</body>
</html>
"""
