"""Labelled examples for training the topic classifier, read from JSON
Lines: either ``{"text": ..., "topics": [...]}`` or an article record
with ``title`` / ``excerpt`` / ``content`` and ``topics``. A bad line is a
one-line error naming the file, the line and the field."""

from __future__ import annotations

import json
from pathlib import Path

from topicwire.enrich.embed import compose_text
from topicwire.errors import RecordError
from topicwire.taxonomy import Taxonomy

MAX_LABEL_FILE_BYTES = 200 * 1024 * 1024


def read_labels(path: Path, taxonomy: Taxonomy) -> list[tuple[str, list[str]]]:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_LABEL_FILE_BYTES:
            raise RecordError(f"larger than {MAX_LABEL_FILE_BYTES // (1024 * 1024)} MB", source=str(path))
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RecordError(f"cannot read labels ({exc.strerror or exc})", source=str(path)) from None
    except UnicodeDecodeError:
        raise RecordError("not UTF-8 text", source=str(path)) from None
    examples = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            examples.append(parse_label_line(line, taxonomy, source=f"{path}:{number}"))
    if not examples:
        raise RecordError("no labelled examples", source=str(path))
    return examples


def parse_label_line(line: str, taxonomy: Taxonomy, *, source: str) -> tuple[str, list[str]]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"not valid JSON ({exc.msg} at column {exc.colno})", source=source) from None
    if not isinstance(data, dict):
        raise RecordError(f"expected a JSON object, found {type(data).__name__}", source=source)
    if "text" in data:
        text = data["text"]
        if not isinstance(text, str) or not text.strip():
            raise RecordError("must be non-empty text", source=source, field="text")
    elif "title" in data:
        for name in ("title", "excerpt", "content"):
            if data.get(name) is not None and not isinstance(data[name], str):
                raise RecordError("must be text", source=source, field=name)
        text = compose_text(data.get("title"), data.get("excerpt"), data.get("content"))
        if not text:
            raise RecordError("must be non-empty text", source=source, field="title")
    else:
        raise RecordError("is required (or title/excerpt/content)", source=source, field="text")
    if "topics" not in data:
        raise RecordError("is required (an empty list marks a negative example)", source=source, field="topics")
    topics = data["topics"]
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise RecordError("must be a list of topic names", source=source, field="topics")
    return text, taxonomy.expand(topics, source=source)
