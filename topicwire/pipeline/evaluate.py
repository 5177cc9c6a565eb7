"""`topicwire eval`: the enrichment stages scored against a truth file.

Each line of the truth file is a record in the record format (at least a
title) plus any of ``truth_topics``, ``truth_story``,
``truth_duplicate_of`` (another line's ``webUrl``) and ``truth_entities``
(the registry ids of the companies and people the article names). A score
whose truth key no line has is left out. The records run through the same stages as a
crawl cycle, as a stream in publication order; nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from topicwire.enrich.cluster_eval import Scores, bcubed, pairwise
from topicwire.enrich.entities import EntityMatcher, article_entities
from topicwire.enrich.topic_eval import evaluate_topics
from topicwire.enrich.topics import TopicTagger
from topicwire.errors import RecordError
from topicwire.ingest.urls import normalize_url
from topicwire.model import Article, validate
from topicwire.pipeline.enrichment import EnrichSettings, Enricher
from topicwire.registry import Registry
from topicwire.taxonomy import Taxonomy
from topicwire.textfiles import iter_json_lines

TRUTH_KEYS = ("truth_topics", "truth_story", "truth_duplicate_of", "truth_entities")
MAX_TRUTH_BYTES = 512 * 1024 * 1024


@dataclass
class TruthLine:
    number: int  # 1-based line number in the file
    article: Article
    truth: dict[str, Any]  # only the truth keys the line has


@dataclass
class Evaluation:
    records: int
    topics: dict[str, Any] | None = None
    duplicates: Scores | None = None
    stories: Scores | None = None
    entities: Scores | None = None
    published_agreement: float | None = None
    predictions: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def scores(s: Scores | None) -> dict[str, float] | None:
            return None if s is None else {"precision": s.precision, "recall": s.recall, "f1": s.f1}

        return {
            "records": self.records,
            "topics": self.topics,
            "duplicates": scores(self.duplicates),
            "stories": scores(self.stories),
            "entities": scores(self.entities),
            "published_agreement": self.published_agreement,
            "records_predicted": self.predictions,
        }


def read_truth(path: Path, taxonomy: Taxonomy) -> list[TruthLine]:
    """Every line of a truth file, checked; errors name ``file:line`` and field."""
    lines: list[TruthLine] = []
    for number, data in iter_json_lines(path, limit=MAX_TRUTH_BYTES):
        where = f"{path}:{number}"
        if not isinstance(data, dict):
            raise RecordError("expected a JSON object", source=where)
        truth = {k: data.pop(k) for k in TRUTH_KEYS if k in data}
        article = validate(Article, data, source=where)
        if "truth_topics" in truth:
            if not isinstance(truth["truth_topics"], list):
                raise RecordError("must be a list of topic names", source=where, field="truth_topics")
            truth["truth_topics"] = taxonomy.expand(truth["truth_topics"], source=where, field="truth_topics")
        if "truth_entities" in truth and not (
            isinstance(truth["truth_entities"], list) and all(isinstance(e, str) for e in truth["truth_entities"])
        ):
            raise RecordError("must be a list of registry ids", source=where, field="truth_entities")
        # a line id of its own: several lines may share a canonical URL
        lines.append(TruthLine(number, article.model_copy(update={"id": f"line-{number}"}), truth))
    if not lines:
        raise RecordError("no records in the truth file", source=str(path))
    return lines


def _url_key(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return normalize_url(url)
    except RecordError:
        return url


def evaluate(
    lines: list[TruthLine],
    taxonomy: Taxonomy,
    *,
    tagger: TopicTagger | None = None,
    settings: EnrichSettings | None = None,
    registry: Registry | None = None,
) -> Evaluation:
    far = datetime.max.replace(tzinfo=timezone.utc)
    stream = sorted(lines, key=lambda line: (line.article.published_date_time or far, line.number))
    enricher = Enricher(taxonomy, tagger=tagger, settings=settings)
    enricher.add_many(line.article for line in stream)
    results = {r.article.id: r for r in enricher.finish()}
    by_line = {line.number: results[line.article.id] for line in lines}
    first_with_url: dict[str, int] = {}
    for line in lines:
        key = _url_key(line.article.canonical_url)
        if key is not None:
            first_with_url.setdefault(key, line.number)
    line_of_id = {line.article.id: line.number for line in lines}

    report = Evaluation(records=len(lines))
    with_topics = [line for line in lines if "truth_topics" in line.truth]
    if with_topics:
        names = [t.name for t in taxonomy.topics]
        scored = evaluate_topics(
            [by_line[line.number].article.topics for line in with_topics],
            [line.truth["truth_topics"] for line in with_topics],
            names,
        )
        report.topics = {
            "micro_f1": scored.micro_f1,
            "macro_f1": scored.macro_f1,
            "exact_match": scored.exact_match,
            "per_topic": {
                name: {"precision": c.precision, "recall": c.recall, "f1": c.f1, "support": c.tp + c.fn}
                for name, c in scored.per_topic.items()
            },
        }
    with_dups = [line for line in lines if "truth_duplicate_of" in line.truth]
    if with_dups:
        gold = []
        for line in with_dups:
            original = _url_key(line.truth["truth_duplicate_of"])
            target = first_with_url.get(original) if original else None
            if original and target is None:
                raise RecordError(
                    "names a webUrl no line has", source=f"line {line.number}", field="truth_duplicate_of"
                )
            if target is not None and target != line.number:
                gold.append((line.number, target))
        predicted = [
            (line.number, line_of_id[by_line[line.number].duplicate.of])
            for line in with_dups
            if by_line[line.number].duplicate is not None
        ]
        report.duplicates = pairwise(predicted, gold)
    with_story = [line for line in lines if "truth_story" in line.truth]
    if with_story:
        report.stories = bcubed(
            {line.number: by_line[line.number].story for line in with_story},
            {line.number: line.truth["truth_story"] for line in with_story},
        )
    with_entities = [line for line in lines if "truth_entities" in line.truth]
    found_entities: dict[int, list[str]] = {}
    if with_entities and registry is not None:
        unknown = {e for line in with_entities for e in line.truth["truth_entities"] if registry.get(e) is None}
        if unknown:
            raise RecordError(f"names ids the registry lacks: {', '.join(sorted(unknown)[:10])}", field="truth_entities")
        matcher = EntityMatcher(registry)
        for line in with_entities:
            found_entities[line.number] = [m.entity_id for m in article_entities(matcher, registry, line.article)]
        report.entities = pairwise(
            [(n, e) for n, found in found_entities.items() for e in found],
            [(line.number, e) for line in with_entities for e in line.truth["truth_entities"]],
        )
    decided = [line for line in lines if line.article.published is not None]
    if decided:
        agree = sum(by_line[line.number].article.published == line.article.published for line in decided)
        report.published_agreement = agree / len(decided)
    numbered = {line.number: line for line in lines}
    for line in lines:
        r = by_line[line.number]
        report.predictions.append(
            {
                "line": line.number,
                "topics": r.article.topics,
                "story": r.story,
                "duplicate_of": numbered[line_of_id[r.duplicate.of]].article.canonical_url if r.duplicate else None,
                "quality": r.article.quality,
                "published": r.article.published,
                **({"entities": found_entities[line.number]} if line.number in found_entities else {}),
            }
        )
    return report

