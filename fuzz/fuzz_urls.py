"""atheris target: URL normalisation. Bytes that are not UTF-8 become lone
surrogates (surrogateescape), as they would from a JSON "\\udc80" escape;
a first line, when there are two, is the base a relative URL resolves
against. Run through fuzz/run.py."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import atheris

from fuzz_common import check_refusal, check_text, check_url, fuzz, instrumented

with atheris.instrument_imports(include=instrumented()):
    from topicwire.errors import TopicwireError
    from topicwire.ingest.feeds import absolute_http_url
    from topicwire.ingest.urls import is_tracking_parameter, normalize_url, strip_tracking, url_id



def canonical(url: str, base: str | None) -> str | None:
    try:
        out = normalize_url(url, base=base)
    except TopicwireError as exc:
        check_refusal(exc)
        return None
    check_url(out)
    parts = urlsplit(out)
    if not parts.hostname or parts.fragment or any(is_tracking_parameter(k) for k, _ in parse_qsl(parts.query)):
        raise AssertionError(f"not canonical: {out!r}")
    if normalize_url(out) != out:
        raise AssertionError(f"not idempotent: {out!r} -> {normalize_url(out)!r}")
    url_id(out)
    return out


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    text = data.decode("utf-8", "surrogateescape")
    base, _, url = text.partition("\n") if "\n" in text else (None, "", text)
    canonical(url, None)
    canonical(url, base)
    try:
        stripped = strip_tracking(url)
    except TopicwireError as exc:
        check_refusal(exc)
    else:
        check_text(stripped)
        if strip_tracking(stripped) != stripped:
            raise AssertionError(f"strip_tracking not idempotent: {stripped!r}")
    link = absolute_http_url(url, base)
    if link is not None:
        check_url(link)
        canonical(link, None)


if __name__ == "__main__":
    fuzz(TestOneInput)
