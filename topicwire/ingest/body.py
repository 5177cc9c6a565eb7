"""The article's full text, as plain paragraphs, from trafilatura.

The publisher's JSON-LD ``articleBody``, when it carries the whole text,
is the publisher's own statement of what the article is: paragraphs that
trafilatura kept but the publisher left out (related links, author notes,
app promotions) are dropped, and it stands in when trafilatura finds
nothing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import trafilatura
from lxml.etree import LxmlError
from lxml.html import HtmlElement

from topicwire.ingest.text import comparable, plain_text

# Settings chosen on the fundus benchmark (bench/extract.py): tables are
# mostly layout or data widgets on news pages and cost precision; comments
# are not the article; favor_precision/favor_recall both lowered F1.
TRAFILATURA_OPTIONS = {
    "include_comments": False,
    "include_tables": False,
    "deduplicate": False,
    "favor_precision": False,
    "favor_recall": False,
}
# articleBody is used as a filter only when it is about as long as what
# trafilatura found: a shorter one is a summary or a live blog's intro.
FILTER_MIN_CHARS = 500
FILTER_MIN_SHARE = 0.6
# both texts must open alike: these many words, within this many
START_WORDS = 6
START_WINDOW = 80
# a paragraph stays when this share of its word pairs appear in articleBody
PARAGRAPH_KEEP_SHARE = 0.8

_BLOCK_TAG_RE = re.compile(r"<(?:/?(?:p|div|h[1-6]|li|blockquote)\b|br\b)[^>]*>", re.IGNORECASE)

# Calls to action that templates put between or after paragraphs: short
# lines opening with an imperative aimed at the reader, never reporting.
_CALL_TO_ACTION_RE = re.compile(
    r"^(?:click here|tap here|subscribe (?:to|now|today)|sign up (?:for|to|here|now)|join our|follow us"
    r"|download (?:the|our)|get the .{1,40} app|want to bookmark|read more\W*$|continue reading\W*$|advertisement\W*$"
    r"|share this (?:article|story)|support (?:our|independent) journalism)",
    re.IGNORECASE,
)
MAX_CALL_TO_ACTION = 200
# a headline repeated within this many first lines is dropped with what is above it
HEADLINE_WITHIN = 3
KICKER_WORDS = 6

# Both libraries log each page they give up on; here a page without text is
# data (an ExtractionError or a warning on the result), not a log line.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass
class Body:
    paragraphs: list[str]
    source: str | None
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def extract_body(tree: HtmlElement, *, url: str, title: str | None, article_body: str | None) -> Body:
    warnings: list[str] = []
    try:
        text = trafilatura.extract(tree, url=url, **TRAFILATURA_OPTIONS) or ""
    except (RecursionError, LxmlError, ValueError, MemoryError) as exc:
        warnings.append(f"text extraction failed ({type(exc).__name__}); body left empty")
        text = ""
    paragraphs = _paragraphs(text, title)
    declared = _paragraphs(_declared_text(article_body), title)
    source = "trafilatura" if paragraphs else None
    if paragraphs and declared:
        paragraphs = _filtered(paragraphs, declared)
    elif declared:
        paragraphs, source = declared, "json-ld articleBody"
    return Body(paragraphs, source, warnings)


def _declared_text(article_body: object) -> str:
    """articleBody as lines of plain text: it is raw JSON text, so its
    entities are still encoded and some publishers put HTML in it."""
    if not isinstance(article_body, str):
        return ""
    lines = _BLOCK_TAG_RE.sub("\n", article_body).splitlines()
    return "\n".join(plain_text(line, unescape=True) for line in lines)


def _paragraphs(text: str, title: str | None) -> list[str]:
    out: list[str] = []
    title_key = comparable(title) if title else None
    for number, line in enumerate(text.splitlines()):
        line = " ".join(line.split())
        key = comparable(line)
        if not key:  # separators such as "___" or "* * *"
            continue
        if key == title_key and number < HEADLINE_WITHIN:
            # the headline repeated at the top: neither it nor a kicker or
            # section label above it is the article
            out = [kept for kept in out if len(kept.split()) > KICKER_WORDS]
            continue
        if len(line) <= MAX_CALL_TO_ACTION and _CALL_TO_ACTION_RE.match(line):
            continue
        out.append(line)
    return out


def _filtered(paragraphs: list[str], declared: list[str]) -> list[str]:
    found_chars = sum(len(p) for p in paragraphs)
    declared_chars = sum(len(p) for p in declared)
    if declared_chars < FILTER_MIN_CHARS or declared_chars < FILTER_MIN_SHARE * found_chars:
        return paragraphs
    if not _start_together(paragraphs, declared):
        # an articleBody that starts elsewhere is an excerpt, not the article
        return paragraphs
    declared_pairs = set().union(*(_pairs(p) for p in declared))
    kept = []
    for paragraph in paragraphs:
        pairs = _pairs(paragraph)
        if pairs and len(pairs & declared_pairs) / len(pairs) >= PARAGRAPH_KEEP_SHARE:
            kept.append(paragraph)
    return kept or paragraphs


def _start_together(found: list[str], declared: list[str]) -> bool:
    """Whether both texts open with the same words (one may have a short
    lead-in the other lacks, such as a dateline or a standfirst)."""
    a = comparable(" ".join(found[:3])).split()[:START_WINDOW]
    b = comparable(" ".join(declared[:3])).split()[:START_WINDOW]
    opening_a, opening_b = " ".join(a[:START_WORDS]), " ".join(b[:START_WORDS])
    return bool(opening_a and opening_b) and (opening_a in " ".join(b) or opening_b in " ".join(a))


def _pairs(text: str) -> set[tuple[str, ...]]:
    # word pairs rather than words: a related headline shares the article's
    # vocabulary but rarely its phrasing
    words = comparable(text).split()
    return set(zip(words, words[1:], strict=False)) if len(words) > 1 else {tuple(words)}
