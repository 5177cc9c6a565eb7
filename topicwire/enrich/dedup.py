"""Duplicate detection across all sources.

An article is a duplicate of one already seen when it has the same canonical
URL, the same normalised text, more than ``threshold`` of its text in common
(the >85% overlap rule), or the same headline on the same day with some of
the same text. Near-copies are found with MinHash LSH, so checking an
article costs the same whatever the size of the index; every LSH candidate
is verified on the exact shingle sets before it is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
from datasketch import MinHash, MinHashLSH

from topicwire.enrich.text import comparable_words, content_hash, shingle_hashes, words
from topicwire.model import Article, article_id

Reason = str  # "url" | "content-hash" | "near-text" | "title"

# Syndicated copies lose or gain a paragraph, which pulls Jaccard well below
# the overlap a reader sees (0.83 for a copy that shares 98% of its text);
# LSH therefore fetches candidates at a lower Jaccard and the overlap is
# measured exactly afterwards.
_LSH_JACCARD = 0.5
# an overlap measured against the shorter text stands for "copied" only when
# the two are of comparable length; a brief quoted inside a long feature is
# not a duplicate of it
_MIN_LENGTH_RATIO = 0.5
_TITLE_WINDOW = timedelta(hours=24)
# two headlines alike to the letter still need a little shared text, so that
# generic headlines ("AI", "Morning briefing") do not merge unrelated pieces
_TITLE_MIN_OVERLAP = 0.2
_TITLE_MIN_WORDS = 3
# the trailing " - Provider" / " | Provider" that pages add to headlines
_SUFFIX_RE = re.compile(r"\s+[-|\u2013\u2014:]\s+(?P<tail>[^-|\u2013\u2014]{1,60})$")
_SUFFIX_MAX_WORDS = 4
_UNDATED = datetime.max.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Duplicate:
    of: str  # id of the article that is kept
    reason: Reason
    similarity: float


@dataclass(frozen=True)
class _Entry:
    id: str
    published: datetime | None
    urls: tuple[str, ...]
    hash: str | None
    title_key: str | None
    shingles: np.ndarray


def title_key(title: str) -> str | None:
    """The headline with case, punctuation and a provider suffix taken away;
    None when what is left is too generic to identify a piece."""
    text = title.strip()
    match = _SUFFIX_RE.search(text)
    if match and len(match.group("tail").split()) <= _SUFFIX_MAX_WORDS:
        text = text[: match.start()]
    key = " ".join(words(text))
    return key if len(key.split()) >= _TITLE_MIN_WORDS else None


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the shorter text's shingles found in the other text when the
    two are of comparable length, plain Jaccard otherwise."""
    if not len(a) or not len(b):
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    short, long_ = sorted((len(a), len(b)))
    if short / long_ >= _MIN_LENGTH_RATIO:
        return common / short
    return common / (len(a) + len(b) - common)


def _identity(value: int) -> int:
    return value


class DuplicateIndex:
    """The articles seen so far, indexed for the duplicate rules.

    ``check`` expects articles in publication order (``find_duplicates``
    sorts a batch so), which makes the article already indexed the earlier
    one and so the one kept."""

    def __init__(self, threshold: float = 0.85, num_perm: int = 128, shingle_size: int = 5):
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self._lsh = MinHashLSH(threshold=min(_LSH_JACCARD, threshold), num_perm=num_perm)
        # drawing the permutations is most of the cost of a new MinHash, so
        # every sketch is a copy of this empty one
        self._empty = MinHash(num_perm=num_perm, hashfunc=_identity)
        self._last: tuple[Article, _Entry] | None = None
        self._entries: dict[str, _Entry] = {}
        self._by_url: dict[str, str] = {}
        self._by_hash: dict[str, str] = {}
        self._by_title: dict[str, list[str]] = {}
        # how many LSH candidates the last check verified: a per-article
        # cost that must not grow with the index
        self.last_candidates = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, id_: str) -> bool:
        return id_ in self._entries

    def check(self, article: Article) -> Duplicate | None:
        entry = self._entry(article)
        self.last_candidates = 0
        if entry.id in self._entries:
            return Duplicate(entry.id, "url", 1.0)
        for url in entry.urls:
            if url in self._by_url:
                return Duplicate(self._by_url[url], "url", 1.0)
        if entry.hash and entry.hash in self._by_hash:
            return Duplicate(self._by_hash[entry.hash], "content-hash", 1.0)
        near = self._near_text(entry)
        if near:
            return near
        return self._same_title(entry)

    def add(self, article: Article) -> None:
        entry = self._entry(article)
        if entry.id in self._entries:
            return
        self._entries[entry.id] = entry
        for url in entry.urls:
            self._by_url.setdefault(url, entry.id)
        if entry.hash:
            self._by_hash.setdefault(entry.hash, entry.id)
        if entry.title_key:
            self._by_title.setdefault(entry.title_key, []).append(entry.id)
        if len(entry.shingles):
            self._lsh.insert(entry.id, self._minhash(entry.shingles))

    def remove(self, id_: str) -> None:
        """Forget an article (an editor unmerged or deleted it)."""
        entry = self._entries.pop(id_, None)
        if entry is None:
            return
        for url in entry.urls:
            if self._by_url.get(url) == id_:
                del self._by_url[url]
        if entry.hash and self._by_hash.get(entry.hash) == id_:
            del self._by_hash[entry.hash]
        if entry.title_key:
            ids = self._by_title.get(entry.title_key, [])
            if id_ in ids:
                ids.remove(id_)
            if not ids:
                self._by_title.pop(entry.title_key, None)
        if id_ in self._lsh:
            self._lsh.remove(id_)

    def _entry(self, article: Article) -> _Entry:
        # check() then add() on the same article is the usual sequence
        if self._last is not None and self._last[0] is article:
            return self._last[1]
        entry = self._make_entry(article)
        self._last = (article, entry)
        return entry

    def _make_entry(self, article: Article) -> _Entry:
        urls = tuple(dict.fromkeys(u for u in (article.web_url, article.original_url) if u))
        id_ = article.id or (article_id(urls[0]) if urls else None)
        if id_ is None:
            raise ValueError("an article needs an id or a URL to be indexed")
        tokens = comparable_words(article)
        return _Entry(
            id=id_,
            published=article.published_date_time,
            urls=urls,
            hash=content_hash(tokens),
            title_key=title_key(article.title),
            shingles=shingle_hashes(tokens, self.shingle_size),
        )

    def _minhash(self, shingles: np.ndarray) -> MinHash:
        m = self._empty.copy()
        m.update_batch(shingles.tolist())
        return m

    def _near_text(self, entry: _Entry) -> Duplicate | None:
        if not len(entry.shingles):
            return None
        best: Duplicate | None = None
        candidates = self._lsh.query(self._minhash(entry.shingles))
        self.last_candidates = len(candidates)
        for other_id in candidates:
            other = self._entries[other_id]
            score = overlap(entry.shingles, other.shingles)
            if score > self.threshold and _earlier_first(other, best, self._entries, score):
                best = Duplicate(other_id, "near-text", score)
        return best

    def _same_title(self, entry: _Entry) -> Duplicate | None:
        if not entry.title_key or entry.published is None:
            return None
        for other_id in self._by_title.get(entry.title_key, ()):
            other = self._entries[other_id]
            if other.published is None or abs(other.published - entry.published) > _TITLE_WINDOW:
                continue
            score = overlap(entry.shingles, other.shingles)
            if score >= _TITLE_MIN_OVERLAP:
                return Duplicate(other_id, "title", round(score, 4))
        return None


def _earlier_first(candidate: _Entry, best: Duplicate | None, entries: dict[str, _Entry], score: float) -> bool:
    """Whether ``candidate`` should replace ``best``: the closer copy wins,
    and between equally close ones the earlier, which is the original."""
    if best is None:
        return True
    if score != best.similarity:
        return score > best.similarity
    held = entries[best.of].published
    return candidate.published is not None and (held is None or candidate.published < held)


def find_duplicates(articles: Iterable[Article], index: DuplicateIndex | None = None) -> dict[int, Duplicate]:
    """Duplicates among ``articles`` (and those already in ``index``), keyed
    by position in the input. Articles are taken in publication order so the
    earliest of each group is the one kept and indexed."""
    index = index or DuplicateIndex()
    items = list(articles)
    order = sorted(range(len(items)), key=lambda i: (_sort_time(items[i]), i))
    found: dict[int, Duplicate] = {}
    for i in order:
        dup = index.check(items[i])
        if dup:
            found[i] = dup
        else:
            index.add(items[i])
    return found


def _sort_time(article: Article) -> datetime:
    # undated articles go last: a dated copy is the better original
    return article.published_date_time or _UNDATED


