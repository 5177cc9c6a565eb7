"""Duplicate detection and story clustering on a generated stream: speed,
how the cost per article moves as the stream grows, and peak memory.

    .venv/bin/python bench/enrich.py                  # 1k, 10k and 100k articles
    .venv/bin/python bench/enrich.py --sizes 1000 10000

The stream (tests/enrich/synthetic.py) has events told by up to six
providers in their own words, some syndicated copies, a 20k-word Zipf
vocabulary, at a steady ~170 articles a day (so 100k articles span about
20 months): what is measured is growth with the size of the index, not
with a busier news day. Generation is not timed. The per-article cost of
the last 1,000 articles of each run is compared with the first run's
(target: at most 1.5x at 100k against 1k). Peak memory is the process's
maximum resident size after each run (sizes run in increasing order);
``--tracemalloc`` measures the enrichment state alone in a second, slower pass.

``--stages all`` runs every stage the crawl cycle runs instead (topics with
the embedding classifier, duplicates, stories, quality, then heat and
related once the stream is in), fed in batches of 500 as the cycle does.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "enrich")]

from synthetic import stream  # noqa: E402

from topicwire.enrich.cluster_eval import bcubed, pairwise  # noqa: E402
from topicwire.enrich.dedup import DuplicateIndex  # noqa: E402
from topicwire.enrich.stories import StoryClusterer  # noqa: E402
from topicwire.pipeline.enrichment import Enricher  # noqa: E402
from topicwire.taxonomy import load_taxonomy  # noqa: E402

TAIL = 1000


def run(items):
    index, clusterer = DuplicateIndex(), StoryClusterer()
    predicted, gold, found, copies = {}, {}, set(), set()
    tail_started = len(items) - min(TAIL, len(items))
    start = time.perf_counter()
    tail_start = start
    for i, item in enumerate(items):
        if i == tail_started:
            tail_start = time.perf_counter()
        dup = index.check(item.article)
        if dup is None:
            index.add(item.article)
        else:
            found.add((i, dup.of))
        predicted[i] = clusterer.assign(item.article, quality=item.article.quality, duplicate_of=dup.of if dup else None)
        gold[i] = item.event
        if item.copy_of:
            copies.add((i, item.copy_of))
    end = time.perf_counter()
    return {
        "rate": len(items) / (end - start),
        "tail_cost": (end - tail_start) / (len(items) - tail_started),
        "dup": pairwise(found, copies),
        "stories": bcubed(predicted, gold),
    }


BATCH = 500


def run_all_stages(items, taxonomy):
    """The whole enrichment, timed; the tail is the last batches' adding,
    and finishing (heat, related) is reported per article over the run."""
    enricher = Enricher(taxonomy)
    articles = [item.article for item in items]
    tail_from = len(articles) - min(TAIL, len(articles))
    start = time.perf_counter()
    tail_start = start
    for at in range(0, len(articles), BATCH):
        if at <= tail_from < at + BATCH:
            tail_start = time.perf_counter()
        enricher.add_many(articles[at : at + BATCH])
    added = time.perf_counter()
    results = enricher.finish()
    end = time.perf_counter()
    tail_n = len(articles) - (tail_from // BATCH) * BATCH
    predicted = {i: r.story for i, r in enumerate(results)}
    gold = {i: item.event for i, item in enumerate(items)}
    return {
        "rate": len(items) / (end - start),
        "tail_cost": (added - tail_start) / tail_n,
        "finish_cost": (end - added) / len(items),
        "stories": bcubed(predicted, gold),
    }


def peak_memory(items) -> float:
    tracemalloc.start()
    index, clusterer = DuplicateIndex(), StoryClusterer()
    for item in items:
        dup = index.check(item.article)
        if dup is None:
            index.add(item.article)
        clusterer.assign(item.article, duplicate_of=dup.of if dup else None)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--per-day", type=float, default=170, help="articles a day in the stream")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the state's peak memory (slow)")
    parser.add_argument("--stages", choices=("dedup-stories", "all"), default="dedup-stories")
    args = parser.parse_args()
    base = None
    if args.stages == "all":
        taxonomy = load_taxonomy()
        print(f"{'articles':>9} {'art/s':>8} {'ms/art (tail)':>14} {'vs first':>9} {'finish ms/art':>14} {'B3 F1':>6} {'RSS MiB':>8}")
        for size in args.sizes:
            items = list(stream(size, days=size / args.per_day))
            result = run_all_stages(items, taxonomy)
            base = base or result["tail_cost"]
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{size:>9} {result['rate']:8.0f} {result['tail_cost'] * 1000:14.2f} {result['tail_cost'] / base:8.2f}x"
                f" {result['finish_cost'] * 1000:14.2f} {result['stories'].f1:6.3f} {rss:8.0f}",
                flush=True,
            )
        return
    print(f"{'articles':>9} {'art/s':>8} {'ms/art (tail)':>14} {'vs first':>9} {'dup F1':>7} {'B3 F1':>6} {'RSS MiB':>8} {'traced MiB':>10}")
    for size in args.sizes:
        items = list(stream(size, days=size / args.per_day))
        result = run(items)
        base = base or result["tail_cost"]
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        traced = f"{peak_memory(items):10.1f}" if args.tracemalloc else f"{'-':>10}"
        print(
            f"{size:>9} {result['rate']:8.0f} {result['tail_cost'] * 1000:14.2f} {result['tail_cost'] / base:8.2f}x"
            f" {result['dup'].f1:7.3f} {result['stories'].f1:6.3f} {rss:8.0f} {traced}",
            flush=True,
        )


if __name__ == "__main__":
    main()
