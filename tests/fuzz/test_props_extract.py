"""extract under hostile input: arbitrary HTML-ish text, pages whose head
is full of broken addresses and odd metadata, deeply nested markup, and
bytes that are not what they claim, decoded the way the fetcher decodes
them. Each gives an Extraction whose article validates and is bounded, or
an ExtractionError with a one-line message, in bounded time; and what the
crawl cycle does next with the article (prepare) keeps to that contract.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given
from hypothesis import strategies as st

from topicwire.ingest.extract import Extraction, ExtractionError, extract
from topicwire.ingest.fetch import FetchResult, detect_charset, split_content_type
from topicwire.ingest.urls import normalize_url
from topicwire.model import Article
from topicwire.pipeline.imports import prepare
from topicwire.taxonomy import load_taxonomy

from fuzz_inputs import (
    BAD_UTF8,
    PROSE,
    damaged,
    fuzz_settings,
    json_value,
    outcome,
    text_piece,
    to_json,
    url_piece,
    utf8_ok,
)

FUZZ = fuzz_settings(examples=40, deadline_s=10)
SECONDS = 30
PAGE_URL = "https://www.example.com/news/2026/tram-line?utm_source=feed"
TAXONOMY = load_taxonomy()

META_NAMES = [
    "og:title", "og:url", "og:image", "og:image:width", "og:site_name", "og:locale", "og:description",
    "og:type", "article:published_time", "article:modified_time", "description", "twitter:title",
    "twitter:image", "author", "application-name", "parsely-pub-date", "dc.date", "date", "robots",
]
LINK_RELS = ["canonical", "amphtml", "icon", "apple-touch-icon", "alternate", "author"]
ATTR_VALUES = st.one_of(url_piece, text_piece, st.sampled_from(["2026-11-03T08:15:00+01:00", "1200", "-1", "en_US"]))
BODY_TAGS = ["p", "div", "article", "section", "main", "span", "h1", "h2", "li", "ul", "blockquote", "table", "td",
             "tr", "figure", "figcaption", "nav", "footer", "header", "aside", "script", "style", "noscript",
             "template", "svg", "math", "iframe", "pre", "code", "time", "a", "img", "br", "form", "select"]


@st.composite
def json_ld(draw: st.DrawFn) -> str:
    """A JSON-LD block: a plausible NewsArticle with hostile values, or any
    JSON at all, sometimes cut short."""
    if draw(st.booleans()):
        doc = {"@context": "https://schema.org", "@type": draw(st.sampled_from(["NewsArticle", "Article", ["NewsArticle"]])),
               "headline": draw(st.one_of(text_piece, json_value)), "url": draw(st.one_of(url_piece, json_value)),
               "image": draw(st.one_of(url_piece, json_value)), "datePublished": draw(json_value),
               "publisher": {"@type": "Organization", "name": draw(text_piece),
                             "logo": draw(st.one_of(url_piece, json_value))},
               "author": draw(json_value), "articleBody": draw(st.one_of(st.sampled_from(PROSE), json_value))}
    else:
        doc = draw(json_value)
    text = to_json(doc).replace("</", "<\\/")
    return text[: draw(st.integers(0, len(text)))] if draw(st.integers(0, 4)) == 0 else text


@st.composite
def head(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.integers(0, 4)):
        parts.append(f"<title>{escape(draw(st.one_of(st.sampled_from(PROSE), text_piece)))}</title>")
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["meta", "link", "base", "ld", "charset"]))
        if kind == "meta":
            attr = draw(st.sampled_from(["property", "name", "itemprop"]))
            parts.append(f"<meta {attr}={quoteattr(draw(st.sampled_from(META_NAMES)))} content={quoteattr(draw(ATTR_VALUES))}>")
        elif kind == "link":
            parts.append(f"<link rel={quoteattr(draw(st.sampled_from(LINK_RELS)))} href={quoteattr(draw(url_piece))}>")
        elif kind == "base":
            parts.append(f"<base href={quoteattr(draw(url_piece))}>")
        elif kind == "ld":
            parts.append(f'<script type="application/ld+json">{draw(json_ld())}</script>')
        else:
            parts.append(f"<meta charset={quoteattr(draw(st.sampled_from(['utf-8', 'latin1', 'utf-16', 'bogus', 'x' * 50])))}>")
    return "".join(parts)


def body_tree(depth_left: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(st.sampled_from(PROSE), text_piece).map(escape)

    @st.composite
    def node(draw: st.DrawFn) -> str:
        if depth_left <= 0 or draw(st.integers(0, 3)) == 0:
            return draw(leaf)
        tag = draw(st.sampled_from(BODY_TAGS))
        attrs = ""
        if draw(st.booleans()):
            name = draw(st.sampled_from(["href", "src", "class", "id", "datetime", "itemprop", "role", "lang", "style"]))
            attrs = f" {name}={quoteattr(draw(ATTR_VALUES))}"
        inner = "".join(draw(st.lists(body_tree(depth_left - 1), max_size=3)))
        close = "" if draw(st.integers(0, 6)) == 0 else f"</{tag}>"  # some tags left open
        return f"<{tag}{attrs}>{inner}{close}"

    return node()


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """A page: a head of hostile metadata and a body of random markup with
    enough prose that the extractor often finds an article in it."""
    prose = "".join(f"<p>{p} {p}</p>" for p in draw(st.lists(st.sampled_from(PROSE), min_size=0, max_size=6)))
    body = "".join(draw(st.lists(body_tree(4), max_size=4)))
    if draw(st.integers(0, 5)) == 0:
        depth = draw(st.sampled_from([100, 1000, 5000]))
        tag = draw(st.sampled_from(["div", "span", "b", "table", "a"]))
        body += f"<{tag}>" * depth + prose + f"</{tag}>" * draw(st.sampled_from([0, depth]))
    lang = draw(st.sampled_from(["", ' lang="en"', ' lang="de-CH"', ' lang="x"', ' lang="' + "e" * 40 + '"']))
    page = f"<!DOCTYPE html><html{lang}><head>{draw(head())}</head><body><article>{prose}{body}</article></body></html>"
    if draw(st.integers(0, 9)) == 0:
        page = page[: int(len(page) * draw(st.floats(0.2, 1.0)))]  # cut off mid-page
    return page


def check_extraction(result: Extraction, source_chars: int) -> None:
    article = result.article
    assert isinstance(article, Article)
    assert article.title and len(article.title) <= 1000 and "\n" not in article.title
    assert article.excerpt is None or len(article.excerpt) <= 5000
    assert article.content and len(article.content) <= source_chars
    assert article.web_url and normalize_url(article.web_url) == article.web_url
    for url in [article.original_url, article.amp_web_url, article.cdn_amp_web_url,
                *(i.url for i in article.images), *(i.url for i in (article.provider.images if article.provider else []))]:
        assert url is None or (url.lower().startswith(("http://", "https://")) and len(url) <= 4096)
    # storable and serialisable: JSON as UTF-8, no lone surrogates anywhere
    assert utf8_ok(article.model_dump_json())
    assert all("\n" not in w for w in result.warnings)
    # what the crawl cycle does next: a refusal is fine, a crash is not
    outcome(lambda: prepare(article, TAXONOMY, source=PAGE_URL), seconds=SECONDS)


def extracts_or_refuses(page: str | bytes, url: str = PAGE_URL) -> None:
    result = outcome(lambda: extract(page, url=url), kind=ExtractionError, seconds=SECONDS)
    if result is not None:
        check_extraction(result, len(page))


@FUZZ
@given(html_pages())
def test_hostile_pages(page: str):
    extracts_or_refuses(page)


@FUZZ
@given(st.one_of(st.text(max_size=500), st.lists(st.sampled_from(["<", ">", "</", "<!--", "<![CDATA[", "<?", "&", "#",
                                                                   "<p>", "<html>", "<head>", "<title>", "</title>",
                                                                   "<script>", "\x00", "\ufeff", " x"]),
                                                 max_size=60).map("".join)))
def test_arbitrary_text(page: str):
    extracts_or_refuses(page)


@FUZZ
@given(html_pages(), st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/html; charset=latin1",
                                      "text/html; charset=bogus", "application/xhtml+xml"]),
       st.sampled_from(["utf-8", "cp1252", "utf-16", "shift_jis"]), st.data())
def test_bytes_decoded_the_way_the_fetcher_does(page: str, content_type: str | None, encoding: str, data: st.DataObject):
    """Invalid UTF-8 and mislabelled bytes: the fetcher picks a charset
    (BOM, header, XML declaration, <meta>, then a guess) and decodes with
    replacement; extract gets that text. The raw bytes go to extract too
    (extract_file's path), which decodes them itself."""
    raw = page.encode(encoding, "replace")
    raw = data.draw(damaged(raw, tokens=[*BAD_UTF8, b"<meta charset=utf-8>", b"<meta charset=latin1>"]))
    mime, declared = split_content_type(content_type)
    fetched = FetchResult(url=PAGE_URL, content=raw, content_type=mime)
    fetched.charset = detect_charset(raw, mime, declared)
    text = fetched.text()
    assert utf8_ok(text)
    extracts_or_refuses(text)
    extracts_or_refuses(raw)


@fuzz_settings(examples=4, deadline_s=20)
@given(st.sampled_from(["div", "span", "table", "p", "a", "li", "b"]), st.sampled_from([5_000, 30_000]),
       st.booleans())
def test_deeply_nested_markup_is_bounded(tag: str, depth: int, closed: bool):
    prose = "".join(f"<p>{p}</p>" for p in PROSE * 3)
    page = ("<html><head><title>Tram line approved</title></head><body>" + f"<{tag}>" * depth + prose
            + (f"</{tag}>" * depth if closed else "") + "</body></html>")
    extracts_or_refuses(page)


@pytest.mark.parametrize("href", ["http://[x", "//[::1", "http://a.example/x y", "http://a.example:99999/",
                                  "http://a.example/" + "a" * 5000, "https://" + "a" * 300 + ".example/x"])
@pytest.mark.parametrize("where", [
    '<link rel="canonical" href={}>', '<meta property="og:url" content={}>', '<link rel="amphtml" href={}>',
    '<base href={}>', '<meta property="og:image" content={}>', '<link rel="icon" href={}>',
    '<script type="application/ld+json">{{"@type": "NewsArticle", "publisher": {{"name": "X", "logo": {}}}}}</script>',
])
def test_broken_addresses_in_the_head_are_ignored_not_fatal(where: str, href: str):
    """Regression: each of these made extract raise ValueError (urlsplit's
    "Invalid IPv6 URL") or pydantic's ValidationError, which no caller
    expects: one such page stopped a whole crawl cycle."""
    value = json.dumps(href) if "ld+json" in where else quoteattr(href)
    prose = "".join(f"<p>{p} {p}</p>" for p in PROSE)
    page = (f"<html><head><title>Tram line approved</title>{where.format(value)}</head>"
            f"<body><article>{prose}</article></body></html>")
    result = extract(page, url=PAGE_URL)
    check_extraction(result, len(page))
    assert result.article.title == "Tram line approved"


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"])
def test_dates_that_leave_the_calendar_in_utc_are_left_out(when: str):
    """Regression: converting these to UTC raised OverflowError out of
    extract, which stopped a whole crawl cycle."""
    prose = "".join(f"<p>{p} {p}</p>" for p in PROSE)
    head = (f'<meta property="article:published_time" content="{when}">'
            f'<script type="application/ld+json">{{"@type": "NewsArticle", "dateModified": "{when}"}}</script>')
    page = f"<html><head><title>Tram line approved</title>{head}</head><body><article>{prose}</article></body></html>"
    result = extract(page, url=PAGE_URL)
    assert result.article.published_date_time is None and result.article.updated_date_time is None
    assert any("out of range" in w for w in result.warnings)
