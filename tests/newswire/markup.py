"""Small HTML-writing helpers shared by the page layouts."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from html import escape

from newswire.catalog import Entry
from newswire.corpus import Block
from newswire.dates import rfc3339, visible


def text(value: str) -> str:
    return escape(value, quote=False)


def attr(value: str) -> str:
    return escape(value, quote=True)


def pick(key: str, options: list, count: int = 1) -> list:
    """A deterministic sample: a str seed is stable across processes,
    unlike hash(), which is salted."""
    return random.Random(key).sample(options, min(count, len(options)))


def number(key: str, low: int, high: int) -> int:
    digest = hashlib.sha256(key.encode()).digest()
    return low + int.from_bytes(digest[:4], "big") % (high - low + 1)


def block_html(block: Block, p_attrs: str = "") -> str:
    if block.tag == "ul":
        return "<ul>" + "".join(f"<li>{text(item)}</li>" for item in block.lines) + "</ul>"
    return f"<p{p_attrs}>" + "<br>".join(text(line) for line in block.lines) + "</p>"


def body_html(blocks: Iterable[Block], p_attrs: str = "", lead_attrs: str | None = None,
              inserts: dict[int, str] | None = None) -> str:
    """Body blocks as HTML; ``inserts`` puts boilerplate (ads, asides) after
    the block with that index, the way CMSes splice them into articles."""
    out = []
    for i, block in enumerate(blocks):
        attrs = lead_attrs if (i == 0 and lead_attrs is not None) else p_attrs
        out.append(block_html(block, attrs))
        if inserts and i in inserts:
            out.append(inserts[i])
    return "\n".join(out)


def published_text(entry: Entry) -> str:
    prof = entry.profile
    return visible(entry.article.published, prof.date_style, prof.zone)


def updated_text(entry: Entry) -> str | None:
    prof = entry.profile
    updated = entry.article.updated
    return visible(updated, prof.date_style, prof.zone) if updated else None


def date_html(entry: Entry, updated: bool = False, cls: str = "date", prefix: str = "") -> str:
    """A visible date, inside <time datetime> where the publisher uses it."""
    moment = entry.article.updated if updated else entry.article.published
    if moment is None:
        return ""
    prof = entry.profile
    shown = text(prefix + visible(moment, prof.date_style, prof.zone))
    if prof.time_tag:
        machine = rfc3339(moment, prof.zone)
        return f'<time class="{cls}" datetime="{machine}">{shown}</time>'
    return f'<span class="{cls}">{shown}</span>'


def image_html(entry: Entry, style: str = "plain", figure_class: str = "figure") -> str:
    """The lead image in one of the ways CMSes emit it; ``lazy`` keeps the
    real address only in data-src, behind a placeholder."""
    pic = entry.article.picture
    if pic is None or entry.image_url is None:
        return ""
    src = entry.image_url
    root = src.split("/", 3)[3]
    alt, w, h = attr(pic.alt), pic.width, pic.height
    if style == "lazy":
        img = (f'<img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
               f'data-src="/{root}" alt="{alt}" width="{w}" height="{h}">')
    elif style == "srcset":
        img = (f'<img src="/{root}" srcset="/{root} {w}w" sizes="(max-width: 800px) 100vw, 800px" '
               f'alt="{alt}" width="{w}" height="{h}" loading="lazy">')
    elif style == "picture":
        img = f'<picture><source srcset="/{root}" type="image/jpeg"><img src="/{root}" alt="{alt}"></picture>'
    else:
        img = f'<img src="{attr(src)}" alt="{alt}" width="{w}" height="{h}">'
    return f'<figure class="{figure_class}">{img}<figcaption>{text(pic.alt)}</figcaption></figure>'


def byline(entry: Entry, word: str = "By") -> str:
    author = entry.article.author
    return f"{word} {text(author)}" if author else ""
