"""Record files (Markdown with YAML front matter) and the paged JSON API shape.

A record file is the article's front matter between two ``---`` lines,
followed by its full text as Markdown (the record's ``content``).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

from topicwire.errors import RecordError
from topicwire.model import Article, format_datetime, validate
from topicwire.textfiles import load_yaml, read_text, write_atomic

PAGE_SIZE = 20

_FENCE = "---"
_FIELD_SHOWN = 100


def split_front_matter(text: str, *, source: str) -> tuple[str, str]:
    """(front matter, body) of a record file's text."""
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        raise RecordError("does not start with a '---' front matter line", source=source)
    for i in range(1, len(lines)):
        if lines[i].rstrip() == _FENCE:
            front = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1 :])
            return front, body.strip("\n").rstrip()
    raise RecordError("front matter is not closed by a '---' line", source=source)


def parse_record(text: str, *, source: str = "<record>") -> Article:
    """An Article from a record file's text."""
    front, body = split_front_matter(text, source=source)
    data = load_yaml(front, source=source)
    if data is None:
        raise RecordError("front matter is empty", source=source)
    if isinstance(data, dict) and "content" in data and body:
        raise RecordError("content is given both in the front matter and as the body", source=source, field="content")
    if isinstance(data, dict) and body:
        data = {**data, "content": body}
    try:
        return validate(Article, data, source=source)
    except RecordError as exc:
        if exc.field is None or (exc.field.isprintable() and len(exc.field) <= _FIELD_SHOWN):
            raise
        # the field path holds the record's own keys as written: an unknown
        # key may carry a line break (a forged line in the import's output)
        # or megabytes; the message names it escaped and shortened
        raise RecordError(exc.reason, source=source, field=_shown_field(exc.field)) from None


def _shown_field(field: str) -> str:
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in field)
    return text if len(text) <= _FIELD_SHOWN else text[: _FIELD_SHOWN - 1] + "…"


def read_record(path: Path | str) -> Article:
    path = Path(path)
    return parse_record(read_text(path), source=str(path))


def dump_record(article: Article) -> str:
    """The record file text for an article: front matter in the record
    format's style (a blank line around each block), then the body."""
    data = article.to_data()
    data.pop("id", None)  # derived from webUrl; the JSON API serves it
    body = data.pop("content", None)
    return dump_front_matter(data, body)


def dump_front_matter(data: dict[str, Any], body: str | None = None) -> str:
    """Front matter in the record format's style (free text quoted, a blank
    line around each block), then ``body``: article records, and the
    records of companies and people."""
    data = _quote_free_text(data)
    chunks: list[tuple[bool, str]] = []
    for key, value in data.items():
        block = isinstance(value, (dict, list))
        chunks.append((block, _dump_yaml({key: value})))
    out = [_FENCE + "\n"]
    for i, (block, chunk) in enumerate(chunks):
        if i and (block or chunks[i - 1][0]):
            out.append("\n")
        out.append(chunk)
    out.append(_FENCE + "\n\n")
    if body:
        out.append(body.rstrip() + "\n")
    return "".join(out)


def write_record(article: Article, path: Path | str) -> None:
    """Write a record file atomically: a reader never sees half a record."""
    write_atomic(Path(path), dump_record(article))


class _Quoted(str):
    """A string always written in double quotes (headlines, URLs, ciphertext),
    as the record format writes them, whatever characters they hold."""


_QUOTED_KEYS = {"title", "excerpt", "highlight", "secured", "path"}


def _quote_free_text(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _quote_free_text(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_quote_free_text(v, key) for v in value]
    if isinstance(value, str) and (key in _QUOTED_KEYS or key.lower().endswith("url")):
        return _Quoted(value)
    return value


# Strings made only of these characters read back as the same string when
# written plain (unless YAML would take them for another type, checked below).
_PLAIN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9 ._-]*$")


class _RecordDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # indent list items under their key, as the record format does
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    plain = not isinstance(value, _Quoted) and (
        _PLAIN_RE.match(value)
        and not value.endswith(" ")
        and isinstance(yaml.safe_load(value), str)  # not true/null/1e3
    )
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain else '"')


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", format_datetime(value))


_RecordDumper.add_representer(str, _represent_str)
_RecordDumper.add_representer(_Quoted, _represent_str)
_RecordDumper.add_representer(datetime, _represent_datetime)


def _dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(
        data,
        Dumper=_RecordDumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000_000,  # never fold long headlines or URLs
        indent=2,
        default_flow_style=False,
    )


def page(items: Sequence[Any], number: int = 1, size: int = PAGE_SIZE, *, total: int | None = None) -> dict[str, Any]:
    """One page of the JSON API: ``{"page": N, "value": [...], "nextPage": N+1 or null}``.

    ``items`` is the page's content; ``total`` (when given) is the size of the
    whole listing, used to tell whether another page follows."""
    if number < 1:
        raise ValueError("pages are numbered from 1")
    more = total > number * size if total is not None else len(items) > size
    return {"page": number, "value": list(items[:size]), "nextPage": number + 1 if more else None}


def paginate(items: Iterable[Any], size: int = PAGE_SIZE) -> Iterable[dict[str, Any]]:
    """All pages of a listing, in order; an empty listing is one empty page."""
    batch: list[Any] = []
    number = 1
    for item in items:
        if len(batch) == size:
            yield {"page": number, "value": batch, "nextPage": number + 1}
            number += 1
            batch = []
        batch.append(item)
    yield {"page": number, "value": batch, "nextPage": None}
