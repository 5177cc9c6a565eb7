"""Scores shared by the benchmarks, the evaluation command and the tests."""

from __future__ import annotations

import re
from collections import Counter

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> Counter[str]:
    """Lower-cased word tokens of ``text``, as a multiset."""
    return Counter(_TOKEN_RE.findall(text.lower()))


def token_f1(predicted: str, gold: str) -> float:
    """F1 of the two texts' token multisets: 1.0 for the same words in any
    order, 0.0 for nothing in common (or one side empty)."""
    p, g = tokens(predicted), tokens(gold)
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)
