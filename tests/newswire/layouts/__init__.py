"""Article page layouts, one per kind of publisher (see newswire.profiles)."""

from __future__ import annotations

from newswire.catalog import Catalog, Entry
from newswire.layouts import aggregator, blog, broadsheet, clinical, finance, german, magazine, release, spam, trade

LAYOUTS = {
    "trade": trade.render, "broadsheet": broadsheet.render, "blog": blog.render, "finance": finance.render,
    "clinical": clinical.render, "magazine": magazine.render, "release": release.render,
    "aggregator": aggregator.render, "spam": spam.render, "german": german.render,
}


def render_article(entry: Entry, catalog: Catalog) -> str:
    return LAYOUTS[entry.profile.template](entry, catalog)
