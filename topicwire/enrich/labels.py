"""Labelled examples for training the topic classifier, read from JSON
Lines: either ``{"text": ..., "topics": [...]}`` or an article record
with ``title`` / ``excerpt`` / ``content`` and ``topics``. A bad line is a
one-line error naming the file, the line and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from topicwire.enrich.embed import compose_text
from topicwire.errors import RecordError
from topicwire.taxonomy import Taxonomy
from topicwire.textfiles import iter_json_lines

MAX_LABEL_FILE_BYTES = 200 * 1024 * 1024


def read_labels(path: Path, taxonomy: Taxonomy) -> list[tuple[str, list[str]]]:
    path = Path(path)
    examples = []
    for number, data in iter_json_lines(path, limit=MAX_LABEL_FILE_BYTES):
        examples.append(parse_label_line(data, taxonomy, source=f"{path}:{number}"))
    if not examples:
        raise RecordError("no labelled examples", source=str(path))
    return examples


def parse_label_line(data: Any, taxonomy: Taxonomy, *, source: str) -> tuple[str, list[str]]:
    """(text, topics with their parents) of one decoded labels line."""
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
