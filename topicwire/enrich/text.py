"""Text normalisation shared by duplicate detection and story clustering:
one definition of a "word" so that both stages agree on what text is."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

import numpy as np

from topicwire.model import Article

_WORD_RE = re.compile(r"\w+(?:[.,']\w+)*", re.UNICODE)
# the body alone is not enough to compare when it is a paywall teaser or a
# one-paragraph brief; below this many words the headline and lead join in
MIN_BODY_WORDS = 40
# an odd 64-bit multiplier (splitmix64's) to spread word hashes over a run
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def fold(text: str) -> str:
    """Lower-cased, with typographic quotes and dashes made plain, so that
    two copies of the same text set by different CMSs compare equal."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return text.lower()


def words(text: str) -> list[str]:
    return _WORD_RE.findall(fold(text))


def comparable_words(article: Article) -> list[str]:
    """The words that stand for an article's text: its body, or headline,
    lead and body together when the body is too short to speak for it."""
    body = words(article.content or "")
    if len(body) >= MIN_BODY_WORDS:
        return body
    return words(" ".join(p for p in (article.title, article.excerpt or "", article.content or "") if p))


def content_hash(tokens: list[str]) -> str | None:
    if not tokens:
        return None
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).hexdigest()


def shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the overlapping runs of ``size``
    words (one run when the text is shorter). Each word is hashed once and
    the runs are combined arithmetically, so no shingle string is built."""
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    size = min(size, len(tokens))
    ids = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in tokens), dtype=np.uint64, count=len(tokens))
    count = len(tokens) - size + 1
    acc = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(size):
            acc = acc * _MIX + ids[j : j + count]
        acc ^= acc >> np.uint64(29)
        acc *= _MIX
        acc ^= acc >> np.uint64(32)
    return np.unique((acc & np.uint64(0xFFFFFFFF)).astype(np.uint32))
