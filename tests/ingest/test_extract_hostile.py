"""Pages that try to break the extractor, and the encodings of old pages."""

from __future__ import annotations

import gzip
import socket
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topicwire.errors import TopicwireError
from topicwire.ingest.decoding import MAX_HTML, decode_html
from topicwire.ingest.extract import ExtractionError, extract, extract_file

PAGES = Path(__file__).parent / "data" / "pages"
URL = "https://www.example.com/news/a"
TEXT = "<p>" + "The council approved the new tram line after a long debate about its cost. " * 6 + "</p>"


def page(head: str = "<title>Tram line approved</title>", body: str = TEXT * 3) -> str:
    return f"<!DOCTYPE html><html lang='en'><head>{head}</head><body><article>{body}</article></body></html>"


# -- markup in the declared strings ------------------------------------------


def test_script_in_title_and_description_leaves_as_plain_text():
    head = (
        "<title>&lt;script&gt;alert(1)&lt;/script&gt;Tram line &amp;amp; budget</title>"
        '<meta name="description" content="&lt;script&gt;alert(2)&lt;/script&gt;Costs &amp;lt;b&amp;gt; rose">'
        '<meta property="og:title" content="<img src=x onerror=alert(3)>Tram line approved">'
    )
    article = extract(page(head), url=URL).article
    assert article.title == "Tram line approved"
    assert article.excerpt == "Costs &lt;b&gt; rose"  # entities decoded once, not twice
    for text in (article.title, article.excerpt, article.content):
        assert "<script" not in text and "alert(" not in text and "<img" not in text


def test_json_ld_strings_are_unescaped_once_and_stripped():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Trams &amp;amp; buses <script>alert(1)<\\/script>",'
        ' "description": "Fares &lt;b&gt;frozen&lt;/b&gt;"}</script>'
    )
    result = extract(page(head), url=URL)
    assert result.article.title == "Trams &amp; buses"
    assert result.article.excerpt == "Fares frozen"


def test_broken_json_ld_is_ignored():
    head = '<title>Tram line approved</title><script type="application/ld+json">{"@type": "NewsArticle", </script>'
    head += '<script type="application/ld+json">' + "[" * 100_000 + "</script>"
    assert extract(page(head), url=URL).article.title == "Tram line approved"


# -- sizes and shapes ---------------------------------------------------------


def test_hundred_thousand_nested_divs_do_not_crash():
    deep = "<div>" * 100_000 + TEXT + "</div>" * 100_000
    start = time.perf_counter()
    try:
        result = extract(page(body=deep + TEXT * 2), url=URL)
    except ExtractionError as exc:
        assert "\n" not in str(exc)
    else:
        assert result.article.title == "Tram line approved"
    assert time.perf_counter() - start < 10


def test_a_fifty_megabyte_page_is_cut_to_the_cap():
    paragraph = "<p>" + "Council minutes, item by item, read into the record at length. " * 10 + "</p>\n"
    huge = page(body=paragraph * (50 * 1024 * 1024 // len(paragraph))).encode()
    assert len(huge) > 50_000_000
    start = time.perf_counter()
    result = extract(huge, url=URL)
    assert time.perf_counter() - start < 20
    assert any("only the first" in w for w in result.warnings)
    assert result.article.title == "Tram line approved"


def test_cap_cuts_text_input_too():
    result = extract(page(body=TEXT * (MAX_HTML // len(TEXT) + 10)), url=URL)
    assert any("only the first" in w for w in result.warnings)


@pytest.mark.parametrize(
    "html",
    ["", "   ", "just some words", "<html></html>", "<html><head><title>Only a title</title></head></html>", b"\x00\x01\xff"],
)
def test_pages_without_an_article_raise_one_line_errors(html):
    with pytest.raises(ExtractionError) as caught:
        extract(html, url=URL)
    assert isinstance(caught.value, TopicwireError)
    assert caught.value.source == URL and "\n" not in str(caught.value)


def test_no_title_is_an_extraction_error():
    with pytest.raises(ExtractionError, match="no usable title"):
        extract("<html><head></head><body><article>" + TEXT * 3 + "</article></body></html>", url=URL)


@pytest.mark.parametrize("url", ["", "ftp://example.com/a", "file:///etc/passwd", "not a url"])
def test_a_url_that_is_not_http_is_refused(url):
    with pytest.raises(ExtractionError):
        extract(page(), url=url)


def test_nothing_touches_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    # no structured date: htmldate runs too, on the tree, never on a URL
    result = extract(page(body="<p>Published on 12 March 2026.</p>" + TEXT * 3), url="https://www.example.com/a/b")
    assert result.article.title == "Tram line approved"


# -- encodings ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["latin1-declared.html", "latin1-undeclared.html"])
def test_latin1_bytes(name):
    article = extract((PAGES / name).read_bytes(), url=URL).article
    assert article.title == "Café owners in São Paulo try robot baristas"
    assert "crème brûlée" in article.content and "naïve" in article.content
    assert "\ufffd" not in article.content


def test_declared_charset_wins_over_a_guess():
    html = page("<meta charset='windows-1251'><title>Трамвай</title>", "<p>" + "Новая линия трамвая одобрена. " * 20 + "</p>")
    assert extract(html.encode("cp1251"), url=URL).article.title == "Трамвай"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("\ufeff<html>é</html>".encode("utf-8"), "<html>é</html>"),
        ("\ufeff<html>é</html>".encode("utf-16-le"), "<html>é</html>"),
        (b'<meta charset="latin1"><p>\x93quoted\x94</p>', '<meta charset="latin1"><p>\u201cquoted\u201d</p>'),
        ("<p>caf\u00e9 ".encode() * 10 + b"\xc3", "<p>caf\u00e9 " * 10),  # cut inside a character
    ],
)
def test_decoding(data, text):
    assert decode_html(data) == text


def test_gzipped_file(tmp_path):
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress(page().encode()))
    result = extract_file(path, url="https://www.example.com/story")
    assert result.article.title == "Tram line approved"
    assert result.article.original_url == "https://www.example.com/story"


def test_unreadable_file(tmp_path):
    with pytest.raises(ExtractionError, match="cannot read"):
        extract_file(tmp_path / "missing.html")
    bad = tmp_path / "bad.html.gz"
    bad.write_bytes(b"\x1f\x8bnot really gzip")
    with pytest.raises(ExtractionError, match="cannot read"):
        extract_file(bad)


def test_overlong_addresses_are_ignored_or_refused():
    long_path = "/a" * 3000
    head = f'<title>Tram line approved</title><link rel="canonical" href="https://www.example.com{long_path}">'
    head += f'<link rel="amphtml" href="https://www.example.com{long_path}/amp">'
    result = extract(page(head), url=URL)
    assert result.article.web_url == URL and result.article.amp_web_url is None
    with pytest.raises(ExtractionError, match="longer than"):
        extract(page(), url="https://www.example.com" + long_path * 2)


_PIECES = st.sampled_from([
    "<html>", "<head>", "<title>", "</title>", "<meta property='og:title' content='", "'>", "<body>", "<article>",
    "<p>", "</p>", "<div>", "</div>", "<script type='application/ld+json'>", "</script>", '{"@type":"NewsArticle",',
    '"datePublished":"', "2026-13-45T99:99", '"}', "<time datetime='", "<link rel='canonical' href='", "//", "?",
    "<h1>", "</h1>", "&amp;", "&lt;", "<!--", "-->", "<![CDATA[", "\x00", "\ufeff", "é", " word", ".",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=80).map("".join), st.booleans())
def test_any_markup_gives_an_article_or_an_extraction_error(html, as_bytes):
    try:
        result = extract(html.encode("utf-8", "surrogatepass") if as_bytes else html, url=URL)
    except ExtractionError:
        return
    assert result.article.title and result.article.content
