"""Finding feeds announced in a page's head."""

from __future__ import annotations

from pathlib import Path

import pytest

from topicwire.ingest.discover import discover_feeds

FEEDS = Path(__file__).parent / "data" / "feeds"


def test_a_home_page():
    html = (FEEDS / "home.html").read_text("utf-8")
    assert discover_feeds(html, "https://harbor-gazette.example/") == [
        # relative to <base href="/news/">
        ("https://harbor-gazette.example/news/feed.xml", "Harbor Gazette (all stories)", "rss"),
        # rel and type in odd case, type with parameters
        ("https://harbor-gazette.example/news/atom.xml", "Atom", "atom"),
        # rel with several words, protocol-relative href
        ("https://harbor-gazette.example/feed.json", None, "jsonfeed"),
        # the same feed again as application/json, WordPress's wp-json link,
        # a duplicate, a language alternate, javascript:, no href, rel=icon
        # and a link in the body are all left out
    ]


def test_without_base_links_resolve_against_the_page_url():
    html = '<html><head><link rel="alternate" type="application/rss+xml" href="rss"></head><body></body></html>'
    assert discover_feeds(html, "https://p.example/blog/") == [("https://p.example/blog/rss", None, "rss")]


def test_a_base_that_is_not_http_is_ignored():
    html = '<head><base href="javascript:void(0)"><link rel="alternate" type="application/atom+xml" href="/a.xml"></head>'
    assert discover_feeds(html, "https://p.example/x") == [("https://p.example/a.xml", None, "atom")]


def test_xhtml_with_an_xml_declaration():
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        '<link rel="alternate" type="application/rss+xml" title="Ünïcode" href="/feed"/></head><body/></html>'
    )
    assert discover_feeds(html, "https://x.example/") == [("https://x.example/feed", "Ünïcode", "rss")]


@pytest.mark.parametrize("html", ["", "   ", "plain text", "<html><body><p>no head links</p></body></html>", "\x00\x01", "<" * 10000])
def test_pages_without_feeds(html: str):
    assert discover_feeds(html, "https://x.example/") == []
