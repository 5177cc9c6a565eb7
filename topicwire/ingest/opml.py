"""Subscription lists in OPML: sources read from them, and written back.

Folders become categories: a source's category is the text of the outline
it sits in (nested folders flattened, the innermost name kept). What
``write_opml`` writes, ``read_opml`` reads back as the same list, in the
same order: consecutive sources of one category share a folder, so a
category that comes back later in the list gets a second folder rather
than being moved. Names are plain text with whitespace collapsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from topicwire.ingest.feeds import FeedError, absolute_http_url, read_xml

# characters XML 1.0 cannot carry even escaped
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FEED_SCHEME = re.compile(r"^feed:(?://)?", re.IGNORECASE)


@dataclass
class OutlineSource:
    url: str
    name: str | None = None
    kind: str | None = None
    site_url: str | None = None
    category: str | None = None


def read_opml(content: bytes, *, source: str) -> list[OutlineSource]:
    """The sources (outlines with an ``xmlUrl``) of an OPML file, in document
    order, each URL once. An ``xmlUrl`` that is not an http(s) URL is an
    error naming the outline: silently dropping a subscription would lose it."""
    root = read_xml(content, source=source)
    if root.tag != "opml":
        raise FeedError(f"not an OPML document: the root element is <{root.tag}>", source=source)
    body = root.find("body")
    if body is None:
        raise FeedError("an OPML document needs a <body>", source=source)
    sources: list[OutlineSource] = []
    seen: set[str] = set()
    # depth-first in document order, without recursion: nesting is
    # attacker-controlled (though capped by read_xml)
    stack: list[tuple[Element, str | None]] = [(node, None) for node in reversed(body)]
    while stack:
        node, category = stack.pop()
        if node.tag != "outline":
            continue
        attrs = {key.lower(): value for key, value in node.attrib.items()}
        label = _text(attrs.get("text")) or _text(attrs.get("title"))
        feed = _text(attrs.get("xmlurl"))
        if feed:
            url = _feed_url(feed, label, source)
            if url not in seen:
                seen.add(url)
                sources.append(
                    OutlineSource(
                        url=url,
                        name=label if label != url else None,
                        kind=_text(attrs.get("type")),
                        site_url=absolute_http_url(attrs.get("htmlurl")),
                        category=category,
                    )
                )
        inner = category if feed or not label else label
        stack.extend((child, inner) for child in reversed(node))
    return sources


def _feed_url(value: str, label: str | None, source: str) -> str:
    # feed://host/... and feed:https://host/... are old browser conventions
    # for "this is a feed"; the address is the rest
    rest = _FEED_SCHEME.sub("", value)
    if rest != value and "://" not in rest:
        rest = "http://" + rest
    url = absolute_http_url(rest)
    if url is None:
        raise FeedError(f"outline {label or value!r}: {value!r} is not an http(s) URL", source=source, field="xmlUrl")
    return url


def _text(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def write_opml(sources: list[OutlineSource], *, title: str) -> str:
    """An OPML 2.0 subscription list of ``sources``. ``type`` is written
    only when the kind is known, and ``text`` falls back to the URL when
    there is no name, so that reading it back gives the same sources."""
    opml = Element("opml", version="2.0")
    head = SubElement(opml, "head")
    SubElement(head, "title").text = _xml_safe(title)
    body = SubElement(opml, "body")
    folder, current = body, None
    for source in sources:
        if (source.category or None) != current:
            current = source.category or None
            folder = body if current is None else SubElement(body, "outline", text=_xml_safe(current))
        attrs = {"text": _xml_safe(source.name or source.url)}
        if source.name:
            attrs["title"] = _xml_safe(source.name)
        if source.kind:
            attrs["type"] = _xml_safe(source.kind)
        attrs["xmlUrl"] = _xml_safe(source.url)
        if source.site_url:
            attrs["htmlUrl"] = _xml_safe(source.site_url)
        SubElement(folder, "outline", attrs)
    indent(opml, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(opml, encoding="unicode") + "\n"


def _xml_safe(value: str) -> str:
    return _XML_INVALID.sub("", value)
