"""Bytes of a page to text, the way a browser would pick the encoding:
a byte-order mark first, then the page's own ``<meta charset>``, and only
when the page says nothing, a guess."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Past this much HTML no article is left to find, only a slower parse;
# the cap bounds the time and memory one hostile page can take.
MAX_HTML = 5 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
# the encoding labels browsers read as windows-1252, whatever they claim
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
NEAR_TIE = 0.02
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "cp819", "ibm819"}


def cap(html: str | bytes) -> tuple[str | bytes, bool]:
    """The page cut to ``MAX_HTML`` (bytes, or characters for text), and
    whether it was cut."""
    if len(html) <= MAX_HTML:
        return html, False
    return html[:MAX_HTML], True


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page names in its first kilobytes, if Python knows it."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    match = _META_CHARSET_RE.search(data[:8192])
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # a page that is read as bytes cannot really be UTF-16 if its meta
    # tag was readable as ASCII; browsers then use UTF-8
    return "utf-8" if name.startswith("utf-16") else name


def decode_html(data: bytes) -> str:
    encoding = declared_encoding(data)
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
        return text.removeprefix("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a page cut at the size cap may end inside a character
        if exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8")
    guesses = from_bytes(data[:512 * 1024])
    best = guesses.best()
    if best is None or not best.encoding:
        return data.decode("utf-8", errors="replace")
    encoding = best.encoding
    # A few accented letters fit many single-byte encodings about equally
    # well; among near ties take windows-1252, what browsers fall back to
    # for an undeclared legacy page and by far the most common on the web.
    for guess in guesses:
        if guess.encoding in _WESTERN and guess.chaos <= best.chaos + NEAR_TIE:
            encoding = guess.encoding
            break
    return data.decode(encoding, errors="replace")
