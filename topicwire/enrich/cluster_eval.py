"""Scores for grouping: B-cubed for stories, pairwise precision/recall for
duplicate links. Shared by the tests, the benchmarks and the eval command."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def __str__(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}"


def _scores(precision: float, recall: float) -> Scores:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> Scores:
    """B-cubed precision and recall (Bagga & Baldwin) of a clustering: for
    each item, the share of its predicted cluster that shares its gold
    cluster, and the reverse; averaged over the items both sides label."""
    items = [i for i in gold if i in predicted]
    if not items:
        return Scores(0.0, 0.0, 0.0)
    # an item's correct cluster-mates are those with the same (predicted,
    # gold) pair, so counting pairs avoids comparing items two by two
    both = Counter((predicted[i], gold[i]) for i in items)
    pred_size = Counter(predicted[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    precision = sum(both[(predicted[i], gold[i])] / pred_size[predicted[i]] for i in items) / len(items)
    recall = sum(both[(predicted[i], gold[i])] / gold_size[gold[i]] for i in items) / len(items)
    return _scores(precision, recall)


def pairwise(predicted: Iterable[tuple[Hashable, Hashable]], gold: Iterable[tuple[Hashable, Hashable]]) -> Scores:
    """Precision and recall of predicted links (e.g. copy -> original)
    against the gold links. With nothing to find and nothing found both
    are 1."""
    p, g = set(predicted), set(gold)
    hits = len(p & g)
    precision = hits / len(p) if p else 1.0
    recall = hits / len(g) if g else 1.0
    return _scores(precision, recall)
