from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from topicwire.errors import ConfigError
from topicwire.sources import load_sources
from topicwire.store.sources import get_states, record_failure, record_success, sync_sources

T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sources_file_is_read_and_checked(tmp_path):
    specs = load_sources(write(tmp_path, "sources:\n  - url: https://a.example/feed.xml\n    name: A\n    kind: rss\n  - url: https://b.example/\n    kind: page\n    locale: en-GB\n"))
    assert [(s.url, s.kind) for s in specs] == [("https://a.example/feed.xml", "rss"), ("https://b.example/", "page")]
    assert specs[0].id != specs[1].id and len(specs[0].id) == 16
    assert load_sources(write(tmp_path, "sources: []\n")) == []
    assert load_sources(write(tmp_path, "# nothing yet\n")) == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("sources:\n  - name: A\n", r"sources\[0\]\.url: is required"),
        ("sources:\n  - url: gopher://a.example/\n", r"sources\[0\]\.url: must be an absolute http\(s\) URL"),
        ("sources:\n  - url: https://a.example/\n    kind: podcast\n", r"sources\[0\]\.kind: input should be"),
        ("sources:\n  - url: https://a.example/\n  - url: https://a.example/\n", r"sources\[1\]\.url: the same URL is listed twice"),
        ("feeds: []\n", r"feeds: is not a field of the sources file"),
    ],
)
def test_bad_sources_files_name_the_entry(tmp_path, text, message):
    with pytest.raises(ConfigError, match=r"sources\.yaml: " + message):
        load_sources(write(tmp_path, text))


def test_fetch_state_backs_off_and_recovers(store, tmp_path):
    (spec,) = load_sources(write(tmp_path, "sources:\n  - url: https://a.example/feed.xml\n"))
    url = spec.url
    with store.begin() as conn:
        sync_sources(conn, [spec])
        first = record_failure(conn, url, source_id=spec.id, status=500, error="http-500", now=T0)
        second = record_failure(conn, url, source_id=spec.id, status=500, error="http-500", now=T0)
        assert (first.consecutive_failures, second.consecutive_failures) == (1, 2)
        assert second.next_attempt_at - T0 == 2 * (first.next_attempt_at - T0)
        assert second.resting(T0 + timedelta(minutes=1)) and not second.resting(T0 + timedelta(days=2))
        slow = record_failure(conn, url, source_id=spec.id, status=429, error="http-429", retry_after=7200, now=T0)
        assert slow.next_attempt_at - T0 >= timedelta(hours=2)
        record_success(conn, url, source_id=spec.id, status=200, etag='"v1"', last_modified=None, now=T0)
        state = get_states(conn, [url])[url]
    assert state.consecutive_failures == 0 and state.next_attempt_at is None and state.etag == '"v1"'
    assert state.last_error is None and state.last_success_at == T0
