from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from topicwire.errors import RecordError
from topicwire.model import Article
from topicwire.records import dump_record, page, paginate, parse_record, read_record, write_record

from conftest import EXAMPLE


def test_example_record_round_trips_byte_for_byte(tmp_path: Path):
    article = read_record(EXAMPLE)
    out = tmp_path / "copy.md"
    write_record(article, out)
    assert out.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")


def test_example_record_round_trips_as_data_and_keeps_field_order(tmp_path: Path):
    def front(text: str) -> dict:
        return yaml.safe_load(text.split("---\n")[1])

    original = front(EXAMPLE.read_text(encoding="utf-8"))
    written = front(dump_record(read_record(EXAMPLE)))
    assert written == original
    assert list(written) == list(original)
    assert list(written["related"][0]) == list(original["related"][0])


def test_example_fields_are_read():
    a = read_record(EXAMPLE)
    assert a.title.startswith("China homegrown AI chip")
    assert a.published_date_time == datetime(2023, 10, 24, 1, 41, tzinfo=timezone.utc)
    assert a.quality == 54 and a.heat == -1 and a.published is False
    assert a.provider.name == "Digi Times" and a.provider.domain == "digitimes.com"
    assert a.topics == ["AI Hardware", "AI"]
    assert a.images[0].width == 1280 and a.images[0].is_cached is True
    assert len(a.related) == 4
    assert a.related[3].cdn_amp_web_url.startswith("https://www-nbcnewyork-com.cdn.ampproject.org/c/s/")
    assert a.secured.endswith(";bBlIfTHr5JnYyQ9DKApZJw==")
    assert a.content is None


def test_markdown_body_is_the_content_and_survives():
    text = '---\ntitle: "A"\nwebUrl: "https://a.example/x"\n---\n\n# Heading\n\nFirst para.\n\n- item\n'
    article = parse_record(text)
    assert article.content == "# Heading\n\nFirst para.\n\n- item"
    assert parse_record(dump_record(article)).content == article.content
    assert dump_record(article).endswith("---\n\n# Heading\n\nFirst para.\n\n- item\n")


def test_windows_line_endings_and_bom_are_accepted(tmp_path: Path):
    path = tmp_path / "r.md"
    path.write_bytes(b'\xef\xbb\xbf---\r\ntitle: "A"\r\n---\r\nBody\r\n')
    article = read_record(path)
    assert article.title == "A" and article.content == "Body"


@pytest.mark.parametrize(
    "text, message",
    [
        ("title: A\n", "does not start with a '---' front matter line"),
        ("---\ntitle: A\n", "front matter is not closed"),
        ("---\n---\n", "front matter is empty"),
        ("---\ntitle: [unclosed\n---\n", "broken YAML at line"),
        ("---\n- a list\n---\n", "expected a mapping of fields"),
        ("---\nexcerpt: x\n---\n", "title: is required"),
        ("---\ntitle: A\nquality: high\n---\n", "quality: input should be a valid integer"),
        ("---\ntitle: A\nquality: 101\n---\n", "quality: input should be less than or equal to 100"),
        ("---\ntitle: A\npublished: 'yes'\n---\n", "published: input should be a valid boolean"),
        ("---\ntitle: A\npublishedDateTime: 2023-10-24T01:41:00\n---\n", "publishedDateTime: input should have timezone"),
        ("---\ntitle: A\nwebUrl: ftp://x.example/a\n---\n", "webUrl: must be an absolute http(s) URL"),
        ("---\ntitle: A\nimages:\n  - url: https://x.example/a.jpg\n    width: -3\n---\n", "images[0].width: input should be greater than or equal to 1"),
        ("---\ntitle: A\nrelated:\n  - title: B\n---\n", "related[0].webUrl: is required"),
        ("---\ntitle: A\ntitel: B\n---\n", "titel: is not a field of the record format"),
        ("---\ntitle: A\nsecured: not-base64\n---\n", "secured: must be 'base64(ciphertext);base64(nonce)'"),
        ("---\ntitle: A\ncontent: x\n---\nbody\n", "content: content is given both"),
    ],
)
def test_bad_records_say_file_field_and_reason(text: str, message: str):
    with pytest.raises(RecordError) as info:
        parse_record(text, source="news/bad.md")
    assert str(info.value).startswith("news/bad.md: ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_yaml_alias_bombs_are_refused():
    bomb = "---\ntitle: A\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n---\n"
    with pytest.raises(RecordError, match="aliases"):
        parse_record(bomb, source="bomb.md")


def test_deeply_nested_yaml_is_a_clear_error():
    text = "---\ntitle: A\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    with pytest.raises(RecordError, match="bomb.md"):
        parse_record(text, source="bomb.md")


def test_oversized_and_non_utf8_files_are_refused(tmp_path: Path):
    big = tmp_path / "big.md"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(RecordError, match=r"big\.md: file is 52,428,800 bytes, over the"):
        read_record(big)
    latin = tmp_path / "latin.md"
    latin.write_bytes('---\ntitle: "Caf\u00e9"\n---\n'.encode("latin-1"))
    with pytest.raises(RecordError, match=r"latin\.md: not UTF-8 text \(byte 0xe9 on line 2, offset 15\)"):
        read_record(latin)


def test_json_shape_round_trips():
    article = read_record(EXAMPLE)
    data = article.to_data(json=True)
    assert data["publishedDateTime"] == "2023-10-24T01:41:00Z"
    assert Article.model_validate(data).to_data(json=True) == data


def test_page_shape():
    items = list(range(45))
    pages = list(paginate(items))
    assert [p["page"] for p in pages] == [1, 2, 3]
    assert [len(p["value"]) for p in pages] == [20, 20, 5]
    assert [p["nextPage"] for p in pages] == [2, 3, None]
    assert list(paginate([])) == [{"page": 1, "value": [], "nextPage": None}]
    assert page(items[20:40], 2, total=45) == {"page": 2, "value": items[20:40], "nextPage": 3}
    assert page(items[40:], 3, total=45)["nextPage"] is None
    assert page(items[:21], 1)["nextPage"] == 2 and len(page(items[:21], 1)["value"]) == 20
