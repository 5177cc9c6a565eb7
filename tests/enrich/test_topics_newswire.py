"""Accuracy floor on the offline newswire, which the classifier never saw
in training (its training set is written separately)."""

import re
from pathlib import Path

import pytest

from newswire.truth import ground_truth
from topicwire.enrich.topic_eval import TopicCounts, evaluate_topics
from topicwire.enrich.topics import default_tagger
from topicwire.model import Article

TRAINING = Path(__file__).parents[2] / "topicwire" / "data" / "classifier" / "training.jsonl"


@pytest.fixture(scope="module")
def truth():
    return ground_truth("http://127.0.0.1:1")


def as_article(record) -> Article:
    return Article(title=record["title"], excerpt=record["description"], content="\n\n".join(record["body"]))


def test_topic_macro_f1_on_newswire(truth, taxonomy):
    tagger = default_tagger(taxonomy)
    predicted = [[s.name for s in scores] for scores in tagger.tag_many([as_article(r) for r in truth])]
    result = evaluate_topics(predicted, [r["topics"] for r in truth], [t.name for t in taxonomy.topics])
    weakest = ", ".join(f"{name} {c.f1:.2f}" for name, c in result.weakest())
    assert result.macro_f1 >= 0.85, f"macro-F1 {result.macro_f1:.3f}; weakest: {weakest}"
    assert result.micro_f1 >= 0.88
    german = [i for i, r in enumerate(truth) if r["language"] == "de" and r["topics"]]
    assert sum("AI" in predicted[i] for i in german) == len(german)


def test_training_set_does_not_reuse_newswire_text(truth):
    def shingles(text, n=6):
        words = re.findall(r"\w+", text.lower())
        return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}

    corpus = set()
    for r in truth:
        corpus |= shingles(" ".join([r["title"], r["description"] or "", *r["body"]]))
    training = shingles(TRAINING.read_text())
    assert not (corpus & training)


def test_evaluate_topics_counts():
    result = evaluate_topics([["A", "B"], [], ["A"]], [["A"], ["B"], ["A"]], ["A", "B", "C"])
    assert result.per_topic == {"A": TopicCounts(2, 0, 0), "B": TopicCounts(0, 1, 1), "C": TopicCounts(0, 0, 0)}
    assert result.per_topic["C"].f1 == 1.0
    assert result.macro_f1 == pytest.approx((1 + 0 + 1) / 3)
    assert result.micro_f1 == pytest.approx(4 / 6)
    assert result.exact_match == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        evaluate_topics([[]], [], ["A"])
