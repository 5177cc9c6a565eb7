"""Property tests: any valid article survives a trip through a record file."""

from __future__ import annotations

from datetime import timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from topicwire.model import Article, Image, Provider
from topicwire.records import dump_record, parse_record

# Any printable text, including quotes, colons, '#', '---', YAML keywords and
# non-Latin scripts; no surrogates (not encodable) and no carriage returns
# (record files are read with universal newlines).
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), min_size=1, max_size=80
).filter(lambda s: s.strip())
tricky = st.sampled_from(["yes", "null", "~", "1e3", "0x1F", "- item", "#tag", "a: b", "'q'", '"q"', "---", " lead"])
title = st.one_of(text, tricky)
url = st.builds(
    lambda host, path: f"https://{host}.example/{path}",
    st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9._~%/-]{0,40}(\?[a-z]=[a-z0-9]{1,5})?", fullmatch=True),
)
zone = st.sampled_from([timezone.utc, timezone(timedelta(hours=-4)), timezone(timedelta(hours=5, minutes=30))])
when = st.datetimes(timezones=zone).map(lambda d: d.replace(microsecond=0))
body = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zl", "Zp"), blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85"), max_size=300)
    .map(lambda s: s.strip("\n").rstrip() or None),
)
image = st.builds(
    Image,
    url=url,
    width=st.one_of(st.none(), st.integers(1, 5000)),
    height=st.one_of(st.none(), st.integers(1, 5000)),
    is_cached=st.booleans(),
)
articles = st.builds(
    Article,
    title=title,
    excerpt=st.one_of(st.none(), title),
    published_date_time=st.one_of(st.none(), when),
    web_url=st.one_of(st.none(), url),
    quality=st.one_of(st.none(), st.integers(0, 100)),
    heat=st.one_of(st.none(), st.integers(-1, 10_000)),
    published=st.one_of(st.none(), st.booleans()),
    provider=st.one_of(st.none(), st.builds(Provider, name=title, domain=st.none())),
    topics=st.lists(title, max_size=3),
    tags=st.lists(title, max_size=3),
    images=st.lists(image, max_size=2),
    content=body,
)


@settings(max_examples=300, deadline=None)
@given(articles)
def test_any_article_survives_a_record_file(article: Article):
    again = parse_record(dump_record(article), source="prop.md")
    assert again.to_data() == article.to_data()
    # the same instants, in the same written offsets
    if article.published_date_time:
        assert again.published_date_time.utcoffset() == article.published_date_time.utcoffset()
