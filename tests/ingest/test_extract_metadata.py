"""Which page signal fills each field of the record, on small hand-written
pages: one page per case, the signals it carries chosen to show the order."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from topicwire.ingest.extract import extract, extract_file
from topicwire.ingest.urls import amp_cache_url
from topicwire.model import format_datetime
from topicwire.organizations import Organizations

DATA = Path(__file__).parent / "data"
URL = "https://www.example.com/news/2026/10/12/robots-sort-parcels/"
PARAGRAPHS = (
    "<p>A parcel hub outside Leeds has started using robot arms to sort small packages overnight, the company "
    "running it said on Monday. The arms pick up to 1,200 items an hour and hand anything they cannot read to a "
    "person at the end of the line.</p>"
    "<p>Managers said the night shift had not been cut. Staff who used to sort by hand now clear jams, check "
    "labels the cameras reject and load the trucks, work the arms still cannot do safely or quickly enough.</p>"
    "<p>The union said it would watch closely whether the promise held once the trial ended in the spring, and "
    "asked for the error figures to be published every month.</p>"
)


def page(head: str = "", body: str = "", *, lang: str = "en", title: str = "Robots sort parcels overnight") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body><header><nav><a href='/'>Home</a></nav></header>"
        f"<article><h1>{title}</h1>{body}{PARAGRAPHS}</article></body></html>"
    )


def ld(**fields) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


def meta(name: str, content: str, attribute: str = "property") -> str:
    return f'<meta {attribute}="{name}" content="{content}">'


def when(value) -> str | None:
    return format_datetime(value) if value is not None else None


# -- dates -------------------------------------------------------------------


def test_json_ld_date_beats_meta_time_and_url():
    html = page(
        ld(datePublished="2026-10-12T09:30:00+02:00", dateModified="2026-10-12T15:00:00+02:00")
        + meta("article:published_time", "2026-10-11T08:00:00Z"),
        '<time datetime="2026-10-10T08:00:00Z">10 Oct</time>',
    )
    result = extract(html, url=URL)
    assert when(result.article.published_date_time) == "2026-10-12T07:30:00Z"
    assert when(result.article.updated_date_time) == "2026-10-12T13:00:00Z"
    assert result.sources["publishedDateTime"] == "json-ld datePublished"
    assert result.sources["updatedDateTime"] == "json-ld dateModified"


def test_meta_date_beats_time_element():
    html = page(meta("article:published_time", "2026-10-11T08:00:00-04:00"), '<time datetime="2026-10-10T08:00Z">x</time>')
    result = extract(html, url=URL)
    assert when(result.article.published_date_time) == "2026-10-11T12:00:00Z"
    assert result.sources["publishedDateTime"] == "meta article:published_time"


@pytest.mark.parametrize(
    ("tag", "value", "source"),
    [
        ('<meta itemprop="datePublished" content="{}">', "2026-10-09T06:00:00Z", "microdata datePublished"),
        ('<meta name="parsely-pub-date" content="{}">', "2026-10-09T06:00:00Z", "meta parsely-pub-date"),
        ('<meta name="sailthru.date" content="{}">', "Fri, 09 Oct 2026 06:00:00 GMT", "meta sailthru.date"),
        ('<meta name="DC.date" content="{}">', "2026-10-09T06:00:00+00:00", "meta dc.date"),
    ],
)
def test_other_date_meta_tags(tag, value, source):
    result = extract(page(tag.format(value)), url=URL)
    assert when(result.article.published_date_time) == "2026-10-09T06:00:00Z"
    assert result.sources["publishedDateTime"] == source


def test_time_element_inside_the_article():
    result = extract(page(body='<p class="byline"><time datetime="2026-10-10T08:15:00+01:00">10 Oct</time></p>'), url=URL)
    assert when(result.article.published_date_time) == "2026-10-10T07:15:00Z"
    assert result.sources["publishedDateTime"] == "<time datetime>"


def test_date_in_the_url_is_the_last_resort_and_warns():
    result = extract(page(), url=URL)
    assert when(result.article.published_date_time) == "2026-10-12T00:00:00Z"
    assert result.sources["publishedDateTime"] == "url"
    assert any("taken from the URL" in w for w in result.warnings)


def test_no_date_at_all_is_a_warning_never_now():
    result = extract(page(), url="https://www.example.com/news/robots-sort-parcels")
    assert result.article.published_date_time is None
    assert "no publication date found" in result.warnings


def test_naive_time_takes_the_zone_the_page_states_elsewhere():
    html = page(ld(datePublished="2026-10-12T09:30:00") + meta("article:modified_time", "2026-10-12T11:00:00+02:00"))
    result = extract(html, url=URL)
    assert when(result.article.published_date_time) == "2026-10-12T07:30:00Z"
    assert not any("no time zone" in w for w in result.warnings)


def test_naive_time_takes_a_named_zone():
    html = page(ld(datePublished="2026-01-12T09:30:00") + meta("timezone", "America/New_York", "name"))
    assert when(extract(html, url=URL).article.published_date_time) == "2026-01-12T14:30:00Z"


def test_naive_time_without_any_zone_is_utc_with_a_warning():
    result = extract(page(ld(datePublished="2026-10-12T09:30:00")), url=URL)
    assert when(result.article.published_date_time) == "2026-10-12T09:30:00Z"
    assert any("names no time zone" in w for w in result.warnings)


def test_dates_are_stored_in_utc_and_whole_seconds():
    result = extract(page(ld(datePublished="2026-10-12T23:30:00.916-05:00")), url=URL)
    published = result.article.published_date_time
    assert published == datetime(2026, 10, 13, 4, 30, tzinfo=timezone.utc)
    assert published.utcoffset().total_seconds() == 0


def test_update_before_publication_is_dropped():
    html = page(ld(datePublished="2026-10-12T09:30:00Z", dateModified="2026-10-12T08:00:00Z"))
    result = extract(html, url=URL)
    assert result.article.updated_date_time is None
    assert any("before the publication" in w for w in result.warnings)


def test_placeholder_dates_are_skipped():
    html = page(ld(datePublished="1970-01-01T00:00:00Z") + meta("article:published_time", "2026-10-11T08:00:00Z"))
    assert when(extract(html, url=URL).article.published_date_time) == "2026-10-11T08:00:00Z"


def test_visible_update_line_and_marked_update_time():
    stand = '<span class="artikel__stand">Stand: 04.11.2026, 16:20 Uhr</span>'
    html = page(body=f'<time datetime="2026-11-04T11:00:00+01:00">4.11.</time> {stand}', lang="de")
    result = extract(html, url=URL)
    assert when(result.article.updated_date_time) == "2026-11-04T15:20:00Z"
    html = page(
        body='<time class="dt-published" datetime="2026-10-09T08:40:00-07:00">a</time>'
        '<time class="dt-updated" datetime="2026-10-09T14:10:00-07:00">b</time>'
    )
    result = extract(html, url=URL)
    assert when(result.article.published_date_time) == "2026-10-09T15:40:00Z"
    assert when(result.article.updated_date_time) == "2026-10-09T21:10:00Z"


# -- title -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "title", "expected"),
    [
        (meta("og:site_name", "The Example Times"), "Robots sort parcels | The Example Times", "Robots sort parcels"),
        ("", "Robots sort parcels - Example", "Robots sort parcels"),  # the domain's name
        ("", "Robots sort parcels — example.com", "Robots sort parcels"),
        ("", "Robots sort parcels – Example News", "Robots sort parcels"),  # the domain's name + a generic word
        ("", "Example | Robots sort parcels", "Robots sort parcels"),  # site name first
        ("", "Robots sort parcels | Example | by Jo Bloggs", "Robots sort parcels"),
        ("", "Robots - and people - sort parcels", "Robots - and people - sort parcels"),
        ("", "Robots sort parcels - Example event recap", "Robots sort parcels - Example event recap"),
    ],
)
def test_site_name_suffixes_are_stripped(head, title, expected):
    result = extract(page(head, title=title), url=URL)
    assert result.article.title == expected


def test_og_title_beats_headline_h1_and_title():
    html = page(meta("og:title", "Social headline") + ld(headline="Structured headline"), title="Page title")
    result = extract(html, url=URL)
    assert (result.article.title, result.sources["title"]) == ("Social headline", "og:title")
    result = extract(page(ld(headline="Structured headline"), title="Page title"), url=URL)
    assert (result.article.title, result.sources["title"]) == ("Structured headline", "json-ld headline")


def test_a_truncated_title_gives_way_to_the_full_one():
    html = page(meta("og:title", "Robots now sort parcels at a Leeds hub…"), title="Robots now sort parcels at a Leeds hub overnight")
    assert extract(html, url=URL).article.title == "Robots now sort parcels at a Leeds hub overnight"


def test_a_title_that_is_only_the_site_name_is_skipped():
    html = page(meta("og:title", "Example News") + meta("og:site_name", "Example News"), title="Robots sort parcels")
    assert extract(html, url=URL).article.title == "Robots sort parcels"


# -- URLs --------------------------------------------------------------------


def test_relative_canonical_is_resolved_and_tracking_stripped():
    html = page('<link rel="canonical" href="/news/robots?b=2&amp;a=1&amp;utm_source=x#top">')
    result = extract(html, url="https://www.example.com/feed-item/77?utm_medium=rss&id=5")
    article = result.article
    assert article.original_url == "https://www.example.com/feed-item/77?id=5"
    assert article.web_url == "https://www.example.com/news/robots?a=1&b=2"
    assert result.sources["webUrl"] == "canonical"
    assert len(article.id) == 20


def test_og_url_when_there_is_no_canonical():
    result = extract(page(meta("og:url", "https://example.com/news/robots")), url=URL)
    assert result.article.web_url == "https://example.com/news/robots"
    assert result.sources["webUrl"] == "og:url"


def test_no_canonical_uses_the_fetched_url_with_a_warning():
    result = extract(page(), url=URL)
    assert result.article.web_url == URL
    assert "no canonical URL; using the fetched URL" in result.warnings


@pytest.mark.parametrize("href", ["https://other.example.org/", "/", "javascript:alert(1)", "mailto:x@example.com"])
def test_useless_canonicals_are_ignored(href):
    result = extract(page(f'<link rel="canonical" href="{href}">'), url=URL)
    assert result.article.web_url == URL
    assert result.warnings


def test_canonical_to_another_site_article_is_kept():
    html = page('<link rel="canonical" href="https://original.example.net/story/1">')
    assert extract(html, url=URL).article.web_url == "https://original.example.net/story/1"


def test_amp_link_and_its_cache_address():
    result = extract(page('<link rel="amphtml" href="/news/robots/amp/?amp=1">'), url=URL)
    article = result.article
    assert article.amp_web_url == "https://www.example.com/news/robots/amp/?amp=1"
    assert article.cdn_amp_web_url == amp_cache_url(article.amp_web_url)
    assert article.cdn_amp_web_url.startswith("https://www-example-com.cdn.ampproject.org/c/s/www.example.com/")


def test_an_amp_page_is_its_own_amp_url():
    html = page('<link rel="canonical" href="https://www.example.com/news/robots">').replace("<html ", "<html amp ")
    result = extract(html, url="https://www.example.com/news/robots/amp")
    assert result.article.web_url == "https://www.example.com/news/robots"
    assert result.article.amp_web_url == "https://www.example.com/news/robots/amp"


# -- images ------------------------------------------------------------------


def test_og_image_with_its_size_made_absolute():
    head = meta("og:image", "/img/robots.jpg") + meta("og:image:width", "1200") + meta("og:image:height", "675px")
    image = extract(page(head), url=URL).article.images[0]
    assert (image.url, image.width, image.height, image.is_cached) == (
        "https://www.example.com/img/robots.jpg", 1200, 675, False,
    )


def test_image_size_from_json_ld_for_the_same_picture():
    head = meta("og:image", "https://cdn.example.com/r.jpg") + ld(
        image={"@type": "ImageObject", "url": "https://cdn.example.com/r.jpg", "width": "1600", "height": 900}
    )
    image = extract(page(head), url=URL).article.images[0]
    assert (image.width, image.height) == (1600, 900)


def test_twitter_then_json_ld_then_article_image():
    result = extract(page(meta("twitter:image", "https://cdn.example.com/t.jpg", "name")), url=URL)
    assert result.article.images[0].url == "https://cdn.example.com/t.jpg"
    assert result.sources["images"] == "twitter:image"
    result = extract(page(ld(image=["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.jpg"])), url=URL)
    assert result.article.images[0].url == "https://cdn.example.com/a.jpg"
    body = '<img src="/icon.png" width="32" height="32"><img src="/big.jpg" width="800" height="450">'
    result = extract(page(body=body), url=URL)
    assert (result.article.images[0].url, result.article.images[0].width) == ("https://www.example.com/big.jpg", 800)
    assert result.sources["images"] == "<img> in article"


def test_no_image_is_fine():
    assert extract(page(), url=URL).article.images == []


# -- locale ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "head", "expected"),
    [
        ("en", "", "en"),
        ("EN_us", "", "en-US"),
        ("en", meta("og:locale", "en_GB"), "en-GB"),  # the same language, more precisely
        ("fr", meta("og:locale", "en_GB"), "fr"),
        ("", meta("og:locale", "de_DE"), "de-DE"),
        ("", meta("content-language", "pt-br", "http-equiv"), "pt-BR"),
        ("zh-hant-tw", "", "zh-Hant-TW"),
        ("x-default", "", None),
    ],
)
def test_locale(lang, head, expected):
    assert extract(page(head, lang=lang), url=URL).article.locale == expected


def test_default_locale_when_the_page_says_nothing():
    result = extract(page(lang=""), url=URL, default_locale="en_au")
    assert (result.article.locale, result.sources["locale"]) == ("en-AU", "default")


# -- provider ----------------------------------------------------------------


@pytest.fixture(scope="module")
def registry() -> Organizations:
    return Organizations.load(DATA / "organizations")


def test_provider_from_the_registry(registry):
    html = page(meta("og:site_name", "HP"))
    result = extract(html, url="https://www.harbourpost.com.au/news/a", organizations=registry)
    provider = result.article.provider
    assert (provider.name, provider.domain) == ("Harbour Post", "harbourpost.com.au")
    assert provider.images[0].url == "https://www.harbourpost.com.au/logo.png"
    assert result.sources["provider"] == "organizations"


def test_provider_multi_part_suffix_and_subdomain(registry):
    result = extract(page(), url="https://news.bbc.co.uk/1/hi/world/123.stm", organizations=registry)
    assert (result.article.provider.name, result.article.provider.domain) == ("BBC News", "bbc.co.uk")


def test_provider_from_site_name_then_publisher_then_domain():
    url = "https://www.harbourpost.com.au/news/a"
    provider = extract(page(meta("og:site_name", "Harbour Post")), url=url).article.provider
    assert (provider.name, provider.domain) == ("Harbour Post", "harbourpost.com.au")
    provider = extract(page(ld(publisher={"@type": "Organization", "name": "HP Media"})), url=url).article.provider
    assert provider.name == "HP Media"
    provider = extract(page(meta("application-name", "HP App", "name")), url=url).article.provider
    assert provider.name == "HP App"
    result = extract(page(), url=url)
    assert (result.article.provider.name, result.sources["provider"]) == ("harbourpost.com.au", "domain")


def test_provider_of_a_syndicated_copy_is_the_page_own_site():
    head = (
        '<link rel="canonical" href="https://original.example.net/story/1">'
        + meta("og:url", "https://www.copies.example.org/2026/story-1/")
        + meta("og:site_name", "Copies Daily")
    )
    article = extract(page(head), url="http://127.0.0.1:8000/copies/story-1").article
    assert article.web_url == "https://original.example.net/story/1"
    assert (article.provider.name, article.provider.domain) == ("Copies Daily", "example.org")


# -- authors, excerpt, content, the whole record ------------------------------


def test_authors_from_json_ld_else_meta():
    html = page(ld(author=[{"@type": "Person", "name": "Mia Tran"}, "Owen Hale"]) + meta("author", "Publisher Inc", "name"))
    assert extract(html, url=URL).authors == ["Mia Tran", "Owen Hale"]
    html = page(meta("author", "By Mia Tran and Owen Hale", "name") + meta("article:author", "https://x.com/mia"))
    assert extract(html, url=URL).authors == ["Mia Tran", "Owen Hale"]


def test_excerpt_sources_in_order():
    head = meta("description", "Meta description.", "name") + meta("og:description", "Og description.")
    result = extract(page(head), url=URL)
    assert (result.article.excerpt, result.sources["excerpt"]) == ("Meta description.", "description")
    result = extract(page(ld(description="Ld &amp; description.")), url=URL)
    assert (result.article.excerpt, result.sources["excerpt"]) == ("Ld & description.", "json-ld description")
    result = extract(page(meta("description", "Example", "name")), url="https://example.com/a")
    assert result.sources["excerpt"] == "body"
    assert result.article.excerpt.startswith("A parcel hub outside Leeds")
    assert len(result.article.excerpt) <= 300


def test_content_is_plain_paragraphs_without_the_headline():
    content = extract(page(), url=URL).article.content
    paragraphs = content.split("\n\n")
    assert paragraphs[0].startswith("A parcel hub outside Leeds")
    assert len(paragraphs) == 3
    assert "<" not in content and "Robots sort parcels overnight" not in content


def test_full_page_file(registry):
    result = extract_file(DATA / "pages" / "harbourpost-full.html", organizations=registry)
    article = result.article
    assert article.title == "Port authority trials AI crane scheduling"
    assert article.web_url == "https://www.harbourpost.com.au/news/2026/10/12/port-ai-cranes/"
    assert article.original_url == "https://localhost/harbourpost-full.html"
    assert when(article.published_date_time) == "2026-10-11T21:30:00Z"
    assert when(article.updated_date_time) == "2026-10-12T03:05:00Z"
    assert article.locale == "en-AU"
    assert (article.provider.name, article.provider.domain) == ("Harbour Post", "harbourpost.com.au")
    assert article.images[0].url == "https://www.harbourpost.com.au/images/2026/10/cranes.jpg"
    assert (article.images[0].width, article.images[0].height) == (1600, 900)
    assert article.amp_web_url == "https://www.harbourpost.com.au/news/2026/10/12/port-ai-cranes/amp/"
    assert article.excerpt.endswith("Unions want a say in how the system is used.")
    assert article.content.count("\n\n") == 3 and "Subscribe" not in article.content
    assert (article.type, article.category, article.quality, article.topics) == ("article", "news", None, [])
    assert result.authors == ["Mia Tran", "Owen Hale"]
    assert result.warnings[0].startswith("no URL given")
    data = article.to_data(json=True)
    assert data["publishedDateTime"] == "2026-10-11T21:30:00Z" and data["provider"]["domain"] == "harbourpost.com.au"


def test_relative_addresses_follow_base_href():
    head = '<base href="https://static.example.net/site/">' + '<link rel="canonical" href="news/robots">'
    head += meta("og:image", "img/r.jpg")
    article = extract(page(head), url=URL).article
    assert article.web_url == "https://static.example.net/site/news/robots"
    assert article.images[0].url == "https://static.example.net/site/img/r.jpg"
