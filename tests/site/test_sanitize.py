"""The website's escaping rules: autoescape everywhere, safe URLs only,
source HTML reduced to a few tags, nothing XML cannot carry."""

from __future__ import annotations

import pytest
from lxml import etree
from markupsafe import Markup

from topicwire.site.sanitize import clean_html, make_environment, safe_url, xml_text


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com/a?b=1&c=2#d",
        "http://example.com",
        "HTTPS://EXAMPLE.COM/x",
        "/topics/ai/",
        "?q=chips",
        "#main",
        "page/2/",
    ],
)
def test_http_and_site_relative_urls_pass(url):
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "\x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "jav&#x61;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "//evil.example/x",
        "/\\evil.example/x",
        "\\\\evil.example",
        "https:evil.example",
        "https:/evil.example",
        "mailto:someone@example.com",
        "",
        None,
    ],
)
def test_every_other_url_becomes_a_dead_link(url):
    assert safe_url(url) == "#"


def test_the_environment_escapes_every_template_whatever_its_name():
    env = make_environment()
    hostile = '<script>window.__pwned=1</script><img src=x onerror=alert(1)> "quoted" \x01'
    for template in (env.from_string("<p title='{{ v }}'>{{ v }}</p>"), env.from_string("{{ v }}")):
        out = template.render(v=hostile)
        assert "<script" not in out and "<img" not in out and '"quoted"' not in out
        assert "\x01" not in out
    assert env.autoescape is True
    linked = env.from_string('<a href="{{ u|safe_url }}">x</a>').render(u="javascript:alert(1)")
    assert linked == '<a href="#">x</a>'
    joined = env.from_string("{{ names|join(', ') }}").render(names=["<b>a</b>", "b\x02"])
    assert joined == "&lt;b&gt;a&lt;/b&gt;, b"


def test_an_undefined_name_is_an_error_not_a_blank():
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        make_environment().from_string("{{ missing.field }}").render()


def test_clean_html_keeps_a_few_tags_and_is_well_formed_xml():
    dirty = (
        '<p onclick="x()">One <b><i>unclosed <a href="javascript:alert(1)">js</a> '
        '<a href="https://example.com/" target="_blank">ok</a><br>two&nbsp;three'
        '<script>window.__pwned=1</script><img src=x onerror=alert(1)><style>p{}</style>'
        "<blockquote>quote</blockquote><!-- note -->"
    )
    cleaned = clean_html(dirty)
    assert isinstance(cleaned, Markup)
    root = etree.fromstring(f"<div>{cleaned}</div>".encode())
    tags = {e.tag for e in root.iter()} - {"div"}
    assert tags <= {"p", "a", "em", "strong", "ul", "ol", "li", "blockquote", "br"}
    assert "script" not in cleaned and "onerror" not in cleaned and "onclick" not in cleaned
    assert "javascript" not in cleaned and "note" not in cleaned and "<img" not in cleaned
    links = root.findall(".//a")
    assert [a.get("href") for a in links] == [None, "https://example.com/"]
    assert links[1].get("rel") == "noopener noreferrer nofollow"
    assert "two\xa0three" in "".join(root.itertext())
    assert clean_html(None) == "" and clean_html("plain & simple") == "plain &amp; simple"


def test_xml_text_removes_only_what_xml_forbids():
    assert xml_text("a\x00b\x08c\x1fd\x7fe\x85f\ufffeg\tn\nr\r é 日本 🚀") == "abcdefg\tn\nr\r é 日本 🚀"
