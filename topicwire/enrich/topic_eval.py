"""Topic accuracy against labelled truth: per-topic precision, recall and
F1 over every topic of the taxonomy, their macro average (each topic
counts the same, so a rare topic tagged badly shows), the micro average
(each assignment counts the same) and how many articles got exactly the
right set."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TopicCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        # a topic neither expected nor predicted anywhere is perfectly right
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 1.0


@dataclass(frozen=True)
class TopicEvaluation:
    per_topic: dict[str, TopicCounts] = field(default_factory=dict)
    articles: int = 0
    exact: int = 0

    @property
    def macro_f1(self) -> float:
        return sum(c.f1 for c in self.per_topic.values()) / len(self.per_topic) if self.per_topic else 0.0

    @property
    def micro_f1(self) -> float:
        tp = sum(c.tp for c in self.per_topic.values())
        wrong = sum(c.fp + c.fn for c in self.per_topic.values())
        return 2 * tp / (2 * tp + wrong) if tp + wrong else 1.0

    @property
    def exact_match(self) -> float:
        return self.exact / self.articles if self.articles else 0.0

    def weakest(self, n: int = 5) -> list[tuple[str, TopicCounts]]:
        return sorted(self.per_topic.items(), key=lambda kv: (kv[1].f1, kv[0]))[:n]


def evaluate_topics(predicted: list[list[str]], expected: list[list[str]], topics: list[str]) -> TopicEvaluation:
    """Compare each article's predicted topic set with its expected set
    (both with parents included); ``topics`` are every topic scored."""
    if len(predicted) != len(expected):
        raise ValueError(f"{len(predicted)} predictions for {len(expected)} articles")
    counts = {t: [0, 0, 0] for t in topics}
    exact = 0
    for guess, truth in zip(predicted, expected, strict=True):
        guess_set, truth_set = set(guess), set(truth)
        exact += guess_set == truth_set
        for topic in topics:
            if topic in guess_set and topic in truth_set:
                counts[topic][0] += 1
            elif topic in guess_set:
                counts[topic][1] += 1
            elif topic in truth_set:
                counts[topic][2] += 1
    return TopicEvaluation(
        per_topic={t: TopicCounts(*c) for t, c in counts.items()}, articles=len(expected), exact=exact
    )
