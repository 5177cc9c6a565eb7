"""The one Jinja2 environment the website renders with, and the filters that
keep what sources wrote from becoming markup or script.

Rules, all enforced here rather than remembered in each template:

- Autoescaping is on for every template, whatever its file name: a title,
  excerpt, provider name or image caption is always text.
- Every value a template prints first loses the characters XML 1.0 cannot
  carry (``finalize``), so that a stray control character in a headline
  cannot make a page ill-formed.
- Links taken from sources go through ``safe_url``: only http(s) and
  site-relative URLs pass, anything else (``javascript:``, ``data:``,
  ``vbscript:``, protocol-relative ``//host``) becomes ``#``.
- ``clean_html`` is there for source HTML worth keeping; the pages prefer
  plain text and do not use it today. Its output is XHTML-compatible.
"""

from __future__ import annotations

import re
from typing import Any

import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["make_environment", "safe_url", "clean_html", "xml_text", "CSP"]

# The policy every page carries (and the live server also sends as a
# header): nothing but our own stylesheet and images, no script at all.
CSP = "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; base-uri 'none'"

# the complement of XML 1.0's Char production, plus DEL and the C1
# controls, which in news text are always mojibake
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# browsers drop tab and newline anywhere in a URL ("java\tscript:" is
# javascript:) and C0 controls and spaces at either end
_URL_DROPPED = re.compile("[\t\n\r]")
_URL_EDGES = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# "//host" and "/\host" (browsers read a backslash as a slash) leave the site
_OTHER_HOST = re.compile(r"^[/\\]{2}")
_SAFE_SCHEMES = frozenset({"http", "https"})

_ALLOWED_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "blockquote", "br"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}


def xml_text(value: str) -> str:
    """``value`` without the characters an XML document cannot hold."""
    return _NOT_XML_CHAR.sub("", value)


def safe_url(value: Any) -> str:
    """``value`` if it is an http(s) URL with a host or a URL on this site,
    else ``"#"`` (a link that goes nowhere rather than one that runs code)."""
    if value is None:
        return "#"
    text = xml_text(_URL_DROPPED.sub("", str(value))).strip(_URL_EDGES)
    if not text:
        return "#"
    scheme = _SCHEME.match(text)
    if scheme is None:
        # a colon in the first segment of a relative URL only ever comes
        # from an attempt to smuggle a scheme past the check above
        if _OTHER_HOST.match(text) or ":" in re.split(r"[/?]", text, maxsplit=1)[0]:
            return "#"
        return text
    if scheme.group(1).lower() not in _SAFE_SCHEMES:
        return "#"
    rest = text[scheme.end():]
    # "https:evil" and "https:/x" have no host; browsers guess one
    if not re.match(r"^[/\\]{2}[^/\\?#\s]", rest):
        return "#"
    return text


def clean_html(value: Any) -> Markup:
    """Source HTML reduced to a few harmless text-level tags, with links
    limited to http(s) and marked as not ours; well-formed as XML."""
    if not value:
        return Markup("")
    cleaned = nh3.clean(
        xml_text(str(value)),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # nh3 writes HTML: a void <br> and the one named entity it uses are
    # spelled so that XML parsers accept them too
    cleaned = cleaned.replace("<br>", "<br />").replace("&nbsp;", "&#160;")
    return Markup(cleaned)


def _finalize(value: Any) -> Any:
    """Applied to every ``{{ … }}`` before escaping: ``None`` prints as
    nothing and text, marked up or not, loses what XML cannot carry."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        # markup from a filter (``join`` escapes but keeps control
        # characters): dropping characters cannot make a tag of escaped text
        return Markup(xml_text(value))
    if isinstance(value, str):
        return xml_text(value)
    return value


def make_environment() -> Environment:
    """The website's Jinja2 environment: package templates, autoescape on
    for every template, undefined names an error (a typo is not a blank)."""
    env = Environment(
        loader=PackageLoader("topicwire.site", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["clean_html"] = clean_html
    # our own constant, written as is so the policy reads the same in the page
    env.globals["csp"] = Markup(CSP)
    return env
