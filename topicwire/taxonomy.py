"""Topic taxonomies: a folder of ``_data/topics/*.yaml`` style files.

Each file holds one topic (a mapping) or several (a list of mappings). A
topic names its parent by ``_id``; the parents of every topic are implied
by it, so an article about AI Hardware is also about AI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable

from topicwire.errors import RecordError, TaxonomyError
from topicwire.model import Topic, validate
from topicwire.textfiles import read_yaml_items

MAX_TOPIC_FILE_BYTES = 1024 * 1024


def default_taxonomy_dir() -> Path:
    """The AI taxonomy shipped inside the package."""
    return Path(str(resources.files("topicwire") / "data" / "topics"))


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    by_id: dict[str, Topic] = field(repr=False)
    _by_key: dict[str, Topic] = field(repr=False)
    _depth: dict[str, int] = field(repr=False)

    @classmethod
    def build(cls, topics: Iterable[tuple[Topic, str]]) -> "Taxonomy":
        """A checked taxonomy from (topic, where it was read) pairs."""
        by_id: dict[str, Topic] = {}
        origin: dict[str, str] = {}
        by_name: dict[str, str] = {}
        for topic, source in topics:
            if topic.id in by_id:
                raise TaxonomyError(
                    f"duplicate topic id {topic.id!r} (also in {origin[topic.id]})", source=source, field="_id"
                )
            key = topic.name.casefold()
            if key in by_name:
                raise TaxonomyError(
                    f"duplicate topic name {topic.name!r} (also in {origin[by_name[key]]})", source=source, field="name"
                )
            by_id[topic.id] = topic
            origin[topic.id] = source
            by_name[key] = topic.id
        for topic in by_id.values():
            if topic.parent is not None and topic.parent not in by_id:
                raise TaxonomyError(
                    f"unknown parent {topic.parent!r} (no topic has that _id)", source=origin[topic.id], field="parent"
                )
        depth: dict[str, int] = {}
        for topic in by_id.values():
            chain = [topic.id]
            parent = topic.parent
            while parent is not None:
                if parent in chain:
                    cycle = " -> ".join([*chain[chain.index(parent):], parent])
                    raise TaxonomyError(f"parent cycle: {cycle}", source=origin[topic.id], field="parent")
                chain.append(parent)
                parent = by_id[parent].parent
            depth[topic.id] = len(chain) - 1
        keys: dict[str, Topic] = {}
        for topic in by_id.values():
            keys[topic.id] = topic
        for topic in by_id.values():
            keys.setdefault(topic.name.casefold(), topic)
        ordered = tuple(sorted(by_id.values(), key=lambda t: (depth[t.id], t.name)))
        return cls(topics=ordered, by_id=by_id, _by_key=keys, _depth=depth)

    def __len__(self) -> int:
        return len(self.topics)

    def find(self, name_or_id: str) -> Topic | None:
        """A topic by its exact id or its name in any case."""
        return self._by_key.get(name_or_id) or self._by_key.get(name_or_id.casefold())

    def get(self, name_or_id: str) -> Topic:
        topic = self.find(name_or_id)
        if topic is None:
            raise TaxonomyError(f"unknown topic {name_or_id!r}")
        return topic

    def ancestors(self, topic: Topic) -> list[Topic]:
        """Parent, grandparent, ... up to the root."""
        out = []
        while topic.parent is not None:
            topic = self.by_id[topic.parent]
            out.append(topic)
        return out

    def depth(self, topic: Topic) -> int:
        return self._depth[topic.id]

    def children(self, topic: Topic) -> list[Topic]:
        return [t for t in self.topics if t.parent == topic.id]

    def descendants(self, topic: Topic) -> list[Topic]:
        out: list[Topic] = []
        todo = [topic]
        while todo:
            kids = self.children(todo.pop())
            out.extend(kids)
            todo.extend(kids)
        return out

    def expand(self, names: Iterable[str], *, source: str | None = None, field: str = "topics") -> list[str]:
        """Canonical topic names for ``names`` with every parent added, most
        specific first: each topic before its parents, otherwise in the given
        order. Unknown names are an error naming the list position."""
        # sort key: a topic given directly keeps its place; an implied parent
        # goes just after the first topic that implies it
        key: dict[str, float] = {}
        given: list[Topic] = []
        for i, name in enumerate(names):
            topic = self.find(name)
            if topic is None:
                raise RecordError(f"unknown topic {name!r} (not in the taxonomy)", source=source, field=f"{field}[{i}]")
            if topic.id not in key:
                key[topic.id] = i
                given.append(topic)
        for topic in given:
            for parent in self.ancestors(topic):
                if parent.id not in key:
                    key[parent.id] = key[topic.id] + 0.5
        # a stable topological order: the earliest topic (by key) none of
        # whose descendants is still waiting goes next, so the editor's order
        # stands wherever it already puts children before parents
        waiting = sorted((self.by_id[i] for i in key), key=lambda t: key[t.id])
        found: list[Topic] = []
        while waiting:
            pending = {a.id for t in waiting for a in self.ancestors(t)}
            ready = next(t for t in waiting if t.id not in pending)
            waiting.remove(ready)
            found.append(ready)
        return [t.name for t in found]


def read_topic_file(path: Path) -> list[Topic]:
    try:
        items = read_yaml_items(path, limit=MAX_TOPIC_FILE_BYTES)
    except RecordError as exc:
        raise TaxonomyError(exc.reason, source=str(path)) from None
    topics = []
    for item, where in items:
        try:
            topics.append(validate(Topic, item, source=where, what="a topic file"))
        except RecordError as exc:
            raise TaxonomyError(exc.reason, source=exc.source, field=exc.field) from None
    return topics


def load_taxonomy(folder: Path | str | None = None) -> Taxonomy:
    """The taxonomy in ``folder`` (every ``*.yaml``/``*.yml`` file), or the
    default AI taxonomy when no folder is given."""
    folder = Path(folder) if folder is not None else default_taxonomy_dir()
    if not folder.is_dir():
        raise TaxonomyError("taxonomy folder not found", source=str(folder))
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not files:
        raise TaxonomyError("no topic files (*.yaml) in the taxonomy folder", source=str(folder))
    pairs = [(topic, str(path)) for path in files for topic in read_topic_file(path)]
    return Taxonomy.build(pairs)
