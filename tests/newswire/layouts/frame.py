"""The document shell every layout fills in."""

from __future__ import annotations

import hashlib

from newswire.catalog import Catalog, Entry
from newswire.head import render_head


def accent(provider_id: str) -> str:
    """A stable brand colour per publisher, so the sites look apart."""
    digest = hashlib.sha256(provider_id.encode()).digest()
    return "#" + "".join(f"{byte // 2:02x}" for byte in digest[:3])


def document(entry: Entry, catalog: Catalog, body: str, css: str, body_class: str = "") -> str:
    css = css.replace("ACCENT", accent(entry.provider.id))
    head = render_head(entry, catalog, extra=f"<style>{css}</style>")
    cls = f' class="{body_class}"' if body_class else ""
    return (f'<!DOCTYPE html>\n<html lang="{entry.provider.locale}">\n<head>\n{head}\n</head>\n'
            f"<body{cls}>\n{body}\n</body>\n</html>\n")
