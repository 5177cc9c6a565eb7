"""What every atheris target in this folder checks besides "no crash":
a refusal is the project's own error type with a short one-line message,
and text that comes out can be encoded (no lone surrogates)."""

from __future__ import annotations

import os
import sys
from typing import Callable

MAX_MESSAGE = 1500


def check_refusal(exc: BaseException) -> None:
    text = str(exc)
    if not text.strip() or "\n" in text or "\r" in text or len(text) > MAX_MESSAGE:
        raise AssertionError(f"refusal message is not one short line: {text[:300]!r}")


def check_text(*values: object) -> None:
    for value in values:
        if isinstance(value, str):
            value.encode("utf-8")  # UnicodeEncodeError on a lone surrogate


def check_url(url: str | None) -> None:
    if url is None:
        return
    if not url.lower().startswith(("http://", "https://")) or len(url) > 4096:
        raise AssertionError(f"not an http(s) URL within the size limit: {url[:200]!r}")
    check_text(url)


def instrumented(*dependencies: str) -> list[str]:
    """The packages whose code atheris instruments for coverage: topicwire,
    and the pure-Python parsers under the target unless
    TOPICWIRE_FUZZ_SHALLOW=1 (run.py --shallow) asks for a quick start;
    instrumenting them costs seconds at start-up (every dependency, half a
    minute), which a three-second run in CI cannot afford."""
    shallow = os.environ.get("TOPICWIRE_FUZZ_SHALLOW") == "1"
    return ["topicwire", *([] if shallow else dependencies)]


def fuzz(test_one_input: Callable[[bytes], None]) -> None:
    """Hand a target's TestOneInput to libFuzzer, with the command line's
    options (run.py passes the time, memory and timeout bounds)."""
    import atheris

    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
