"""atheris target: extract on any page, as bytes (extract decodes them as
for a saved file) or as the text the fetcher makes of them (its charset
detection, decoding with replacement); then what the crawl cycle does with
the article (prepare). Run through fuzz/run.py."""

from __future__ import annotations

import atheris

from fuzz_common import check_refusal, check_text, check_url, fuzz, instrumented

with atheris.instrument_imports(include=instrumented("trafilatura", "htmldate", "justext", "courlan")):
    from topicwire.errors import TopicwireError
    from topicwire.ingest.extract import extract
    from topicwire.ingest.fetch import FetchResult, detect_charset, split_content_type
    from topicwire.pipeline.imports import prepare
    from topicwire.taxonomy import load_taxonomy


URL = "https://www.example.com/news/2026/story?utm_source=fuzz"
CONTENT_TYPES = [None, "text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1"]
TAXONOMY = load_taxonomy()


def page_of(data: bytes) -> str | bytes:
    mode = len(data) % (len(CONTENT_TYPES) + 1)
    if mode == len(CONTENT_TYPES):
        return data
    mime, declared = split_content_type(CONTENT_TYPES[mode])
    fetched = FetchResult(url=URL, content=data, content_type=mime)
    fetched.charset = detect_charset(data, mime, declared)
    return fetched.text()


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    page = page_of(data)
    try:
        result = extract(page, url=URL)
    except TopicwireError as exc:
        check_refusal(exc)
        return
    article = result.article
    if not article.title or len(article.title) > 1000 or not article.content:
        raise AssertionError("an article without a title or text, or with an oversized title")
    for url in [article.web_url, article.original_url, article.amp_web_url, *(i.url for i in article.images)]:
        check_url(url)
    check_text(article.model_dump_json(), *result.warnings)
    try:
        prepare(article, TAXONOMY, source=URL)
    except TopicwireError as exc:
        check_refusal(exc)


if __name__ == "__main__":
    fuzz(TestOneInput)
