"""Importing record files into the store.

Each file is read, validated and normalised completely before anything is
written, and written in a transaction of its own: a bad file is skipped
with its reason and leaves nothing behind, and the files before and after
it are stored as usual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from topicwire.errors import RecordError, TopicwireError
from topicwire.ingest.urls import normalize_url, strip_tracking
from topicwire.model import Article, article_id
from topicwire.records import read_record
from topicwire.store import Store
from topicwire.store.articles import save_article
from topicwire.store.runs import finish_run, start_run
from topicwire.store.topics import sync_taxonomy
from topicwire.taxonomy import Taxonomy

RECORD_SUFFIXES = (".md", ".markdown")


@dataclass
class ImportSummary:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged + len(self.skipped)

    def as_dict(self) -> dict[str, object]:
        return {
            "imported": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
        }


def find_record_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Record files named directly or found in folders (recursively, in name
    order), and the paths that could not be used, with why."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in RECORD_SUFFIXES and p.is_file())
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append((str(path), "no such file or folder"))
    return files, missing


def prepare(article: Article, taxonomy: Taxonomy, *, source: str) -> Article:
    """The article as the store keeps it: canonical URL, id, tracking-free
    original URL, and topics checked against the taxonomy with parents added."""
    url = article.web_url or article.original_url
    if not url:
        raise RecordError("is required (or originalUrl): it identifies the article", source=source, field="webUrl")
    try:
        canonical = normalize_url(url)
        original = strip_tracking(article.original_url) if article.original_url else None
    except RecordError as exc:
        raise RecordError(exc.reason, source=source, field="webUrl" if article.web_url else "originalUrl") from None
    topics = taxonomy.expand(article.topics, source=source)
    return article.model_copy(
        update={"id": article_id(canonical), "web_url": canonical, "original_url": original, "topics": topics}
    )


def import_records(
    store: Store,
    taxonomy: Taxonomy,
    paths: Iterable[Path | str],
    *,
    on_file: Callable[[Path, str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import every record file under ``paths``. ``on_start`` hears the number
    of files, ``on_file`` each file and what became of it (new, updated,
    unchanged or the reason it was skipped)."""
    files, missing = find_record_files(paths)
    summary = ImportSummary(skipped=list(missing))
    if on_start:
        on_start(len(files))
    with store.begin() as conn:
        sync_taxonomy(conn, taxonomy)
        run_id = start_run(conn, "import")
    for path in files:
        try:
            article = prepare(read_record(path), taxonomy, source=str(path))
            with store.begin() as conn:
                # a plain body is sealed on the way in; a secured value
                # (ours, or another system's) is kept as it came
                status = save_article(conn, article, ring=store.keys)
        except TopicwireError as exc:
            reason = _without_source(exc, path)
            summary.skipped.append((str(path), reason))
            status = f"skipped: {reason}"
        else:
            setattr(summary, status, getattr(summary, status) + 1)
        if on_file:
            on_file(path, status)
    with store.begin() as conn:
        finish_run(conn, run_id, "done", summary.as_dict())
    return summary


def _without_source(exc: TopicwireError, path: Path) -> str:
    text = str(exc)
    prefix = f"{path}: "
    return text[len(prefix):] if text.startswith(prefix) else text
