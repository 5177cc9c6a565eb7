"""Hostile-input strategies and the checks every property in tests/fuzz
shares: a parser either gives a valid, bounded result or refuses with the
project's own error (a TopicwireError with a one-line message), in bounded
time.

Imported by the test modules of this folder (pytest puts the folder on
``sys.path``); it is not a conftest, so nothing here is a fixture.
"""

from __future__ import annotations

import json
import os
import signal
import string
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from topicwire.errors import TopicwireError

T = TypeVar("T")

# Longest refusal message accepted: errors name a file, URL or field and say
# why in a sentence; a message that grows with the input is a bug.
MAX_MESSAGE = 1500


# TOPICWIRE_FUZZ_SCALE=20 multiplies every example count, for a longer
# campaign than the suite's default run.
SCALE = max(1, int(os.environ.get("TOPICWIRE_FUZZ_SCALE", "1") or 1))


def fuzz_settings(examples: int, deadline_s: float) -> settings:
    """Modest example counts (the folder runs in well under a minute) and a
    per-example deadline far above the normal cost: it catches a runaway
    input, not a slow machine. No example database: runs are reproducible
    from the seed hypothesis prints on failure."""
    return settings(
        max_examples=examples * SCALE,
        deadline=timedelta(seconds=deadline_s),
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


class Hang(BaseException):
    """Raised by time_limit; a BaseException so that no ``except Exception``
    in the code under test can swallow it and call it a refusal."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """A hard stop for one call: hypothesis' deadline only looks at the
    clock after the call returns, which a true hang never does."""

    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_refusal(exc: BaseException, kind: type[TopicwireError] = TopicwireError) -> None:
    """A refusal is the project's error type with a short, one-line message."""
    assert isinstance(exc, kind), f"{type(exc).__name__} instead of {kind.__name__}: {exc!r}"
    text = str(exc)
    assert text.strip(), "empty error message"
    assert "\n" not in text and "\r" not in text, f"message spans lines: {text!r}"
    assert len(text) <= MAX_MESSAGE, f"message of {len(text):,} characters"


def outcome(call: Callable[[], T], *, kind: type[TopicwireError] = TopicwireError, seconds: float) -> T | None:
    """``call()``'s result, or None after a valid refusal; anything else
    (another exception, a hang) fails the test."""
    started = time.perf_counter()
    try:
        with time_limit(seconds):
            return call()
    except TopicwireError as exc:
        check_refusal(exc, kind)
        return None
    finally:
        assert time.perf_counter() - started < seconds


def utf8_ok(text: str | None) -> bool:
    """True when the text can be written anywhere (UTF-8 files, SQLite,
    JSON): no lone surrogates."""
    if text is None:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- text pieces -------------------------------------------------------------

PROSE = [
    "The council approved the new tram line after a long debate about its cost.",
    "Engineers at the harbour lab tested a chip that runs vision models on a battery.",
    "Regulators asked three companies to explain how their chatbots store conversations.",
    "A small robotics firm in the valley raised money for warehouse arms.",
]
TRICKY_TEXT = [
    "", " ", "\t\n", "&amp;", "&amp;amp;", "&lt;b&gt;", "&#0;", "&#xD800;", "&#1114112;", "&bogus;", "&", "<", ">",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "]]>", "<![CDATA[x]]>", "<!-- c -->", "\x00",
    "\x0b\x0c", "\u2028", "\ufeff", "\ufffe", "\u202e", "é", "日本語の記事", "مرحبا", "🦀" * 3, "W" * 300,
    "javascript:alert(1)", "{{7*7}}", "${x}", "%s%n", "null", "---", "\r\n",
]
text_piece = st.one_of(
    st.sampled_from(PROSE),
    st.sampled_from(TRICKY_TEXT),
    st.text(max_size=40),
    st.text(alphabet=string.printable, max_size=40),
)

# --- URLs ----------------------------------------------------------------------

HOSTILE_URLS = [
    "http://[x", "http://[::1", "//[::1]/a", "http://[::1]/", "http://[fe80::1%25eth0]/", "https://a.example:99999/",
    "https://a.example:-1/", "https://a.example:abc/", "http://a.example/x y", "http://a.example/x\u3000y",
    "http://a.example/\tb\n", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
    "file:///etc/passwd", "ftp://a.example/", "mailto:a@b.example", "http://", "http:///a", "https://", "//",
    "https://" + "a" * 300 + ".example/", "https://" + "a" * 64 + ".example/", "https://a.example/" + "b" * 5000,
    "HTTP://A.EXAMPLE:80", "https://bücher.example/ä?ö=ü#f", "https://a.example/?utm_source=x&b=2&a=1&fbclid=z",
    "https://user:pw@a.example/", "http://127.0.0.1/", "http://0x7f.1/", "http://2130706433/",
    "https://a.example/%zz%", "https://a.example/%00", "https://a.example/\x00", "https://a..example/",
    "https://.example/", "https://a.example./", "https://xn--/", "https://xn--zz.example/", "https://a.example#frag",
    "https://a.example/?=&&=", "https://a.example/?a=%E2%82", "https://a.example/;p?q#f", "?x=1", "#top", "../up",
    "/root", "a.example/path", "   ", "",
]
SURROGATE_URLS = ["https://a.example/\ud800", "https://a.example/?q=\udfff", "https://\ud83d.example/"]
url_piece = st.one_of(
    st.sampled_from(HOSTILE_URLS),
    st.builds(lambda h, p: f"https://{h}.example/{p}", st.from_regex(r"[a-z]{1,12}", fullmatch=True),
              st.text(alphabet=string.ascii_letters + string.digits + "-._~%/?=&#", max_size=30)),
    st.text(max_size=30),
)

# --- JSON values ---------------------------------------------------------------

JSON_KEYS = [
    "@type", "@context", "@graph", "@id", "headline", "name", "url", "image", "datePublished", "dateModified",
    "author", "publisher", "logo", "description", "articleBody", "inLanguage", "mainEntityOfPage", "width",
    "height", "contentUrl", "version", "items", "title", "id", "content_html", "content_text", "summary",
    "date_published", "date_modified", "authors", "language", "home_page_url", "external_url", "banner_image",
]
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False), text_piece, url_piece,
    st.sampled_from(["NewsArticle", "Article", "Organization", "Person", "ImageObject", "2026-11-03T08:15:00Z",
                     "2026-02-30T10:00:00+01:00", "9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00Z", "yesterday"]),
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(JSON_KEYS), st.text(max_size=8)), inner, max_size=6),
    ),
    max_leaves=20,
)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- byte-level damage ---------------------------------------------------------

BAD_UTF8 = [
    b"\xff", b"\xfe\xff", b"\xc3", b"\xc3\x28", b"\xe2\x82", b"\xf0\x9f\x98", b"\xc0\xaf", b"\xe0\x80\xaf",
    b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xbf\xbf", b"\x00",
]


@st.composite
def damaged(draw: st.DrawFn, data: bytes, *, tokens: list[bytes] | None = None) -> bytes:
    """``data`` with a few byte-level injuries: invalid UTF-8 sequences,
    random bytes, cuts and (when given) tokens that steer towards the
    parser's interesting paths."""
    out = bytearray(data)
    for _ in range(draw(st.integers(0, 5))):
        at = draw(st.integers(0, len(out)))
        action = draw(st.sampled_from(["bad-utf8", "insert", "token", "delete", "truncate", "flip"]))
        if action == "bad-utf8":
            out[at:at] = draw(st.sampled_from(BAD_UTF8))
        elif action == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif action == "token" and tokens:
            out[at:at] = draw(st.sampled_from(tokens))
        elif action == "delete":
            del out[at : at + draw(st.integers(1, 40))]
        elif action == "truncate":
            del out[at:]
        elif action == "flip" and at < len(out):
            out[at] = draw(st.integers(0, 255))
    return bytes(out)
