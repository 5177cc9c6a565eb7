"""A fetched page to an article record: the page's own metadata (JSON-LD,
OpenGraph, meta and link tags) for the fields it declares, trafilatura
for the text.

The HTML is parsed once; every reader works on that one tree, and
trafilatura gets it last (it works on its own copy).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import trafilatura
from lxml.etree import LxmlError
from lxml.html import HtmlElement, document_fromstring

from topicwire.errors import RecordError, TopicwireError
from topicwire.ingest.authors import find_authors
from topicwire.ingest.body import extract_body
from topicwire.ingest.canonical import MAX_URL, find_urls
from topicwire.ingest.dates import find_dates
from topicwire.ingest.decoding import MAX_HTML, cap, decode_html
from topicwire.ingest.excerpt import cut, lead
from topicwire.ingest.jsonld import main_article, text_of
from topicwire.ingest.lead_image import find_lead_image
from topicwire.ingest.locale import find_locale
from topicwire.ingest.metadata import PageMeta, read_metadata
from topicwire.ingest.providers import find_provider, provider_domain, site_logo, site_names
from topicwire.ingest.text import comparable, plain_text
from topicwire.ingest.titles import SiteNames, choose_title
from topicwire.ingest.urls import normalize_url
from topicwire.model import Article, article_id, validate
from topicwire.organizations import Organizations

__all__ = ["Extraction", "ExtractionError", "extract", "extract_file"]

_DESCRIPTIONS = ("description", "og:description", "twitter:description")


class ExtractionError(TopicwireError):
    """A page that gives no article: no usable title or no text at all."""


@dataclass
class Extraction:
    article: Article
    authors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


def extract(
    html: str | bytes,
    *,
    url: str,
    organizations: Organizations | None = None,
    default_locale: str | None = None,
) -> Extraction:
    """The article in ``html``, fetched from ``url`` (an absolute http(s)
    URL). Raises ExtractionError when the page has no usable title or no
    body text; everything else missing is a warning."""
    try:
        fetched = normalize_url(url)
    except RecordError as exc:
        raise ExtractionError(f"cannot extract a page without its http(s) URL ({exc.reason})", source=url) from None
    if len(fetched) > MAX_URL:
        raise ExtractionError(f"the page's URL is longer than {MAX_URL} characters", source=url[:200])
    warnings: list[str] = []
    sources: dict[str, str] = {}
    html, was_cut = cap(html)
    if was_cut:
        warnings.append(f"page is larger than {MAX_HTML:,} bytes; only the first {MAX_HTML:,} were read")
    tree = _parse(html if isinstance(html, str) else decode_html(html), url)

    page = read_metadata(tree)
    urls = find_urls(page, url, fetched)
    warnings += urls.warnings
    sources.update(urls.sources)
    ld = main_article(page.jsonld, {url, urls.web})

    domain = provider_domain(page, urls.web)
    names = site_names(page, ld)
    provider, sources["provider"], org = find_provider(domain, names, organizations, site_logo(page, ld, url))
    site = SiteNames([name for _, name in names] + ([org.name, *org.alias_names] if org else []), domain)

    chosen = choose_title(page, ld, site)
    if chosen is None:
        raise ExtractionError("no usable title (no og:title, headline, <h1> or <title>)", source=url)
    title, sources["title"] = chosen

    dates = find_dates(page, ld, tree, urls.web)
    warnings += dates.warnings
    sources.update(dates.sources)
    locale, locale_source = find_locale(page, ld, default_locale)
    if locale_source:
        sources["locale"] = locale_source
    image, image_source = find_lead_image(page, ld, tree, urls.base)
    if image_source:
        sources["images"] = image_source
    authors = find_authors(page, ld)

    body = extract_body(tree, url=urls.web, title=title, article_body=ld.get("articleBody") if ld else None)
    warnings += body.warnings
    if not body.paragraphs:
        raise ExtractionError("no body text found", source=url)
    sources["content"] = body.source or "trafilatura"

    excerpt, sources["excerpt"] = _excerpt(page, ld, title, body.paragraphs, site)

    record = {
        "id": article_id(urls.web),
        "category": "news",
        "title": title,
        "excerpt": excerpt,
        "published_date_time": dates.published,
        "updated_date_time": dates.updated,
        "original_url": urls.original,
        "web_url": urls.web,
        "amp_web_url": urls.amp,
        "cdn_amp_web_url": urls.cdn_amp,
        "type": "article",
        "locale": locale,
        "provider": provider,
        "images": [image] if image else [],
        "content": body.text,
    }
    try:
        article = validate(Article, record, source=url)
    except RecordError as exc:
        # the readers keep every field within the schema's bounds; this is
        # the guard for the case they missed, still one line
        raise ExtractionError(f"{exc.field}: {exc.reason}" if exc.field else exc.reason, source=url) from None
    return Extraction(article=article, authors=authors, warnings=list(dict.fromkeys(warnings)), sources=sources)


def extract_file(
    path: Path | str,
    *,
    url: str | None = None,
    organizations: Organizations | None = None,
    default_locale: str | None = None,
) -> Extraction:
    """The article in a saved ``.html`` or ``.html.gz`` file. Without
    ``url`` the page is taken to come from ``https://localhost/<file name>``:
    a saved page's canonical link still gives the real address, provider
    and id, and ``originalUrl`` then says plainly that it came from a file."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
            handle.seek(0)
            stream = gzip.GzipFile(fileobj=handle) if head == b"\x1f\x8b" else handle
            data = stream.read(MAX_HTML + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ExtractionError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", source=str(path)) from None
    if url is None:
        name = path.name.removesuffix(".gz")
        url = f"https://localhost/{quote(name)}"
        result = extract(data, url=url, organizations=organizations, default_locale=default_locale)
        result.warnings.insert(0, f"no URL given; read as {url}")
        return result
    return extract(data, url=url, organizations=organizations, default_locale=default_locale)


def _parse(text: str, url: str) -> HtmlElement:
    try:
        tree = trafilatura.load_html(text)
        if tree is None:
            # a fragment without <html>: trafilatura refuses it, lxml does not
            tree = document_fromstring(text)
    except (LxmlError, ValueError, RecursionError) as exc:
        raise ExtractionError(f"not parseable as HTML ({type(exc).__name__})", source=url) from None
    return tree


def _excerpt(page: PageMeta, ld: dict | None, title: str, paragraphs: list[str], site: SiteNames) -> tuple[str, str]:
    candidates = [(name, plain_text(v)) for name in _DESCRIPTIONS for v in page.meta.get(name, ())[:1]]
    if ld is not None:
        candidates.append(("json-ld description", text_of(ld.get("description"))))
    title_key = comparable(title)
    for source, text in candidates:
        # some templates fill the description with the title or the site's name
        if text and comparable(text) != title_key and not site.is_name(text):
            return cut(text), source
    return lead(paragraphs), "body"
