"""Checks every website page must pass, shared by the site tests."""

from __future__ import annotations

import re

from lxml import etree

from topicwire.site.sanitize import CSP

XHTML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
SVG_NS = "http://www.w3.org/2000/svg"
_DOCTYPE = "<!DOCTYPE html>\n"


def parse_page(html: str) -> etree._Element:
    """The page as XML, after the one line XML does not know; fails the
    test (XMLSyntaxError) when the page is not well-formed."""
    assert html.startswith(_DOCTYPE), html[:80]
    return etree.fromstring(html[len(_DOCTYPE):].encode("utf-8"), XHTML_PARSER)


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def check_page(html: str, base: str = "/") -> etree._Element:
    """Well-formed, landmarks in place, no script, no inline style, no
    remote asset, no event handler, no script URL, alt on every image.
    Attributes are judged on the parsed tree: escaped text that merely
    reads like ``onerror=`` inside an alt text is harmless."""
    root = parse_page(html)
    assert root.tag == "html" and root.get("lang")
    assert "<script" not in html.lower()
    assert root.find("head/meta[@name='viewport']") is not None
    csp = root.find("head/meta[@http-equiv='Content-Security-Policy']")
    assert csp is not None and csp.get("content") == CSP
    assert f'content="{CSP}"' in html
    for landmark in ("header", "nav", "main", "footer"):
        assert root.find(f".//{landmark}") is not None, landmark
    assert root.find("body/a[@class='skip-link']").get("href") == "#main"
    assert root.find(".//main").get("id") == "main"
    for element in root.iter():
        name = local_name(element)
        assert name not in ("script", "style", "iframe", "object", "embed", "base"), name
        for attribute, value in element.attrib.items():
            attribute = etree.QName(attribute).localname.lower()
            assert not attribute.startswith("on"), (name, attribute)
            assert attribute != "style", name
            if attribute in ("href", "src", "action", "srcset", "poster"):
                squashed = re.sub(r"\s", "", value).lower()
                assert not squashed.startswith(("javascript:", "vbscript:", "data:")), (name, value)
            if attribute in ("src", "srcset", "poster"):
                assert not re.match(r"^\s*(https?:)?//", value, re.IGNORECASE), (name, value)
        if name == "img":
            assert (element.get("alt") or "").strip(), etree.tostring(element)
            assert element.get("src", "").startswith(base + "images/")
        if name == "link" and element.get("rel") == "stylesheet":
            assert element.get("href") == base + "static/site.css"
    return root


def text_of(root: etree._Element) -> str:
    return " ".join("".join(root.itertext()).split())
