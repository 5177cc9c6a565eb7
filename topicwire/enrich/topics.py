"""Topic tagging: keyword evidence and the embedding classifier combined,
parents implied, most specific topic first.

The two signals fail differently. Keywords are precise when a topic's own
vocabulary appears in the headline, but the taxonomy cannot list every way
of saying "security alert" and says nothing in German. The classifier
reads the gist in any wording (and carries German pages, where keywords
mostly miss) but is less sure about secondary topics. So a topic is
assigned when either signal is strong on its own, or when both point the
same way at a moderate level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from topicwire.enrich.classifier import TopicClassifier, default_classifier_path
from topicwire.enrich.embed import Embedder, article_text, wordllama_embedder
from topicwire.enrich.keywords import KeywordMatcher
from topicwire.model import Article
from topicwire.taxonomy import Taxonomy

Signal = Literal["keywords", "classifier", "both", "parent"]

# a keyword score this high (e.g. two distinct keywords in the headline and
# more in the body) needs no second opinion
STRONG_KEYWORDS = 8.0
# a headline keyword, or a few in the body, is enough when the classifier
# leans the same way at half its own threshold
MODERATE_KEYWORDS = 3.0
AGREEMENT_FACTOR = 0.5
# cross-validated thresholds can sit low (0.4) on a small training set;
# without a single keyword in support the classifier must at least say
# "more likely than not", which keeps short snack and weather items out
UNCORROBORATED_MIN = 0.5


@dataclass(frozen=True)
class TopicScore:
    name: str
    confidence: float
    signal: Signal


class TopicTagger:
    def __init__(
        self,
        taxonomy: Taxonomy,
        *,
        classifier: TopicClassifier | None = None,
        embedder: Embedder | None = None,
        keyword_matcher: KeywordMatcher | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.keywords = keyword_matcher or KeywordMatcher(taxonomy)
        self.classifier = classifier
        self.embedder = embedder or (classifier.embedder if classifier else None)
        if classifier is not None:
            if self.embedder is None:
                self.embedder = wordllama_embedder()
            if self.embedder.name != classifier.embedder_name:
                raise ValueError(f"classifier was trained on {classifier.embedder_name}, not {self.embedder.name}")

    def tag(self, article: Article) -> list[TopicScore]:
        return self.tag_many([article])[0]

    def tag_many(self, articles: list[Article]) -> list[list[TopicScore]]:
        keyword_scores = [self.keywords.score(a) for a in articles]
        probabilities: list[dict[str, float]] = [{} for _ in articles]
        if self.classifier is not None and self.embedder is not None and articles:
            vectors = self.embedder.embed([article_text(a) for a in articles])
            probabilities = self.classifier.predict_vectors(vectors)
        return [self._decide(k, p) for k, p in zip(keyword_scores, probabilities, strict=True)]

    def _decide(self, keyword_scores: dict[str, float], probabilities: dict[str, float]) -> list[TopicScore]:
        assigned: dict[str, TopicScore] = {}
        for topic in self.taxonomy.topics:
            score = decide(
                topic.name,
                keyword_scores.get(topic.name, 0.0),
                probabilities.get(topic.name),
                self.classifier.threshold(topic.name) if self.classifier else None,
            )
            if score is not None:
                assigned[topic.name] = score
        return self._with_parents(assigned)

    def _with_parents(self, assigned: dict[str, TopicScore]) -> list[TopicScore]:
        # a parent inherits the confidence of its surest child
        implied: dict[str, float] = {}
        for name, score in assigned.items():
            for parent in self.taxonomy.ancestors(self.taxonomy.get(name)):
                if parent.name not in assigned:
                    implied[parent.name] = max(implied.get(parent.name, 0.0), score.confidence)
        by_confidence = sorted(assigned.values(), key=lambda s: (-s.confidence, s.name))
        order = self.taxonomy.expand([s.name for s in by_confidence])
        return [assigned.get(name) or TopicScore(name, round(implied[name], 3), "parent") for name in order]


def decide(name: str, keyword_score: float, probability: float | None, threshold: float | None) -> TopicScore | None:
    """One topic's verdict from its two signals, or None when not assigned."""
    keyword_confidence = min(1.0, keyword_score / STRONG_KEYWORDS)
    strong_keywords = keyword_score >= STRONG_KEYWORDS
    if probability is None or threshold is None:
        # keywords alone: nothing to agree with, so the moderate level must
        # count as enough or small taxonomies without a model tag nothing
        if keyword_score >= MODERATE_KEYWORDS:
            return TopicScore(name, round(keyword_confidence, 3), "keywords")
        return None
    confident = probability >= threshold and (keyword_score > 0 or probability >= UNCORROBORATED_MIN)
    leaning = probability >= threshold * AGREEMENT_FACTOR
    moderate_keywords = keyword_score >= MODERATE_KEYWORDS
    if (confident or strong_keywords) and moderate_keywords and leaning:
        both = 1.0 - (1.0 - probability) * (1.0 - keyword_confidence)
        return TopicScore(name, round(both, 3), "both")
    if confident:
        return TopicScore(name, round(probability, 3), "classifier")
    if strong_keywords:
        return TopicScore(name, round(keyword_confidence, 3), "keywords")
    if moderate_keywords and leaning:
        both = 1.0 - (1.0 - probability) * (1.0 - keyword_confidence)
        return TopicScore(name, round(both, 3), "both")
    return None


def default_tagger(taxonomy: Taxonomy) -> TopicTagger:
    """The shipped classifier and WordLlama, for the default taxonomy (a
    custom taxonomy gets the classifier only for the topic names it shares)."""
    embedder = wordllama_embedder()
    classifier = TopicClassifier.load(default_classifier_path(), embedder)
    return TopicTagger(taxonomy, classifier=classifier, embedder=embedder)
