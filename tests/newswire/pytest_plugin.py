"""Fixtures of the offline newswire, registered from tests/conftest.py.

``newswire`` is session-scoped: one server for the whole run. It is the
``Newswire`` itself: ``.base_url``, ``.port``, ``.truth`` (the ground
truth list), plus ``.requests()`` and ``.canary_hits()`` for asserting what
a crawler did or did not fetch.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def newswire():
    from newswire.server import Newswire

    with Newswire() as wire:
        yield wire
