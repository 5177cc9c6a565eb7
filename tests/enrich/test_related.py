from __future__ import annotations

from datetime import timedelta

from handmade import make
from newswire_articles import newswire

from topicwire.enrich.dedup import find_duplicates
from topicwire.enrich.related import quality_factor, related_for
from topicwire.enrich.stories import StoryClusterer
from topicwire.model import Related


def build(items):
    """Dedup then cluster ``items`` in time order, as the pipeline does."""
    articles = sorted(items, key=lambda a: a.published_date_time)
    dups = find_duplicates(articles)
    duplicates = {articles[i].id: d.of for i, d in dups.items() if articles[i].id != d.of}
    clusterer = StoryClusterer()
    clusterer.observe(x.article for x in newswire())
    for i, a in enumerate(articles):
        clusterer.assign(a, quality=a.quality, duplicate_of=dups[i].of if i in dups else None)
    return clusterer, {a.id: a for a in articles}, duplicates


def test_quality_factor_is_neutral_without_a_score():
    assert quality_factor(None) == quality_factor(50) == 1.0
    assert quality_factor(100) > quality_factor(20)


def test_newswire_related_lists_other_providers_of_the_story_first():
    items = newswire()
    story_of = {x.article.id: x.story for x in items}
    clusterer, by_id, duplicates = build([x.article for x in items])
    launch = next(x.article for x in items if x.story == "s05" and x.article.provider.name == "The Circuit Ledger")
    related = related_for(launch, clusterer, by_id, duplicates=duplicates)
    assert related and all(isinstance(r, Related) for r in related)
    assert len(related) <= 4
    ids = [r.id for r in related]
    assert launch.id not in ids and len(set(ids)) == len(ids)
    same_story = [story_of[i] == "s05" for i in ids]
    # the story's other providers come first, then other stories
    assert same_story == sorted(same_story, reverse=True) and same_story[0]
    assert all(r.provider.name != "The Circuit Ledger" for r, s in zip(related, same_story, strict=True) if s)


def test_never_the_article_itself_or_its_copies():
    items = newswire()
    clusterer, by_id, duplicates = build([x.article for x in items])
    originals = {d for d in duplicates.values()}
    for original_id in originals:
        original = by_id[original_id]
        copies = {c for c, o in duplicates.items() if o == original_id}
        for article in [original, *(by_id[c] for c in copies)]:
            ids = {r.id for r in related_for(article, clusterer, by_id, duplicates=duplicates, limit=10)}
            assert article.id not in ids
            assert ids.isdisjoint(copies | {original_id})


def test_close_stories_fill_the_list_within_the_week_ranked_by_quality():
    base = (
        "Kestrel Silicon unveiled the K4 inference accelerator at its Kestrel Forge event in San Jose, with 192GB "
        "of HBM4 memory and a claimed 3.1x efficiency gain."
    )
    a = make("a", "Kestrel Silicon unveils K4 inference accelerator", base, quality=60)
    follow_up = (
        "Independent benchmark results for the Kestrel Silicon K4 accelerator, tested with its 192GB of HBM4, "
        "show the 3.1x efficiency claim holds for inference on large models."
    )
    b = make("b", "Kestrel Silicon K4 benchmark results published", follow_up, hours=100, quality=30)
    far = make("far", "Kestrel Silicon K4 review", follow_up.replace("Independent", "Our own"), hours=24 * 9, quality=90)
    clusterer, by_id, duplicates = build([a, b, far])
    assert clusterer.story_of(a.id) is not clusterer.story_of(b.id)
    related = related_for(a, clusterer, by_id, duplicates=duplicates, days=7)
    assert [r.id for r in related] == [b.id]
    assert abs(related[0].published_date_time - a.published_date_time) <= timedelta(days=7)


def test_unknown_article_has_no_related():
    clusterer, by_id, _ = build([])
    assert related_for(make("x", "Lonely piece", "Nothing else"), clusterer, by_id) == []
