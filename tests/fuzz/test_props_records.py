"""Record import under hostile input: arbitrary text and front matter
(YAML that is valid, broken, or valid YAML of the wrong shapes), files
that are not UTF-8, and the import path's own validation (canonical URL,
id, topics against the taxonomy). Each record is an Article or a
RecordError with a one-line message; an import of a folder mixing any
such file with a good one stores the good one and skips the other.
"""

from __future__ import annotations

import itertools
from datetime import timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from topicwire.errors import RecordError
from topicwire.ingest.urls import normalize_url
from topicwire.model import article_id
from topicwire.pipeline.imports import import_records, prepare
from topicwire.records import dump_record, parse_record, read_record, split_front_matter
from topicwire.taxonomy import load_taxonomy

from fuzz_inputs import BAD_UTF8, damaged, fuzz_settings, outcome, text_piece, url_piece, utf8_ok

FUZZ = fuzz_settings(examples=120, deadline_s=5)
SECONDS = 15
TAXONOMY = load_taxonomy()
TOPIC_NAMES = sorted(t.name for t in TAXONOMY.topics)

FIELDS = [
    "id", "path", "category", "title", "excerpt", "publishedDateTime", "updatedDateTime", "originalUrl", "webUrl",
    "sourceUrl", "ampWebUrl", "cdnAmpWebUrl", "type", "quality", "heat", "published", "featuredContent",
    "highlight", "locale", "provider", "categories", "topics", "tags", "images", "related", "secured",
    "securedKey", "content",
]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**40), max_value=10**40), st.floats(),
    text_piece, url_piece,
    st.datetimes(timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=-14)), timezone(timedelta(hours=5, minutes=45))])),
    st.datetimes(), st.dates(),
)
yaml_data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS + ["url", "name", "width", "height", "isCached", "domain"]),
                                  st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=15,
)
plausible = {
    "title": st.one_of(st.sampled_from(["Chips get faster", "A", " ", "yes", "null", "---"]), text_piece),
    "webUrl": url_piece,
    "originalUrl": url_piece,
    "publishedDateTime": st.one_of(
        st.sampled_from(["2026-11-03T08:15:00Z", "2026-11-03T08:15:00", "2026-11-03", "2026-02-30T10:00:00Z",
                         "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59", "2026-11-03T25:00:00Z", "soon"]),
        st.datetimes(timezones=st.just(timezone.utc)),
    ),
    "topics": st.lists(st.one_of(st.sampled_from(TOPIC_NAMES), st.sampled_from(["ai", "AI ", "Quantum", ""]),
                                 text_piece), max_size=4),
    "quality": st.one_of(st.integers(-5, 105), st.sampled_from(["55", 55.5, True, 10**50])),
    "provider": st.one_of(st.fixed_dictionaries({"name": text_piece, "domain": st.one_of(st.none(), text_piece)}),
                          yaml_data),
    "images": st.lists(st.fixed_dictionaries({"url": url_piece, "width": st.integers(-1, 200_000)}), max_size=2),
    "secured": st.sampled_from(["abc=;def=", "not-base64", "QUJD;REVG", ";"]),
    "excerpt": text_piece,
    "highlight": text_piece,
    "category": st.sampled_from(["news", "", "x" * 101, "Opinion"]),
    "type": st.sampled_from(["article", "video", "paper", "podcast", "Article"]),
    "heat": st.integers(-3, 10_000),
    "published": st.one_of(st.booleans(), st.sampled_from(["yes", 1, None])),
    "featuredContent": st.booleans(),
    "tags": st.lists(text_piece, max_size=3),
    "categories": st.lists(text_piece, max_size=3),
    "ampWebUrl": url_piece,
    "cdnAmpWebUrl": url_piece,
    "sourceUrl": url_piece,
    "related": st.lists(st.fixed_dictionaries({"title": text_piece, "webUrl": url_piece}), max_size=2),
    "content": st.one_of(text_piece, st.text(max_size=200)),
    "locale": st.sampled_from(["en", "en-US", "EN", "x", "de-CH-1996", ""]),
}
plausible["updatedDateTime"] = plausible["publishedDateTime"]


@st.composite
def front_matter_data(draw: st.DrawFn) -> dict:
    """A record's fields: mostly plausible values with hostile ones among
    them, so that examples reach every check of the import path."""
    data: dict = {"title": "Chips get faster", "webUrl": f"https://news{draw(st.integers(0, 99))}.example/a"}
    for name in draw(st.lists(st.sampled_from(FIELDS + ["unknownField", "Title", "web_url"]), max_size=6)):
        strategy = plausible.get(name, yaml_data) if draw(st.integers(0, 3)) else yaml_data
        data[name] = draw(strategy)
    for name in draw(st.lists(st.sampled_from(["title", "webUrl"]), max_size=2)):
        if draw(st.booleans()):
            data.pop(name, None)
    return data


YAML_TOKENS = [
    "&a ", "*a", "<<: *a", "!!python/object:os.system ", "!!binary ", "!!set ", "!!timestamp ", "!!int ",
    "!!float ", "!foo ", "? ", "- ", "{", "}", "[", "]", "'", '"', ": ", "\t", "%YAML 1.1\n", "%TAG ! x\n", "...",
    "---", "2026-02-30", "2026-13-01T00:00:00Z", "0000-01-01", "1" * 5000, "0x" + "f" * 5000, "0o9", "1e99999",
    ".nan", "~", "|", ">", "#", "\\ud800", '"\\ud800"', '"\\x00"', '"\\U0010ffff"', "\x85", "\u2028", "\ufeff",
]


@st.composite
def front_matter_text(draw: st.DrawFn) -> str:
    """The front matter as text: valid YAML of the drawn fields, sometimes
    mangled with the tokens that reach YAML's odd corners (aliases, tags,
    impossible timestamps, huge numbers, escapes)."""
    data = draw(front_matter_data())
    try:
        text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False,
                              default_flow_style=draw(st.sampled_from([False, True, None])))
    except yaml.YAMLError:
        text = "title: x\n"
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(YAML_TOKENS)) + text[at:]
    return text


@st.composite
def record_texts(draw: st.DrawFn) -> str:
    body = draw(st.one_of(st.just(""), st.sampled_from(["Body text.", "\n\n# Heading\n\n- item\n", "---\n", "x\r\ny"]),
                          st.text(max_size=200)))
    fence = draw(st.sampled_from(["---"] * 8 + ["--- ", "----", ""]))
    return f"{fence}\n{draw(front_matter_text())}---\n{body}"


def check_article(article, source: str) -> None:
    """An article as the import path would store it."""
    prepared = outcome(lambda: prepare(article, TAXONOMY, source=source), kind=RecordError, seconds=SECONDS)
    if prepared is None:
        return
    assert prepared.web_url and normalize_url(prepared.web_url) == prepared.web_url
    assert prepared.id == article_id(prepared.web_url)
    assert set(prepared.topics) <= set(TOPIC_NAMES)
    assert utf8_ok(prepared.model_dump_json())
    # what an export writes of it reads back as a record
    again = outcome(lambda: parse_record(dump_record(prepared), source="export.md"), kind=RecordError, seconds=SECONDS)
    assert again is not None, "an export of an imported record does not read back"
    expected, got = prepared.to_data(), again.to_data()
    expected.pop("id", None)  # an export leaves the id out: it derives from webUrl
    expected.pop("content", None), got.pop("content", None)  # the body is Markdown: its edges are trimmed
    assert got == expected


def reads_or_refuses(text: str) -> None:
    article = outcome(lambda: parse_record(text, source="records/x.md"), kind=RecordError, seconds=SECONDS)
    if article is not None:
        check_article(article, "records/x.md")


@FUZZ
@given(record_texts())
def test_hostile_front_matter(text: str):
    reads_or_refuses(text)


@FUZZ
@given(st.one_of(st.text(max_size=400), st.lists(st.sampled_from(YAML_TOKENS + ["\n", "---\n", "title: A\n", "x"]),
                                                 max_size=30).map("".join).map(lambda s: "---\n" + s + "\n---\n")))
def test_arbitrary_text(text: str):
    reads_or_refuses(text)


_names = itertools.count()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("records")


@pytest.fixture(scope="module")
def import_store(tmp_path_factory):
    from topicwire.secure import KeyRing
    from topicwire.store import Store

    with Store(f"sqlite:///{tmp_path_factory.mktemp('import') / 'w.db'}", keys=KeyRing.generate()) as store:
        yield store


@FUZZ
@given(data=st.one_of(record_texts().map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300))
       .flatmap(lambda data: damaged(data, tokens=[*BAD_UTF8, b"\xef\xbb\xbf", b"\r\n", b"---\n"])))
def test_record_files_of_any_bytes(scratch: Path, data: bytes):
    """read_record as the import reads files: sizes, UTF-8, BOM, CRLF."""
    path = scratch / f"{next(_names)}.md"
    path.write_bytes(data)
    article = outcome(lambda: read_record(path), kind=RecordError, seconds=SECONDS)
    if article is not None:
        check_article(article, str(path))


@pytest.mark.parametrize("text", [
    "publishedDateTime: 2026-02-30T10:00:00Z",       # a timestamp YAML matches but datetime() refuses
    "publishedDateTime: 2026-11-03T25:00:00Z",
    "updatedDateTime: 0000-01-01",
    "quality: " + "9" * 5000,                          # more digits than int() converts
    "tags: [!!int title]",                             # explicit tags run int(), float(), bool lookups...
    "tags: [!!int '']",
    "tags: [!!bool maybe]",
    "updatedDateTime: !!timestamp soon",
    "publishedDateTime: 2026-01-01T00:00:00+99:99",
    '"bad\\nname": 1',                               # an unknown field whose name holds a line break
    "x" * 5000 + ": 1",                               # ... or megabytes
])
def test_values_yaml_cannot_build_and_odd_names_are_one_line_record_errors(text: str):
    """Regression: PyYAML builds timestamps and integers with datetime()
    and int(), whose ValueError (or IndexError, AttributeError, KeyError)
    escaped parse_record and stopped a whole `topicwire import`; a field
    name was put into the message as written."""
    with pytest.raises(RecordError) as caught:
        parse_record(f"---\ntitle: A\nwebUrl: https://a.example/x\n{text}\n---\n", source="r.md")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("r.md: ") and len(message) < 400


@pytest.mark.parametrize("line", ["heat: 0x" + "f" * 40, "publishedDateTime: 9999-12-31T23:59:59-05:00"])
def test_an_import_skips_a_record_the_store_cannot_keep(import_store, tmp_path, line: str):
    # a heat beyond a database integer, a time with no year in UTC: refused
    # by the record schema, with the rest of the import going on
    (tmp_path / "a.md").write_text(f"---\ntitle: A\nwebUrl: https://edge.example/{len(line)}\n{line}\n---\n")
    (tmp_path / "b.md").write_text(f"---\ntitle: B\nwebUrl: https://edge.example/b{len(line)}\n---\n")
    summary = import_records(import_store, TAXONOMY, [tmp_path])
    assert summary.new == 1 and len(summary.skipped) == 1


@fuzz_settings(examples=25, deadline_s=10)
@given(data=st.one_of(record_texts().map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.binary(max_size=200)))
def test_an_import_stores_the_good_file_whatever_its_neighbour(import_store, scratch: Path, data: bytes):
    folder = scratch / f"import-{next(_names)}"
    folder.mkdir()
    good = (f'---\ntitle: "Good record {folder.name}"\nwebUrl: "https://good.example/{folder.name}"\n'
            "topics: [AI Hardware]\n---\nThe body.\n")
    (folder / "a-good.md").write_text(good, encoding="utf-8")
    (folder / "b-hostile.md").write_bytes(data)
    summary = outcome(lambda: import_records(import_store, TAXONOMY, [folder]), seconds=60)
    assert summary is not None and summary.total == 2
    assert summary.new >= 1, summary.as_dict()  # the good file, never lost
    for file, reason in summary.skipped:
        assert file.endswith("b-hostile.md") and reason and "\n" not in reason, (file, reason)


def test_split_front_matter_needs_its_fences():
    with pytest.raises(RecordError):
        split_front_matter("title: A\n", source="r.md")
    assert split_front_matter("---\na: 1\n---\nbody", source="r.md") == ("a: 1", "body")
