from __future__ import annotations

from handmade import make
from newswire_articles import newswire
from synthetic import stream

from topicwire.enrich.cluster_eval import pairwise
from topicwire.enrich.dedup import DuplicateIndex, find_duplicates, title_key

BODY = (
    "Kestrel Silicon said on Tuesday that its K4 inference accelerator will ship to cloud customers in the "
    "first quarter, carrying 192GB of HBM4 memory and what the company claims is three times the efficiency "
    "of its previous part. The chip is built on a three nanometre process and will be sold in eight-card "
    "servers. Analysts said the launch puts pressure on larger rivals whose own parts are months away. "
    "Kestrel did not disclose prices, but said two of the largest cloud providers had signed early orders."
)
OTHER = (
    "Harbour city council approved a plan on Tuesday to replace its bus fleet with electric models over "
    "five years, at a cost of 240 million dollars shared with the state. The first forty buses arrive in "
    "spring and will run on the busiest routes. Unions welcomed the plan but asked for retraining of "
    "mechanics, and the opposition questioned the cost of new charging depots across the network."
)


def indexed(*articles):
    index = DuplicateIndex()
    for a in articles:
        index.add(a)
    return index


def test_same_canonical_url_is_a_duplicate():
    a = make("k4", "Kestrel launches K4", BODY)
    b = make("k4-copy", "Something else entirely", OTHER, url=a.web_url, hours=2)
    dup = indexed(a).check(b)
    assert dup is not None and (dup.of, dup.reason, dup.similarity) == (a.id, "url", 1.0)


def test_original_url_matching_a_canonical_is_a_duplicate():
    a = make("k4", "Kestrel launches K4", BODY)
    b = make("k4-amp", "Kestrel launches K4", OTHER, hours=1).model_copy(update={"original_url": a.web_url})
    dup = indexed(a).check(b)
    assert dup is not None and dup.reason == "url"


def test_same_text_differently_typeset_is_a_content_hash_duplicate():
    a = make("k4", "Kestrel launches K4", BODY)
    b = make("k4", "K4 is here", BODY.upper().replace("'", "\u2019"), provider="Copycat", hours=3)
    dup = indexed(a).check(b)
    assert dup is not None and (dup.of, dup.reason) == (a.id, "content-hash")


def test_text_overlap_above_threshold_is_a_near_duplicate():
    a = make("k4", "Kestrel launches K4", BODY + " " + OTHER)
    edited = (BODY + " " + OTHER).replace("Analysts said", "Market watchers noted") + " Shares rose."
    b = make("k4", "Kestrel's K4 ships with 192GB", edited, provider="Syndicator", hours=4)
    dup = indexed(a).check(b)
    assert dup is not None and dup.reason == "near-text" and dup.of == a.id
    assert 0.85 < dup.similarity < 1.0


def test_shared_paragraph_is_not_enough():
    a = make("k4", "Kestrel launches K4", BODY + " " + OTHER)
    b = make("k4", "Kestrel's launch", BODY + " " + OTHER[:80] + " ".join(f"word{i}" for i in range(80)), provider="B")
    dup = indexed(a).check(b)
    assert dup is None


def test_same_title_same_day_with_some_shared_text_is_a_duplicate():
    a = make("k4", "Kestrel launches K4 inference chip", BODY)
    rewritten = BODY.split(". ")[0] + ". " + OTHER
    b = make("k4", "Kestrel Launches K4 Inference Chip | Wire Service", rewritten, provider="Wire", hours=5)
    dup = indexed(a).check(b)
    assert dup is not None and (dup.of, dup.reason) == (a.id, "title")


def test_same_title_without_shared_text_or_on_another_day_is_not():
    a = make("k4", "Kestrel launches K4 inference chip", BODY)
    unrelated = make("k4", "Kestrel launches K4 inference chip", OTHER, provider="Wire", hours=5)
    later = make("k4", "Kestrel launches K4 inference chip", BODY.split(". ")[0] + ". " + OTHER, provider="W", hours=60)
    index = indexed(a)
    assert index.check(unrelated) is None
    assert index.check(later) is None


def test_generic_ai_titles_do_not_make_duplicates():
    a = make("ai-1", "AI", BODY)
    b = make("ai-2", "AI", OTHER, provider="Other", hours=1)
    c = make("ai-3", "A.I.", OTHER, provider="Third", hours=2)
    index = indexed(a)
    assert index.check(b) is None
    index.add(b)
    assert index.check(c) is not None and index.check(c).of == b.id  # same text, not same title
    assert title_key("AI") is None and title_key("AI - Provider") is None


def test_title_key_drops_case_punctuation_and_provider_suffix():
    assert title_key("Kestrel launches K4!") == title_key("kestrel Launches K4 - The Circuit Ledger")
    assert title_key("Kestrel launches K4") == title_key("Kestrel launches K4 | ByteFront")
    assert title_key("Kestrel launches K4") != title_key("Kestrel launches K5")


def test_the_earlier_article_is_kept():
    early = make("k4", "Kestrel launches K4", BODY, hours=0)
    late = make("k4", "Kestrel launches K4", BODY, provider="Late", hours=3)
    found = find_duplicates([late, early])
    assert found == {0: found[0]} and found[0].of == early.id


def test_remove_forgets_an_article():
    a = make("k4", "Kestrel launches K4 inference chip", BODY)
    b = make("k4", "Kestrel launches K4 inference chip", BODY, provider="Copy", hours=1)
    index = indexed(a)
    index.remove(a.id)
    assert index.check(b) is None and a.id not in index and len(index) == 0
    index.remove("unknown")


def test_newswire_syndicated_copies_are_found_without_false_positives():
    items = newswire()
    found = find_duplicates([x.article for x in items])
    predicted = {(i, d.of) for i, d in found.items()}
    gold = {(i, x.duplicate_of) for i, x in enumerate(items) if x.duplicate_of}
    scores = pairwise(predicted, gold)
    print("newswire duplicates:", scores)
    assert len(gold) == 11
    assert scores.precision == 1.0 and scores.f1 >= 0.95
    assert {d.reason for d in found.values()} == {"url", "near-text"}


def test_candidates_per_article_stay_bounded_as_the_index_grows():
    index = DuplicateIndex()
    worst = 0
    for item in stream(3000, days=60):
        dup = index.check(item.article)
        worst = max(worst, index.last_candidates)
        if dup is None:
            index.add(item.article)
    # copies aside, LSH returns nothing but true near neighbours
    assert len(index) > 2500 and worst <= 3
