"""Sentence embeddings for topic classification, loaded strictly offline.

The default model is WordLlama (a 16 MB table of token embeddings, average
pooled): it ships its weights and tokenizer inside the package, needs no
torch and embeds thousands of texts per second on one CPU core.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from topicwire.model import Article

WORDLLAMA_NAME = "wordllama/l2_supercat/256"


@runtime_checkable
class Embedder(Protocol):
    """What the classifier needs from a model: a stable name (saved with a
    trained classifier so that a mismatch is caught), the vector size, and
    float32 rows of unit length, one per text."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    # an empty text embeds to zeros; leave it at zero rather than divide by it
    return vectors / np.where(norms == 0, 1.0, norms)


class WordLlamaEmbedder:
    def __init__(self, model) -> None:
        self._model = model
        self.name = WORDLLAMA_NAME
        self.dim = int(model.embedding.shape[1])
        # the tokenizer object is not documented as thread-safe
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.embed(list(texts), norm=False, return_np=True)
        return normalise_rows(vectors)


def wordllama_folder() -> Path:
    import wordllama

    return Path(wordllama.__file__).parent


@lru_cache(maxsize=1)
def wordllama_embedder() -> WordLlamaEmbedder:
    """The packaged WordLlama model, once per process. Its loader looks for
    the tokenizer under the cache folder and otherwise downloads it from the
    hub; pointing the cache at the package's own folder and forbidding
    downloads makes a missing file an error instead of a network call."""
    from wordllama import WordLlama

    model = WordLlama.load(cache_dir=wordllama_folder(), disable_download=True)
    return WordLlamaEmbedder(model)


def article_text(article: Article, body_chars: int = 1200) -> str:
    """The part of an article that says what it is about: headline, lead
    and the start of the body (later paragraphs drift into background)."""
    return compose_text(article.title, article.excerpt, article.content, body_chars)


def compose_text(title: str | None, excerpt: str | None, content: str | None, body_chars: int = 1200) -> str:
    parts = [title or "", excerpt or "", (content or "")[: max(body_chars, 0)]]
    return "\n".join(p.strip() for p in parts if p.strip())
