"""Mention matching (enrich/entities.py): throughput with the starter
registry, and with a registry ten times larger, on the same articles.

    .venv/bin/python bench/entities.py [--factor 10] [--rounds 5]

The articles are the offline newswire's (title, description and body of
every corpus article). The larger registry is the starter registry plus
generated organizations and people with made-up names of one to four
words and one to three aliases each, so that it has ``--factor`` times as
many names. The matcher's trie makes the cost of a text depend on its
length and on the longest name, not on how many names there are: the
ratio of the two throughputs should stay near 1 (target: the larger
registry costs less than 1.5x per article). Proposing unknown names is
measured too, since the cycle runs it on every article.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from newswire.corpus import load_corpus  # noqa: E402

from topicwire.enrich.entities import EntityMatcher, propose_names  # noqa: E402
from topicwire.organizations import Alias, Organization  # noqa: E402
from topicwire.registry import Person, Registry  # noqa: E402

SYLLABLES = ["ka", "lo", "vex", "mar", "tin", "qua", "ro", "sel", "dra", "po", "nix", "ul", "bre", "zan", "fi", "gor"]
SUFFIXES = ["Labs", "Robotics", "AI", "Systems", "Technologies", "Semiconductor", "Health", "Dynamics"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def generated(count: int, rng: random.Random) -> list[Organization | Person]:
    made: list[Organization | Person] = []
    for n in range(count):
        if n % 3 == 0:
            name = f"{word(rng)} {word(rng)}"
            made.append(Person(id=f"gen-person-{n}", name=name, aliases=(Alias(name.split()[1]),)))
        else:
            name = " ".join(word(rng) for _ in range(rng.randint(1, 3))) + f" {rng.choice(SUFFIXES)}"
            aliases = tuple(Alias(f"{name} {s}") for s in rng.sample(["Inc", "Corp", "Group"], rng.randint(1, 3)))
            made.append(Organization(id=f"gen-org-{n}", name=name, domains=(f"gen{n}.example",), aliases=aliases))
    return made


def names(entities) -> int:  # type: ignore[no-untyped-def]
    return sum(1 + len(e.aliases) for e in entities)


def timed(matcher: EntityMatcher, texts: list[tuple[str, str, str]], propose: bool) -> float:
    began = time.perf_counter()
    for title, excerpt, body in texts:
        matcher.find(title, excerpt, body)
        if propose:
            propose_names("\n".join((title, excerpt, body)), matcher)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = [(a.title, a.description, "\n\n".join(p for b in a.blocks for p in b.texts()))
             for a in load_corpus().articles]
    starter = list(Registry.load())
    rng = random.Random(7)
    extra: list[Organization | Person] = []
    while names(starter) + names(extra) < args.factor * names(starter):
        extra += generated(500, rng)
    larger = starter + extra
    words = sum(len((t + " " + e + " " + b).split()) for t, e, b in texts)
    print(f"{len(texts)} newswire articles ({words} words), {args.rounds} rounds each, median:")
    sides = {"starter": starter, f"{args.factor}x": larger}
    matchers, built = {}, {}
    for label, entities in sides.items():
        began = time.perf_counter()
        matchers[label] = EntityMatcher(entities)
        built[label] = time.perf_counter() - began
    # the two sides take turns, round after round, so that whatever else the
    # machine does weighs on both alike
    times: dict[tuple[str, bool], list[float]] = {(label, p): [] for label in sides for p in (False, True)}
    for round_ in range(args.rounds):
        for propose in (False, True):
            for label in (sides if round_ % 2 == 0 else reversed(list(sides))):
                times[(label, propose)].append(timed(matchers[label], texts, propose))
    rate = {key: len(texts) / statistics.median(values) for key, values in times.items()}
    for label, entities in sides.items():
        print(f"  {label:<8} {len(entities):>6} entities, {names(entities):>6} names: built in "
              f"{built[label] * 1000:6.1f} ms; {rate[(label, False)]:7.0f} articles/s matching, "
              f"{rate[(label, True)]:7.0f} articles/s matching + proposing")
    ratio = rate[("starter", False)] / rate[(f"{args.factor}x", False)]
    print(f"  cost per article, {args.factor}x registry vs starter: {ratio:.2f}x (target < 1.5x)")


if __name__ == "__main__":
    main()
