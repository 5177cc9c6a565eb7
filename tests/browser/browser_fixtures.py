"""A headless Chromium for the website tests: Debian's package, driven by
Playwright through ``executable_path`` (Playwright's own browser download
needs the internet). Without Chromium the tests skip, unless
TOPICWIRE_REQUIRE_BROWSER=1 (CI sets it) makes that a failure.

Imported by the browser tests rather than kept in a conftest.py: the
tests import the top-level conftest by name, and a second one would
shadow it."""

from __future__ import annotations

import os
import shutil

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def _chromium() -> str | None:
    explicit = os.environ.get("TOPICWIRE_CHROMIUM")
    if explicit:
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


# per module, not per session: Playwright's sync API keeps an event loop
# running in this thread while it is open, and later tests call asyncio.run()
@pytest.fixture(scope="module")
def chromium():
    path = _chromium()
    if path is None:
        message = "no Chromium found (apt-get install chromium, or set TOPICWIRE_CHROMIUM)"
        if os.environ.get("TOPICWIRE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # no sandbox: CI runs as root, where Chromium's sandbox cannot start
        browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()
