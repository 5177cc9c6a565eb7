"""What a page says about itself, read in one pass over the parsed tree:
``<meta>`` tags (OpenGraph, Twitter, Dublin Core, parse.ly, ...), ``<link>``
relations, JSON-LD blocks, microdata dates, the document language, its
``<title>`` and headings, and ``<time>`` elements of the article.

Only reading happens here; choosing between the signals is the job of the
modules for titles, dates, URLs and so on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from topicwire.ingest.jsonld import parse_jsonld
from topicwire.ingest.text import plain_text

# Microdata properties worth reading off any element, not only <meta>.
_ITEMPROPS = {"datePublished", "dateModified", "dateCreated", "headline", "inLanguage"}
_MAIN_XPATH = '(//*[@role="main" or @itemprop="articleBody"])[1]'
_MAX_JSONLD_CHARS = 2_000_000
# Class names of update lines and times: "dt-updated", "artikel__stand"...
_STAMP_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:updated?|modified|last-?update|stand|aktualisiert)(?:$|[\s_-])", re.I)
# a cheap XPath prefilter for the regular expression above
_STAMP_XPATH = (
    ".//*[@class][contains(@class,'pdat') or contains(@class,'odifi') or contains(@class,'tand')"
    " or contains(@class,'ktualis')]"
)


@dataclass
class PageMeta:
    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-cased name/property -> contents
    links: dict[str, list[str]] = field(default_factory=dict)  # rel -> hrefs, in page order
    jsonld: list[dict] = field(default_factory=list)  # every JSON-LD object, outermost first
    itemprops: dict[str, list[str]] = field(default_factory=dict)
    lang: str | None = None
    is_amp: bool = False
    title: str | None = None
    base: str | None = None  # <base href>, what relative addresses are relative to
    headings: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)  # datetime attributes of <time> in the article
    updated_times: list[str] = field(default_factory=list)  # ... of those marked as update times
    article: HtmlElement | None = None  # the element holding the article, when the page marks it

    def first(self, *names: str) -> tuple[str, str] | None:
        """The first non-empty value among meta ``names``, with its name."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value.strip():
                    return name, value.strip()
        return None


def read_metadata(tree: HtmlElement) -> PageMeta:
    page = PageMeta()
    root = tree.getroottree().getroot()
    if root.tag == "html":
        page.lang = root.get("lang") or root.get("xml:lang")
        page.is_amp = "amp" in root.attrib or "\u26a1" in root.attrib
    for element in tree.iter("meta", "link", "script", "title", "base"):
        tag = element.tag
        if tag == "meta":
            _read_meta(element, page)
        elif tag == "link":
            _read_link(element, page)
        elif tag == "script":
            kind = (element.get("type") or "").lower()
            if "ld+json" in kind and element.text and len(element.text) <= _MAX_JSONLD_CHARS:
                page.jsonld.extend(parse_jsonld(element.text))
        elif tag == "title":
            if page.title is None:
                page.title = element.text_content()
        elif page.base is None and element.get("href"):
            page.base = element.get("href").strip()
    # the attribute values, filtered here, are several times faster to
    # collect than elements selected by a compound XPath predicate
    for name in tree.xpath("//@itemprop"):
        if name not in _ITEMPROPS:
            continue
        element = name.getparent()
        value = element.get("content") or element.get("datetime") or element.text_content()
        if value and value.strip():
            page.itemprops.setdefault(element.get("itemprop"), []).append(value.strip())
    first_h1 = None
    for heading in tree.iter("h1"):
        first_h1 = first_h1 if first_h1 is not None else heading
        text = plain_text(heading.text_content())
        if text:
            page.headings.append(text)
        if len(page.headings) >= 3:
            break
    page.article = article_element(tree, first_h1)
    if page.article is not None:
        for element in page.article.iter("time"):
            when = element.get("datetime")
            if when:
                # h-entry's dt-updated and the like say which time is which
                updated = _STAMP_CLASS_RE.search(element.get("class", ""))
                (page.updated_times if updated else page.times).append(when)
    return page


def time_after_headline(tree: HtmlElement) -> str | None:
    """The datetime of the first <time> after the first <h1>: a byline's
    time on pages that do not mark where their article is."""
    found = tree.xpath("(//h1)[1]/following::time[@datetime][1]/@datetime")
    return str(found[0]) if found else None


def update_stamps(article: HtmlElement) -> list[str]:
    """Texts of the article's visible "updated" lines ("Updated: ...",
    "Stand: ..."), for pages that state an update nowhere else."""
    found = []
    for element in article.xpath(_STAMP_XPATH):
        if _STAMP_CLASS_RE.search(element.get("class", "")):
            text = element.get("datetime") or plain_text(element.text_content())
            if text and len(text) <= 80:
                found.append(text)
    return found[:3]


def article_element(tree: HtmlElement, headline: HtmlElement | None = None) -> HtmlElement | None:
    """Where the page's own article sits: the <article> or <main> around
    its headline, else its first one (teaser cards are <article>s too),
    else an element marked as the main part or the article body."""
    if headline is not None:
        around = next(headline.iterancestors("article", "main"), None)
        if around is not None:
            return around
    found = next(tree.iter("article", "main"), None)
    if found is None:
        marked = tree.xpath(_MAIN_XPATH)
        found = marked[0] if marked else None
    return found


def _read_meta(element: HtmlElement, page: PageMeta) -> None:
    content = element.get("content")
    if content is None:
        return
    # microdata <meta itemprop> is read with the other microdata
    for attribute in ("property", "name", "http-equiv"):
        key = element.get(attribute)
        if key:
            page.meta.setdefault(key.strip().lower(), []).append(content)


def _read_link(element: HtmlElement, page: PageMeta) -> None:
    href = element.get("href")
    if not href or not href.strip():
        return
    for rel in (element.get("rel") or "").lower().split():
        page.links.setdefault(rel, []).append(href.strip())
