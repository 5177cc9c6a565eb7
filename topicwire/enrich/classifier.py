"""Topic classifier: one logistic regression per topic over sentence
embeddings (one-vs-rest), so an article can carry several topics at once.

Why numpy and not scikit-learn: the problem is a few hundred examples of
256 numbers and 19 outputs; full-batch gradient descent on it takes well
under a second, and pulling in scikit-learn (with scipy, ~100 MB installed)
for one estimator would make the light install heavy. The saved model is a
single ``.npz`` holding the weights and a JSON header, readable without
pickle.
"""

from __future__ import annotations

import json
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from topicwire.enrich.embed import Embedder
from topicwire.errors import RecordError
from topicwire.taxonomy import Taxonomy

FORMAT = "topicwire-topic-classifier/1"
# L2 penalty: the training set is small and hand-written, so the weights
# must stay modest to generalise past its wording
L2 = 1e-3
EPOCHS = 600
LEARNING_RATE = 0.5
CV_FOLDS = 5
# thresholds from cross-validation are clamped: with ~20 positives per topic
# an extreme threshold is noise, not signal
THRESHOLD_RANGE = (0.25, 0.8)
DEFAULT_THRESHOLD = 0.5


@dataclass
class TopicClassifier:
    embedder_name: str
    dim: int
    topics: list[str]
    weights: np.ndarray  # (dim, topics)
    bias: np.ndarray  # (topics,)
    mean: np.ndarray  # (dim,) feature centring learnt from the training set
    scale: np.ndarray  # (dim,)
    thresholds: dict[str, float] = field(default_factory=dict)
    embedder: Embedder | None = field(default=None, repr=False, compare=False)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(texts, topics) probabilities for already embedded texts."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"expected vectors of size {self.dim}, got shape {vectors.shape}")
        return _sigmoid(((vectors - self.mean) / self.scale) @ self.weights + self.bias)

    def predict_vectors(self, vectors: np.ndarray) -> list[dict[str, float]]:
        probs = self.probabilities(vectors)
        return [dict(zip(self.topics, map(float, row), strict=True)) for row in probs]

    def predict(self, texts: list[str]) -> list[dict[str, float]]:
        if self.embedder is None:
            raise ValueError("this classifier has no embedder attached; pass one to load() or use predict_vectors")
        return self.predict_vectors(self.embedder.embed(list(texts)))

    def threshold(self, topic: str) -> float:
        return self.thresholds.get(topic, DEFAULT_THRESHOLD)

    def save(self, path: Path | str) -> None:
        header = {
            "format": FORMAT,
            "embedder": self.embedder_name,
            "dim": self.dim,
            "topics": self.topics,
            "thresholds": self.thresholds,
        }
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                header=np.array(json.dumps(header, sort_keys=True)),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
                mean=self.mean.astype(np.float32),
                scale=self.scale.astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path | str, embedder: Embedder | None = None) -> "TopicClassifier":
        source = str(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(str(data["header"]))
                arrays = {k: np.asarray(data[k], dtype=np.float32) for k in ("weights", "bias", "mean", "scale")}
        except (OSError, KeyError, ValueError) as exc:
            raise RecordError(f"not a topic classifier file ({exc})", source=source) from None
        if header.get("format") != FORMAT:
            raise RecordError(f"unknown classifier format {header.get('format')!r}", source=source)
        if embedder is not None and (embedder.name != header["embedder"] or embedder.dim != header["dim"]):
            raise RecordError(
                f"trained with embedder {header['embedder']} ({header['dim']}), "
                f"not {embedder.name} ({embedder.dim})",
                source=source,
            )
        return cls(
            embedder_name=header["embedder"],
            dim=int(header["dim"]),
            topics=list(header["topics"]),
            thresholds={k: float(v) for k, v in header.get("thresholds", {}).items()},
            embedder=embedder,
            **arrays,
        )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All topics' regressions at once: full-batch gradient descent with
    balanced class weights (a topic has ~20 positives in 400 examples) and
    an L2 penalty."""
    n, dim = x.shape
    pos = y.sum(axis=0).clip(1, None)
    neg = (n - y.sum(axis=0)).clip(1, None)
    sample_weight = np.where(y > 0, n / (2 * pos), n / (2 * neg))
    w = np.zeros((dim, y.shape[1]))
    b = np.zeros(y.shape[1])
    for _ in range(EPOCHS):
        err = (_sigmoid(x @ w + b) - y) * sample_weight
        w -= LEARNING_RATE * (x.T @ err / n + L2 * w)
        b -= LEARNING_RATE * err.mean(axis=0)
    return w, b


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale < 1e-6, 1.0, scale)


def _best_threshold(probs: np.ndarray, truth: np.ndarray) -> float:
    best, best_f1 = DEFAULT_THRESHOLD, -1.0
    for t in np.arange(THRESHOLD_RANGE[0], THRESHOLD_RANGE[1] + 1e-9, 0.05):
        guess = probs >= t
        tp = float(np.sum(guess & truth))
        f1 = 2 * tp / (guess.sum() + truth.sum()) if guess.sum() + truth.sum() else 0.0
        # ties go to the threshold closest to the middle of the range
        if f1 > best_f1 + 1e-9 or (abs(f1 - best_f1) <= 1e-9 and abs(t - 0.5) < abs(best - 0.5)):
            best, best_f1 = float(round(t, 2)), f1
    return best


def train_vectors(
    vectors: np.ndarray, labels: list[list[str]], topics: list[str], *, seed: int = 7
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, float]]:
    x = np.asarray(vectors, dtype=np.float64)
    column = {t: i for i, t in enumerate(topics)}
    y = np.zeros((len(labels), len(topics)))
    for row, names in enumerate(labels):
        for name in names:
            y[row, column[name]] = 1.0
    # out-of-fold probabilities pick each topic's threshold
    order = np.random.default_rng(seed).permutation(len(x))
    oof = np.zeros_like(y)
    for fold in np.array_split(order, CV_FOLDS):
        train = np.setdiff1d(order, fold)
        mean, scale = _standardise(x[train])
        w, b = _fit((x[train] - mean) / scale, y[train])
        oof[fold] = _sigmoid(((x[fold] - mean) / scale) @ w + b)
    thresholds = {t: _best_threshold(oof[:, i], y[:, i] > 0) for t, i in column.items()}
    mean, scale = _standardise(x)
    w, b = _fit((x - mean) / scale, y)
    return w, b, mean, scale, thresholds


def train(examples: Iterable[tuple[str, list[str]]], embedder: Embedder, taxonomy: Taxonomy) -> TopicClassifier:
    """A classifier for every topic of ``taxonomy`` from (text, topics)
    pairs; the topics' parents are implied, an empty list is a negative."""
    examples = list(examples)
    if not examples:
        raise ValueError("no training examples")
    texts = [text for text, _ in examples]
    labels = [taxonomy.expand(names) for _, names in examples]
    topics = [t.name for t in taxonomy.topics]
    w, b, mean, scale, thresholds = train_vectors(embedder.embed(texts), labels, topics)
    return TopicClassifier(
        embedder_name=embedder.name,
        dim=embedder.dim,
        topics=topics,
        weights=w.astype(np.float32),
        bias=b.astype(np.float32),
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
        thresholds=thresholds,
        embedder=embedder,
    )


def train_from_file(path: Path, taxonomy: Taxonomy, embedder: Embedder) -> TopicClassifier:
    """A classifier trained on a JSON Lines file of labelled examples (see
    :mod:`topicwire.enrich.labels` for the line format)."""
    from topicwire.enrich.labels import read_labels

    return train(read_labels(Path(path), taxonomy), embedder, taxonomy)


def default_classifier_path() -> Path:
    return Path(str(resources.files("topicwire") / "data" / "classifier" / "topics.npz"))
