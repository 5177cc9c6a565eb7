"""A press-release distributor: wire dateline, subtitle, the release in
.release-body, and the distributor's own sales pitch around it."""

from __future__ import annotations

from newswire import boilerplate as bp
from newswire.catalog import Catalog, Entry
from newswire.layouts.frame import document
from newswire.markup import attr, body_html, date_html, image_html, text

CSS = ("body{font-family:Helvetica,Arial,sans-serif;background:#eef}#pw-header{background:ACCENT;color:#fff}"
       ".release-title{font-size:1.9em}.release-body{background:#fff;padding:20px}")


def render(entry: Entry, catalog: Catalog) -> str:
    art, pid = entry.article, entry.provider.id
    lang = art.language
    more = "".join(f'<li><a href="{attr(e.path)}">{text(e.article.title)}</a></li>'
                   for e in catalog.by_provider[pid] if e is not entry)
    body = f"""<div id="pw-header"><a href="/{pid}/"><img src="/{pid}/logo.png" alt="PR WireHub"></a>
<ul class="pw-menu"><li><a href="/{pid}/">Latest releases</a></li><li><a href="#">Distribute your news</a></li><li><a href="#">Pricing</a></li></ul></div>
{bp.cookie_banner(lang, "bar")}
<div id="pw-main">
<div class="release-header"><p class="release-tag">NEWS PROVIDED BY PR WIREHUB CUSTOMER</p>
<h1 class="release-title">{text(art.title)}</h1>
<p class="release-subtitle">{text(art.description)}</p>
<div class="release-date">{date_html(entry, cls="release-time")}</div></div>
{image_html(entry, "plain", "release-image")}
<div class="release-body">
{body_html(entry.body)}
</div>
<div class="release-disclaimer"><p>PR WireHub distributes releases on behalf of its customers and is not responsible for their content. Forward-looking statements are the issuer's alone.</p></div>
<div class="more-releases"><h2>More news releases</h2><ul>{more}</ul></div>
<div class="cta-box"><h2>Get your announcement in front of journalists</h2><p>Our distribution reaches newsrooms, trade editors and industry analysts in more than 40 countries. Plans start at $299 per release.</p></div>
</div>
{bp.footer(entry.provider.name, lang, "pw-footer")}"""
    return document(entry, catalog, body, CSS, "pw-release")
