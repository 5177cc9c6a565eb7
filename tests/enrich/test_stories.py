from __future__ import annotations

from collections import defaultdict

import pytest
from handmade import make
from newswire_articles import newswire
from synthetic import stream

from topicwire.enrich.cluster_eval import bcubed
from topicwire.enrich.dedup import find_duplicates
from topicwire.enrich.stories import DEFAULT_THRESHOLD, StoryClusterer, story_id

LAUNCH = make(
    "k4-launch",
    "Kestrel Silicon unveils K4 inference chip with 192GB of HBM4",
    "Kestrel Silicon on Tuesday unveiled the K4, an inference accelerator with 192GB of HBM4 memory that the "
    "San Jose company says is 3.1x more efficient than its predecessor. Chief executive Mara Lindqvist showed "
    "the chip at the Kestrel Forge conference.",
    provider="Circuit Ledger",
)
LAUNCH_REWORDED = make(
    "k4-shares",
    "Chipmaker's new K4 accelerator promises triple efficiency for AI serving",
    "Shares of Kestrel Silicon rose after the company introduced its K4 accelerator for running trained models, "
    "packing 192GB of HBM4. At Kestrel Forge, Mara Lindqvist claimed a 3.1x gain in performance per watt.",
    provider="MarketPulse",
    hours=1,
)
CFO_EXIT = make(
    "cfo",
    "Kestrel Silicon finance chief resigns as shareholders sue",
    "Kestrel Silicon said its chief financial officer Daniel Okafor resigned with immediate effect, hours after a "
    "pension fund filed a lawsuit alleging that the $1.9B order backlog was overstated. The board named its "
    "controller as interim CFO while auditors review the order book.",
    provider="Circuit Ledger",
    hours=6,
)


def warmed(**options):
    """A clusterer that knows which words are common, as it would after a
    restart from the store: with only a handful of documents every word
    looks equally rare."""
    clusterer = StoryClusterer(**options)
    clusterer.observe(x.article for x in newswire())
    return clusterer


def assign_all(clusterer, *articles, quality=None):
    return [clusterer.assign(a, quality=quality) for a in articles]


def test_same_event_in_other_words_joins_the_story():
    launch, reworded = assign_all(warmed(), LAUNCH, LAUNCH_REWORDED)
    assert launch == reworded


def test_other_event_about_the_same_company_on_the_same_day_is_another_story():
    launch, reworded, cfo = assign_all(warmed(), LAUNCH, LAUNCH_REWORDED, CFO_EXIT)
    assert launch == reworded != cfo


def test_near_copy_with_a_new_headline_joins_its_original():
    copy = LAUNCH.model_copy(update={"id": "copy", "title": "Big news from San Jose today", "web_url": "https://syn.example/x"})
    clusterer = warmed()
    assert assign_all(clusterer, LAUNCH, CFO_EXIT, copy) == [story_id(LAUNCH.id), story_id(CFO_EXIT.id), story_id(LAUNCH.id)]


def test_duplicates_join_the_original_story():
    unlike = make("odd", "Something unrelated", "Nothing in common with the launch at all, apart from being news.", hours=2)
    clusterer = StoryClusterer()
    first = clusterer.assign(LAUNCH)
    assert clusterer.assign(unlike, duplicate_of=LAUNCH.id) == first
    # the same id again (a copy whose canonical is the original) is the same story
    assert clusterer.assign(LAUNCH) == first


def test_ai_headlines_alone_do_not_make_a_story():
    a = make("ai-1", "AI", "Harbour city council will buy forty electric buses for its busiest routes next spring.")
    b = make("ai-2", "AI", "A hospital in Velbrueck now checks every mammogram with image recognition software.", hours=1)
    c = make("ai-3", "AI: the week in AI", "Regulators in Brussels fined a search engine over advertising rules.", hours=2)
    ids = assign_all(warmed(), a, b, c)
    assert len(set(ids)) == 3


def test_story_records_members_providers_span_and_best_representative():
    clusterer = StoryClusterer()
    sid = clusterer.assign(LAUNCH, quality=40)
    clusterer.assign(LAUNCH_REWORDED, quality=70)
    story = clusterer.stories[sid]
    assert sid == story_id(LAUNCH.id)
    assert story.member_ids == [LAUNCH.id, LAUNCH_REWORDED.id]
    assert story.providers == {"Circuit Ledger", "MarketPulse"}
    assert (story.first_seen, story.last_seen) == (LAUNCH.published_date_time, LAUNCH_REWORDED.published_date_time)
    assert story.representative_id == LAUNCH_REWORDED.id and story.headline == LAUNCH_REWORDED.title
    assert clusterer.story_of(LAUNCH.id) is story


def test_representative_ties_go_to_the_earliest():
    clusterer = StoryClusterer()
    sid = clusterer.assign(LAUNCH, quality=60)
    clusterer.assign(LAUNCH_REWORDED, quality=60)
    assert clusterer.stories[sid].representative_id == LAUNCH.id


def test_a_story_closes_after_the_window():
    later = LAUNCH_REWORDED.model_copy(update={"id": "later", "published_date_time": LAUNCH.published_date_time.replace(day=25)})
    launch, reworded = assign_all(warmed(window_hours=72), LAUNCH, later)
    assert launch != reworded


def test_needs_an_id_and_a_date():
    with pytest.raises(ValueError):
        StoryClusterer().assign(LAUNCH.model_copy(update={"published_date_time": None}))


def cluster_newswire(threshold=DEFAULT_THRESHOLD):
    items = newswire()
    articles = [x.article for x in items]
    dups = find_duplicates(articles)
    clusterer = StoryClusterer(threshold=threshold)
    order = sorted(range(len(items)), key=lambda i: (articles[i].published_date_time, i))
    predicted = {}
    for i in order:
        dup = dups.get(i)
        predicted[i] = clusterer.assign(articles[i], duplicate_of=dup.of if dup else None)
    return predicted, {i: x.story for i, x in enumerate(items)}


def test_newswire_stories_reach_bcubed_f1_090():
    predicted, gold = cluster_newswire()
    scores = bcubed(predicted, gold)
    print("newswire stories:", scores)
    assert scores.f1 >= 0.90 and scores.precision >= 0.95


@pytest.mark.parametrize("pair", [("s05", "s06"), ("s17", "s18")])
def test_newswire_same_company_same_day_events_stay_apart(pair):
    predicted, gold = cluster_newswire()
    stories = defaultdict(set)
    for i, label in gold.items():
        stories[label].add(predicted[i])
    assert stories[pair[0]].isdisjoint(stories[pair[1]])


def test_threshold_sits_on_a_plateau():
    # the calibrated value must not be a knife edge: nearby values do as well
    for threshold in (DEFAULT_THRESHOLD * 0.75, DEFAULT_THRESHOLD * 1.25):
        assert bcubed(*cluster_newswire(threshold)).f1 >= 0.93


def test_candidates_per_article_stay_bounded_on_a_long_stream():
    clusterer = StoryClusterer()
    worst_scored = worst_read = 0
    for item in stream(5000, days=60):
        clusterer.assign(item.article, duplicate_of=item.copy_of)
        worst_scored = max(worst_scored, clusterer.last_candidates)
        worst_read = max(worst_read, clusterer.last_postings_read)
    assert len(clusterer.stories) > 1000
    assert worst_scored <= 32 and worst_read <= 12 * 64
    # stories far behind the window are let go of
    assert len(clusterer._state) < len(clusterer.stories) / 2
