from __future__ import annotations

import pytest

from topicwire.errors import RecordError
from topicwire.ingest.urls import amp_cache_host, amp_cache_url, normalize_url, strip_tracking, url_id
from topicwire.records import read_record

from conftest import EXAMPLE


@pytest.mark.parametrize(
    "given, canonical",
    [
        ("HTTPS://WWW.Example.COM:443/a/b?utm_source=x&b=2&a=1#frag", "https://www.example.com/a/b?a=1&b=2"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://example.com/a%7eb%2fc?fbclid=1&gclid=2&mc_cid=3&mc_eid=4", "https://example.com/a~b%2Fc"),
        ("https://example.com/p?q=a%20b&empty=", "https://example.com/p?empty=&q=a%20b"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("  https://example.com/x  ", "https://example.com/x"),
    ],
)
def test_normalize(given: str, canonical: str):
    assert normalize_url(given) == canonical
    assert normalize_url(canonical) == canonical


def test_relative_urls_resolve_against_a_base():
    assert normalize_url("../b?utm_medium=x", base="https://e.com/a/c/") == "https://e.com/a/b"


@pytest.mark.parametrize("bad", ["ftp://example.com/x", "javascript:alert(1)", "https:///nohost", "http://[::1"])
def test_bad_urls_are_refused(bad: str):
    with pytest.raises(RecordError):
        normalize_url(bad)


def test_strip_tracking_keeps_the_rest_as_found():
    assert strip_tracking("https://E.com/x?b=2&utm_campaign=c&a=1") == "https://E.com/x?b=2&a=1"


def test_ids_are_stable_across_equivalent_urls():
    assert url_id("https://Example.com/a?utm_source=rss") == url_id("https://example.com/a")
    assert url_id("https://example.com/a") != url_id("https://example.com/b")
    assert len(url_id("https://example.com/a")) == 20


def test_amp_cache_urls_of_the_example_record():
    for related in read_record(EXAMPLE).related:
        assert amp_cache_url(related.amp_web_url) == related.cdn_amp_web_url


@pytest.mark.parametrize(
    "host, sub",
    [
        ("www.example.com", "www-example-com"),
        ("foo-bar.example.com", "foo--bar-example-com"),
        # a '--' in 3rd and 4th place would look like punycode: wrapped
        ("ab-c.example.com", "0-ab--c-example-com-0"),
    ],
)
def test_amp_cache_host_rules(host: str, sub: str):
    assert amp_cache_host(host) == sub


def test_amp_cache_host_falls_back_to_a_hash_for_long_hosts():
    sub = amp_cache_host("a" * 60 + ".example.com")
    assert len(sub) == 52 and sub.isalnum() and sub == sub.lower()
    assert amp_cache_url("http://e.com/a/amp?x=1") == "https://e-com.cdn.ampproject.org/c/e.com/a/amp?x=1"
