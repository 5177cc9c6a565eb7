"""Plain text out of the strings a page declares about itself.

Titles and descriptions are shown to readers and copied into feeds, so
whatever markup a page smuggles into them must leave as inert text. lxml
has already decoded the entities of attribute values and of ``<title>``;
decoding them again would turn a literal ``&amp;lt;`` into markup, so only
strings read raw (JSON-LD) are unescaped here, and only once.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Elements whose content is code or embedded documents, never prose.
_BLOCK_RE = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg|math)\b.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL
)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
# A tag starts with a letter, '/' or '!': "a < b" in prose is left alone.
_TAG_RE = re.compile(r"</?[A-Za-z!][^<>]*(?:>|$)")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ufeff]")
_SPACE_RE = re.compile(r"\s+")


def plain_text(value: object, *, unescape: bool = False) -> str:
    """One line of plain text: markup removed, whitespace collapsed."""
    if not isinstance(value, str):
        return ""
    text = html.unescape(value) if unescape else value
    if "<" in text:
        text = _TAG_RE.sub(" ", _BLOCK_RE.sub(" ", _COMMENT_RE.sub(" ", text)))
    text = _CONTROL_RE.sub("", text)
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def comparable(text: str) -> str:
    """Lower-case words only, for telling whether two strings say the same."""
    return " ".join(re.findall(r"\w+", text.casefold()))
