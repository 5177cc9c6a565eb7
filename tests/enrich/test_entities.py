"""Finding the registry's organizations and people in articles."""

from __future__ import annotations

from datetime import date

import pytest

from topicwire.enrich.entities import EntityMatcher, propose_names, tokens
from topicwire.organizations import Alias, Organization
from topicwire.registry import Person


def org(id_: str, name: str, *aliases: str | Alias, context: tuple[str, ...] = ()) -> Organization:
    return Organization(
        id=id_, name=name, domains=(f"{id_}.example",),
        aliases=tuple(a if isinstance(a, Alias) else Alias(a) for a in aliases), context=context,
    )


ENTITIES = [
    org("nvidia", "Nvidia", "NVIDIA Corporation"),
    org("apple", "Apple", "Apple Inc", context=("iPhone", "Mac", "Tim Cook", "App Store")),
    org("meta", "Meta", "Meta Platforms", Alias("Facebook", until=date(2021, 10, 28)), context=("Instagram", "Zuckerberg")),
    org("xai", "xAI"),
    org("characterai", "Character.AI"),
    org("deepmind", "Google DeepMind", "DeepMind"),
    org("google", "Google"),
    Person(id="jensen-huang", name="Jensen Huang"),
    Person(id="sam-altman", name="Sam Altman", aliases=(Alias("Altman"),)),
]


@pytest.fixture(scope="module")
def matcher() -> EntityMatcher:
    return EntityMatcher(ENTITIES)


def found(matcher, title, excerpt=None, body=None, day=None) -> dict[str, dict[str, int]]:
    return {m.entity_id: dict(m.counts) for m in matcher.find(title, excerpt, body, day=day)}


def test_names_aliases_possessives_and_places(matcher):
    got = found(
        matcher, "Nvidia's new chip beats rivals",
        "NVIDIA Corporation said Jensen Huang would speak.",
        "Huang, Nvidia-backed startups and Sam Altman's lab. Altman agreed.",
    )
    assert got == {
        "nvidia": {"title": 1, "excerpt": 1, "body": 1},
        "jensen-huang": {"excerpt": 1},  # "Huang" alone is not listed: too common a name
        "sam-altman": {"body": 2},
    }
    ranked = matcher.find("Nvidia's new chip", None, "Sam Altman spoke. Altman, again.")
    # one title mention (3) outweighs two in the body (2)
    assert [(m.entity_id, m.weight, m.places) for m in ranked] == [("nvidia", 3.0, ["title"]), ("sam-altman", 2.0, ["body"])]


def test_longest_name_wins_and_word_boundaries_hold(matcher):
    assert found(matcher, "Google DeepMind unveils a model") == {"deepmind": {"title": 1}}
    assert found(matcher, "Googleplex tours and Nvidiaish chips") == {}


def test_case_rules(matcher):
    # a one-token name is written as a name; listed inner capitals must match
    assert found(matcher, "the nvidia driver") == {}
    assert found(matcher, "NVIDIA ships") == {"nvidia": {"title": 1}}
    assert found(matcher, "xAI raises money") == {"xai": {"title": 1}}
    assert found(matcher, "XAI raises money") == {"xai": {"title": 1}}
    assert found(matcher, "Xai raises money") == {}
    assert found(matcher, "Character.AI adds voices") == {"characterai": {"title": 1}}
    # several tokens: any case
    assert found(matcher, "a jensen huang keynote") == {"jensen-huang": {"title": 1}}


def test_ambiguous_names_need_context(matcher):
    assert found(matcher, "Apple harvest falls after a wet spring") == {}
    assert found(matcher, "Apple prices rise", body="Growers blame the weather.") == {}
    assert found(matcher, "Apple ships a faster chip", body="The new iPhone uses it.") == {"apple": {"title": 1}}
    assert found(matcher, "Apple ships a faster chip", body="Tim Cook announced it.") == {"apple": {"title": 1}}
    # a longer, unambiguous name vouches for the short one
    assert found(matcher, "Apple ships a chip", body="Apple Inc said so.") == {"apple": {"title": 1, "body": 1}}
    assert found(matcher, "Meta tags for pages") == {}
    assert found(matcher, "Meta trains a model", "Zuckerberg said so.") == {"meta": {"title": 1}}


def test_dated_aliases(matcher):
    # a former name needs no context: in its time it named the company alone
    assert found(matcher, "Facebook trains a model", day=date(2020, 5, 1)) == {"meta": {"title": 1}}
    assert found(matcher, "Facebook trains a model", day=date(2021, 10, 27)) == {"meta": {"title": 1}}
    assert found(matcher, "Facebook trains a model", day=date(2024, 1, 1)) == {}


def test_tokens():
    assert tokens("Nvidia's AT&T-backed Character.AI, C3.ai’s") == ["Nvidia", "AT&T", "backed", "Character.AI", "C3.ai"]


def test_unknown_organizations_are_proposed_not_known_ones(matcher):
    text = ("The startup Lumenfold raised money. Vireo Labs and Quanta Robotics Inc followed. "
            "Nvidia Labs? No: Nvidia. The Company said. In March, Orbit Systems grew.")
    proposed = propose_names(text, matcher)
    assert set(proposed) == {"Lumenfold", "Vireo Labs", "Quanta Robotics Inc", "Orbit Systems"}
