"""A market-research report shop: table layout, no semantic markup,
price boxes and sample-request forms; the text in #report-description."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.layouts.frame import document
from newswire.markup import attr, body_html, date_html, image_html, number, text

CSS = ("body{font-family:Arial;font-size:12px}.menu{background:ACCENT}#left{width:70%;float:left}"
       "#right{width:28%;float:right}.buy-box{border:1px solid #c00}")


def render(entry: Entry, catalog: Catalog) -> str:
    art, pid = entry.article, entry.provider.id
    lang = art.language
    others = "".join(f'<tr><td><a href="{attr(e.path)}">{text(e.article.title)}</a></td></tr>'
                     for e in catalog.by_provider[pid] if e is not entry)
    updated = date_html(entry, updated=True, cls="rep-updated", prefix="Last Updated: ")
    body = f"""<table width="100%" class="top"><tr><td><a href="/{pid}/"><img src="/{pid}/logo.png" alt="logo"></a></td>
<td align="right">Call us: +1-555-0100 | sales@globalinsightreports.example</td></tr></table>
<div class="menu"><a href="/{pid}/">Home</a> | <a href="#">Reports</a> | <a href="#">Press Releases</a> | <a href="#">Contact Us</a></div>
{bp.cookie_banner(lang, "notice")}
<div id="wrapper"><div id="left">
<h1>{text(art.title)}</h1>
<div class="rep-info">Published Date: {date_html(entry, cls="rep-date")} {updated} | Report ID: GIR-{number(art.id, 10000, 99999)} | Pages: {number(art.id + "p", 120, 320)} | Format: PDF</div>
<div class="buy-box"><p>Single User License: USD 4,250</p><p>Multi User License: USD 5,900</p><p>Corporate License: USD 7,900</p></div>
{image_html(entry, "plain", "rep-image")}
<div id="report-description">
{body_html(entry.body)}
</div>
<div class="request-sample"><h3>Request a Free Sample</h3><p>Fill in the form and an analyst will send the sample pages within 24 hours. Corporate email addresses get priority.</p>
<form action="#"><input name="name"><input name="email"><button>Send</button></form></div>
</div><div id="right"><table class="related-reports"><tr><th>Related Reports</th></tr>{others}</table>
<div class="why-us"><h3>Why choose us</h3><p>Over 12,000 reports across 40 industries, custom research on request and round-the-clock analyst support.</p></div></div></div>
{bp.footer(entry.provider.name, lang, "foot")}"""
    return document(entry, catalog, body, CSS, "report")
