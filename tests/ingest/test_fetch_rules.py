"""The header, charset and body-decoding rules of the fetcher, without a
network."""

from __future__ import annotations

import asyncio
import codecs
import gzip
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

from topicwire.ingest.fetch import (
    FetchResult,
    Politeness,
    detect_charset,
    keeps_validators,
    max_age,
    parse_retry_after,
    read_body,
    split_content_type,
)

pytestmark = pytest.mark.timeout(10)

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        (format_datetime(NOW + timedelta(seconds=90), usegmt=True), 90.0),
        (format_datetime(NOW - timedelta(days=1), usegmt=True), 0.0),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after(value, seconds):
    assert parse_retry_after(value, NOW) == seconds


@pytest.mark.parametrize(
    ("headers", "keep"),
    [
        ({}, True),
        ({"expires": "0"}, False),
        ({"expires": "-1"}, False),
        ({"expires": format_datetime(NOW - timedelta(hours=1), usegmt=True)}, False),
        ({"expires": format_datetime(NOW + timedelta(hours=1), usegmt=True)}, True),
        # judged against the response's own clock when it sends one
        (
            {
                "expires": format_datetime(NOW + timedelta(hours=1), usegmt=True),
                "date": format_datetime(NOW + timedelta(hours=2), usegmt=True),
            },
            False,
        ),
        ({"cache-control": "no-store"}, False),
        ({"cache-control": "public, No-Cache"}, False),
        ({"cache-control": "max-age=60"}, True),
        # max-age overrides Expires (RFC 9111)
        ({"cache-control": "max-age=60", "expires": "0"}, True),
    ],
)
def test_keeps_validators(headers, keep):
    assert keeps_validators(headers, NOW) is keep


def test_max_age():
    assert max_age({"cache-control": "public, max-age=300"}) == 300
    assert max_age({"cache-control": 'max-age="20"'}) == 20
    assert max_age({"cache-control": "max-age=soon"}) is None
    assert max_age({}) is None


def test_split_content_type():
    assert split_content_type('Text/HTML; Charset="UTF-8"') == ("text/html", "utf-8")
    assert split_content_type("application/json") == ("application/json", None)
    assert split_content_type(None) == (None, None)


@pytest.mark.parametrize(
    ("content", "mime", "declared", "charset"),
    [
        (codecs.BOM_UTF8 + "é".encode(), "text/html", "iso-8859-1", "utf-8"),  # a BOM is final
        (b"<p>x</p>", "text/html", "no-such-charset", "ascii"),
        (b'<meta charset="UTF-16"><p>x</p>', "text/html", None, "utf-8"),
        (b'<meta charset="base64"><p>x</p>', "text/html", None, "ascii"),
        (b'<!DOCTYPE html><meta charset="windows-1251">', None, None, "windows-1251"),
        (b"<?xml version='1.0' encoding='koi8-r'?><rss/>", "application/xml", None, "koi8-r"),
        (b"\x89PNG\r\n", "image/png", None, None),
        (b"", "text/html", None, None),
    ],
)
def test_detect_charset(content, mime, declared, charset):
    assert detect_charset(content, mime, declared) == charset


def test_detect_charset_of_a_big_page_looks_at_its_start():
    # the sample boundary falls inside a three-byte character
    text = ("Überblick: Nachrichten aus aller Welt – " * 4000 + "€" * 200000).encode()
    assert detect_charset(text, "text/plain", None) == "utf-8"


def test_text_strips_a_bom_and_never_fails():
    assert FetchResult("u", content=codecs.BOM_UTF8 + b"hi", charset="utf-8").text() == "hi"
    assert FetchResult("u", content=codecs.BOM_UTF16_LE + "hé".encode("utf-16-le"), charset="utf-16-le").text() == "hé"
    assert FetchResult("u", content=b"caf\xe9", charset="no-such").text() == "caf\ufffd"
    assert FetchResult("u", content=b"caf\xe9", charset=None).text() == "caf\ufffd"


def _response(body: bytes, encoding: str, chunk: int = 1000) -> httpx.Response:
    class Stream(httpx.AsyncByteStream):
        async def __aiter__(self):
            for i in range(0, len(body), chunk):
                yield body[i : i + chunk]

    return httpx.Response(200, headers={"Content-Encoding": encoding}, stream=Stream())


def test_read_body_stops_inflating_at_the_limit():
    bomb = gzip.compress(bytes(20 * 1024 * 1024))
    content, cut = asyncio.run(read_body(_response(bomb, "gzip"), 100_000))
    assert cut and len(content) == 100_000


def test_read_body_ignores_padding_after_a_gzip_stream():
    content, cut = asyncio.run(read_body(_response(gzip.compress(b"news") + bytes(16), "gzip", chunk=3), 100))
    assert (content, cut) == (b"news", False)


def test_politeness_waits_out_a_hold_off():
    async def run():
        polite = Politeness(4, 2, 0.0)
        polite.hold_off("h", 0.2)
        started = asyncio.get_running_loop().time()
        async with polite.turn("h"):
            return asyncio.get_running_loop().time() - started

    assert asyncio.run(run()) >= 0.19
