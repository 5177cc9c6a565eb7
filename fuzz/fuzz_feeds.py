"""atheris target: parse_feed on any bytes, then what the crawl cycle does
with its links. Run through fuzz/run.py (or directly: python
fuzz/fuzz_feeds.py -max_total_time=60 fuzz/corpus/feeds)."""

from __future__ import annotations

import atheris

from fuzz_common import check_refusal, check_text, check_url, fuzz, instrumented

# topicwire and the pure-Python parsers under it are instrumented for
# coverage (see fuzz_common.instrumented); the rest is imported as is
with atheris.instrument_imports(include=instrumented("feedparser", "defusedxml", "sgmllib")):
    from topicwire.errors import TopicwireError
    from topicwire.ingest.feeds import SUMMARY_LIMIT, TITLE_LIMIT, parse_feed
    from topicwire.ingest.urls import normalize_url


CONTENT_TYPES = [None, "application/rss+xml", "application/json", "text/xml; charset=utf-8", "text/plain"]
MAX_ENTRIES = 50


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    content_type = CONTENT_TYPES[len(data) % len(CONTENT_TYPES)]
    try:
        feed = parse_feed(data, url="https://fuzz.example/feed", content_type=content_type, max_entries=MAX_ENTRIES)
    except TopicwireError as exc:
        check_refusal(exc)
        return
    if len(feed.entries) > MAX_ENTRIES or len(feed.children) > MAX_ENTRIES:
        raise AssertionError("more entries than max_entries")
    check_text(feed.title, feed.language, *feed.warnings)
    check_url(feed.site_url)
    for entry in feed.entries:
        check_url(entry.url)
        check_url(entry.image_url)
        check_text(entry.title, entry.summary, entry.guid, entry.language, *entry.authors)
        if entry.title is not None and len(entry.title) > TITLE_LIMIT:
            raise AssertionError("title over the limit")
        if entry.summary is not None and len(entry.summary) > SUMMARY_LIMIT:
            raise AssertionError("summary over the limit")
        for when in (entry.published, entry.updated):
            if when is not None and when.utcoffset() is None:
                raise AssertionError("a naive date")
        try:
            normalize_url(entry.url)  # the cycle's next step
        except TopicwireError as exc:
            check_refusal(exc)


if __name__ == "__main__":
    fuzz(TestOneInput)
