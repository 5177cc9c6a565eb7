"""A digest as text: Markdown (the plain-text part of the e-mail, readable
as is) and HTML (the e-mail body: inline styles, tables, no scripts, no
external assets, because that is what mail clients render faithfully).

Every string here comes from pages on the web, so nothing is trusted:
HTML is autoescaped, Markdown is backslash-escaped, and a link is only
written when it is an http(s) URL.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

if TYPE_CHECKING:  # the digest module imports this one to re-export it
    from topicwire.publish.digest import Digest, DigestStory

TEMPLATES = Path(__file__).parent / "templates"

# characters with a meaning anywhere in a Markdown line (HTML, entities, emphasis, links, code)
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&~])")
# ... and the ones that only matter at the start of a line (headings, lists, quotes, rules)
_MD_LINE_START = re.compile(r"^(#|>|[-+=]|\d+(?=[.)]))")


def http_url(value: object) -> str | None:
    """``value`` when it is an absolute http(s) URL, else None: a
    ``javascript:`` or ``data:`` link must never reach a reader."""
    if not isinstance(value, str) or not value or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or "\\" in value:
        return None
    return value


def heat_label(heat: int) -> str | None:
    # -1 is "not enough signal yet": say nothing rather than a misleading 0
    return f"heat {heat}" if heat >= 0 else None


def coverage_label(count: int) -> str:
    return f"{count} article{'' if count == 1 else 's'}"


def meta_line(story: DigestStory) -> str:
    parts = [heat_label(story.heat), coverage_label(story.coverage), ", ".join(story.providers)]
    return " · ".join(p for p in parts if p)


def summary_line(digest: Digest) -> str:
    shown = len(digest.stories)
    if shown and digest.total > shown:
        return f"The {shown} hottest of {digest.total} stories in {digest.scope}, {digest.period.label}"
    if shown:
        return f"{shown} {'story' if shown == 1 else 'stories'} in {digest.scope}, {digest.period.label}"
    return f"Nothing new in {digest.scope} {digest.period.between}."


def md_text(value: str) -> str:
    """Source text as Markdown that renders as that text: on one line (a
    newline could start a heading), every meaningful character escaped."""
    text = _MD_INLINE.sub(r"\\\1", " ".join(value.split()))
    return _MD_LINE_START.sub(lambda m: "\\" + m.group(1) if not m.group(1).isdigit() else m.group(1) + "\\", text)


def md_url(url: str) -> str:
    # inside (...) a space, a parenthesis or an angle bracket would end or break the link
    return quote(url, safe="!#$%&*+,-./:;=?@[]^_{|}~")


def md_link(text: str, url: object) -> str:
    href = http_url(url)
    return f"[{md_text(text)}]({md_url(href)})" if href else md_text(text)


def render_markdown(digest: Digest, site_url: str) -> str:
    lines = [f"# {md_text(digest.title)}", "", md_text(summary_line(digest)), ""]
    for rank, story in enumerate(digest.stories, 1):
        lines += [f"## {rank}. {md_link(story.headline, story.url)}", "", md_text(meta_line(story)), ""]
        if story.excerpt:
            lines += [md_text(story.excerpt), ""]
        others = [(o, http_url(o.url)) for o in story.others]
        others = [(o, href) for o, href in others if href]
        if others:
            lines.append("Also covered by:")
            lines += [
                f"- {md_link(o.title, href)}" + (f" ({md_text(o.provider)})" if o.provider else "") for o, href in others
            ]
            lines.append("")
    lines += ["---", "", md_link(digest.name, site_url), ""]
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # always: every string in a digest comes from the web
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["http_url"] = http_url
    env.tests["http_url"] = lambda value: http_url(value) is not None
    env.globals.update(meta_line=meta_line)
    return env


def render_html(digest: Digest, site_url: str) -> str:
    return _environment().get_template("digest.html").render(
        digest=digest, site_url=http_url(site_url), summary=summary_line(digest)
    )
