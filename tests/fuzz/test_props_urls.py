"""URL normalisation under hostile input: normalize_url and strip_tracking
give an http(s) URL or a RecordError, nothing else, and are idempotent."""

from __future__ import annotations

import string
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from topicwire.errors import RecordError
from topicwire.ingest.feeds import absolute_http_url
from topicwire.ingest.urls import is_tracking_parameter, normalize_url, strip_tracking, url_id

from fuzz_inputs import HOSTILE_URLS, SURROGATE_URLS, fuzz_settings, outcome, utf8_ok

FUZZ = fuzz_settings(examples=100, deadline_s=2)
SECONDS = 5

schemes = st.sampled_from(["http", "https", "HTTP", "hTtPs", "ftp", "javascript", "file", "data", "", "http:", "https:/"])
hosts = st.one_of(
    st.sampled_from([
        "a.example", "A.EXAMPLE", "bücher.example", "ÄÖÜ.example", "xn--bcher-kva.example", "127.0.0.1", "[::1]",
        "[fe80::1%25eth0]", "[::ffff:127.0.0.1]", "[x", "]", "a..b", ".", "", "a.example.", "-a-.example",
        "a" * 64 + ".example", "a b.example", "a%20b.example", "a\u3000b.example", "ß.example", "\u0130.example",
        "a\x00.example", "user:pw@a.example", "@a.example", "a.example@b.example", "\ud800.example",
    ]),
    st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z0-9-]{1,20}){0,3}", fullmatch=True),
    st.text(max_size=20),
)
ports = st.one_of(st.none(), st.integers(-1, 70_000).map(str), st.sampled_from(["", "abc", "080", " 80", "443", "80"]))
segments = st.lists(
    st.one_of(
        st.sampled_from(["%41", "%2F", "%2f", "%zz", "%", "..", ".", "~", "%E2%82%AC", "é", "a b", "%7E", "%25", ";x"]),
        st.text(alphabet=string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@", max_size=8),
        st.text(max_size=6),
    ),
    max_size=5,
)
tracking = st.sampled_from(["utm_source", "UTM_Medium", "fbclid", "gclid", "mc_eid", "pk_campaign", "_ga", "at_xtor"])
query_pairs = st.lists(
    st.tuples(st.one_of(tracking, st.text(max_size=6)), st.text(max_size=6)), max_size=5
)


@st.composite
def structured_urls(draw: st.DrawFn) -> str:
    """Addresses assembled from plausible and hostile parts, so that most
    get past the scheme check and reach the host, port and query code."""
    port = draw(ports)
    pairs = draw(query_pairs)
    query = draw(st.sampled_from(["&", ";", "&&"])).join(f"{k}={v}" for k, v in pairs)
    url = f"{draw(schemes)}://{draw(hosts)}{'' if port is None else ':' + port}/{'/'.join(draw(segments))}"
    if query or draw(st.booleans()):
        url += "?" + query
    if draw(st.booleans()):
        url += "#" + draw(st.text(max_size=6))
    pad = draw(st.sampled_from(["", " ", "\t", "\n", "\u3000"]))
    return pad + url + pad


urls = st.one_of(structured_urls(), st.sampled_from(HOSTILE_URLS + SURROGATE_URLS), st.text(max_size=60))


def check_canonical(out: str) -> None:
    assert out.startswith(("http://", "https://")), out
    parts = urlsplit(out)
    assert parts.hostname and not parts.fragment and not parts.username
    assert not any(is_tracking_parameter(k) for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    assert utf8_ok(out)
    # idempotent: the canonical form of a canonical form is itself
    assert normalize_url(out) == out
    assert len(url_id(out)) == 20


@FUZZ
@given(urls)
def test_normalize_url_gives_a_canonical_http_url_or_a_record_error(url: str):
    out = outcome(lambda: normalize_url(url), kind=RecordError, seconds=SECONDS)
    if out is not None:
        check_canonical(out)
        assert len(out) <= 12 * len(url) + 16  # percent-encoding at most triples each UTF-8 byte


@FUZZ
@given(urls, st.one_of(st.sampled_from(["https://base.example/a/b?c=d#e", "http://[x", "", "ftp://f.example/"]), urls))
def test_relative_urls_against_any_base(url: str, base: str):
    out = outcome(lambda: normalize_url(url, base=base), kind=RecordError, seconds=SECONDS)
    if out is not None:
        check_canonical(out)


@FUZZ
@given(urls)
def test_strip_tracking_is_idempotent_and_leaves_no_tracking(url: str):
    out = outcome(lambda: strip_tracking(url), kind=RecordError, seconds=SECONDS)
    if out is None:
        return
    assert utf8_ok(out)
    assert strip_tracking(out) == out
    query = urlsplit(out).query
    assert not any(is_tracking_parameter(k) for k, _ in parse_qsl(query, keep_blank_values=True))
    # stripping first changes nothing about the canonical form
    canonical = outcome(lambda: normalize_url(url), kind=RecordError, seconds=SECONDS)
    if canonical is not None:
        assert normalize_url(out) == canonical


@FUZZ
@given(structured_urls(), st.lists(st.tuples(tracking, st.text(max_size=5)), min_size=1, max_size=3), st.text(max_size=8))
def test_tracking_fragment_and_case_do_not_change_the_canonical_form(url: str, extra, fragment: str):
    canonical = outcome(lambda: normalize_url(url), kind=RecordError, seconds=SECONDS)
    assume(canonical is not None)
    parts = urlsplit(canonical)
    noisy = parts._replace(netloc=parts.netloc.upper() if parts.netloc.isascii() else parts.netloc)
    query = "&".join([parts.query] * bool(parts.query) + [urlencode(extra)])
    noisy_url = noisy._replace(query=query, fragment=fragment).geturl()
    assert normalize_url(noisy_url) == canonical


@FUZZ
@given(urls, st.sampled_from([None, "https://feed.example/rss", "http://[x"]))
def test_what_a_feed_link_check_accepts_normalises_or_is_refused(raw: str, base: str | None):
    """The feed parser's own check comes first in a crawl; whatever passes
    it must not break normalisation (which the crawl cycle does next)."""
    link = outcome(lambda: absolute_http_url(raw, base), seconds=SECONDS)
    if link is not None:
        assert link.lower().startswith(("http://", "https://")) and len(link) <= 4096 and utf8_ok(link)
        out = outcome(lambda: normalize_url(link), kind=RecordError, seconds=SECONDS)
        if out is not None:
            check_canonical(out)


# -- regressions: inputs that broke the contract before


@pytest.mark.parametrize(("url", "canonical"), [
    ("https://a.example/x%4%44b", "https://a.example/x%254Db"),  # was "x%4Db", then "xMb" when normalised again
    ("https://a.example/%", "https://a.example/%25"),
    ("https://a.example/x y", "https://a.example/x%20y"),        # a space the record format would refuse
    ("https://a.example/x\u3000y", "https://a.example/x%E3%80%80y"),
    ("https://a.example/x\x00y", "https://a.example/x%00y"),
])
def test_path_escapes_are_stable(url: str, canonical: str):
    assert normalize_url(url) == canonical
    assert normalize_url(canonical) == canonical


@pytest.mark.parametrize("url", [
    "https://a.example/\ud800",                    # raised UnicodeEncodeError (the id hash, later)
    "https://a.example/?q=\udfff",                 # raised UnicodeEncodeError
    "http://[x/",                                  # with a base: urljoin raised ValueError
    "http://a b.example/",                         # hosts no DNS name can be
    "https://" + "a" * 300 + ".example/",
    "ftp://a.example/\nforged log line",           # the message showed the line break
])
def test_bad_urls_are_one_line_record_errors(url: str):
    for call in (lambda: normalize_url(url), lambda: normalize_url(url, base="https://base.example/")):
        with pytest.raises(RecordError) as caught:
            call()
        assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


def test_strip_tracking_refuses_what_it_cannot_parse_and_keeps_the_rest_as_found():
    with pytest.raises(RecordError):
        strip_tracking("http://[x")                # raised ValueError
    with pytest.raises(RecordError):
        strip_tracking("https://a.example/?q=\ud800")
    assert strip_tracking("//////") == "//////"    # rebuilt by urllib it shrank on every call
    assert strip_tracking("https://a.example/?a=b c") == "https://a.example/?a=b c"
    assert strip_tracking("https://a.example/?a=b c&utm_source=x") == "https://a.example/?a=b%20c"
    # left with a trailing space once the query went, so the next call changed it again
    assert strip_tracking("https://a.example ?utm_source=x\x19") == "https://a.example"
