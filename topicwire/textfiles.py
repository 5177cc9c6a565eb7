"""Reading and writing the project's small text files safely: size caps,
strict UTF-8, YAML without aliases, atomic replacement."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

import yaml

from topicwire.errors import RecordError

# A record or topic file is a page of text; anything far larger is a mistake
# or an attack.
MAX_RECORD_BYTES = 5 * 1024 * 1024


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases: a record never needs them, and
    they are how a few bytes of YAML expand into gigabytes of data."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in records", event.start_mark
            )
        return super().compose_node(parent, index)


def load_yaml(text: str, *, source: str) -> Any:
    """Parse one YAML document with the record rules; errors name the line."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark else "somewhere"
        raise RecordError(f"broken YAML at {where}: {_brief(exc.problem or exc.context)}", source=source) from None
    except yaml.YAMLError as exc:
        raise RecordError(f"broken YAML: {_brief(exc)}", source=source) from None
    except RecursionError:
        raise RecordError("YAML nested too deeply", source=source) from None
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, OverflowError) as exc:
        # PyYAML builds values with datetime(), int() and friends, which
        # raise on what its patterns let through: "2026-02-30", an integer
        # of more than 4300 digits, "!!int ''", "!!timestamp soon",
        # "!!bool maybe". Nothing of ours runs inside yaml.load.
        raise RecordError(f"broken YAML: a value cannot be read ({_brief(exc)})", source=source) from None


def _brief(problem: object) -> str:
    """A parser's complaint for a one-line message: PyYAML's (and int()'s)
    may span lines or quote a whole oversized token."""
    text = " ".join(str(problem).split())
    return text if len(text) <= 200 else text[:199] + "…"


def read_text(path: Path, *, limit: int = MAX_RECORD_BYTES) -> str:
    """A file's text as UTF-8, refusing oversized and non-UTF-8 files."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise RecordError(f"file is {size:,} bytes, over the {limit:,}-byte limit for a record", source=source)
        data = path.read_bytes()
    except OSError as exc:
        raise RecordError(f"cannot read: {exc.strerror or exc}", source=source) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RecordError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}, offset {exc.start})", source=source
        ) from None
    return text.removeprefix("\ufeff")


def write_atomic(path: Path, text: str, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``text`` in one step, synced to disk; ``mode``
    sets the file's permissions before any byte is written to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_yaml_items(path: Path, *, limit: int) -> list[tuple[Any, str]]:
    """The entries of a data file holding one mapping or a list of them,
    each with where it stands (``file`` or ``file[i]``) for messages."""
    source = str(path)
    data = load_yaml(read_text(path, limit=limit), source=source)
    items = data if isinstance(data, list) else [data]
    return [(item, source if len(items) == 1 else f"{source}[{i}]") for i, item in enumerate(items)]


def iter_json_lines(path: Path, *, limit: int) -> Iterator[tuple[int, Any]]:
    """(line number, value) for each non-blank line of a JSON Lines file;
    an unreadable file, a line that is not JSON, or bytes that are not
    UTF-8 give a RecordError naming the file and line."""
    try:
        if path.stat().st_size > limit:
            raise RecordError(f"file is over the {limit:,}-byte limit", source=str(path))
        handle = path.open("rb")
    except OSError as exc:
        raise RecordError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise RecordError("not UTF-8 text", source=where) from None
            if not text.strip():
                continue
            try:
                yield number, json.loads(text)
            except json.JSONDecodeError as exc:
                raise RecordError(f"not JSON ({exc.msg} at column {exc.colno})", source=where) from None
