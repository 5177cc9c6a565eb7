"""Heat: the formula's promises as properties, then the orderings and the
no-signal cases an editor would check by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topicwire.enrich.heat import (
    NO_SIGNAL,
    HeatInput,
    article_heat,
    daily_series,
    heat_parts,
    provider_heat,
    story_heat,
    topic_heat,
)

NOW = datetime(2026, 10, 14, 12, 0, tzinfo=timezone.utc)
PROVIDERS = ["circuitledger", "northwind", "bytefront", "marketpulse", "medsignal", "roboreport", "tagesnetz"]


def ago(hours: float, provider: str = "circuitledger", tier: int | None = 1) -> HeatInput:
    return HeatInput(published=NOW - timedelta(hours=hours), provider=provider, tier=tier)


member = st.builds(
    ago,
    hours=st.floats(min_value=-3, max_value=24 * 10, allow_nan=False),
    provider=st.sampled_from(PROVIDERS),
    tier=st.sampled_from([None, 1, 2, 3, 4, 5]),
)
members = st.lists(member, min_size=0, max_size=12)
half_lives = st.floats(min_value=1, max_value=96)


def shifted(items: list[HeatInput], hours: float) -> list[HeatInput]:
    return [HeatInput(m.published - timedelta(hours=hours), m.provider, m.tier) for m in items]


# -- properties ----------------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(members, st.sampled_from(PROVIDERS), st.floats(min_value=-3, max_value=240), st.sampled_from([None, 1, 5]),
       half_lives)
def test_another_provider_never_lowers_heat(items, provider, hours, tier, half_life):
    others = [m for m in items if m.provider != provider]
    before = story_heat(others, NOW, half_life_hours=half_life)
    after = story_heat([*others, ago(hours, provider, tier)], NOW, half_life_hours=half_life)
    assert after >= before


@settings(max_examples=100, deadline=None)
@given(members, st.floats(min_value=0, max_value=500), half_lives)
def test_older_never_hotter(items, hours, half_life):
    assert story_heat(shifted(items, hours), NOW, half_life_hours=half_life) <= story_heat(
        items, NOW, half_life_hours=half_life)


@settings(max_examples=100, deadline=None)
@given(members, st.randoms(use_true_random=False))
def test_same_inputs_same_output_in_any_order(items, rng):
    first = story_heat(items, NOW)
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert story_heat(list(items), NOW) == first == story_heat(shuffled, NOW)
    assert isinstance(first, int) and first >= NO_SIGNAL


@settings(max_examples=100, deadline=None)
@given(st.lists(member.filter(lambda m: m.published <= NOW), min_size=1, max_size=12), half_lives)
def test_one_half_life_halves_the_recency_part(items, half_life):
    now_parts = heat_parts(items, NOW, half_life_hours=half_life)
    later_parts = heat_parts(shifted(items, half_life), NOW, half_life_hours=half_life)
    if now_parts is None or later_parts is None:
        return  # the lone old report: no signal, nothing to halve
    assert later_parts.recency == pytest.approx(now_parts.recency / 2)
    assert later_parts.breadth_part == pytest.approx(now_parts.breadth_part)


# -- orderings and cases ------------------------------------------------------------------------------

def test_a_broad_fresh_story_beats_a_lone_report_from_yesterday():
    broad = [ago(h, p, t) for h, p, t in zip([0.5, 1, 2, 4, 5.5], PROVIDERS[:5], [1, 1, 2, 2, 2], strict=True)]
    lone = [ago(20)]
    assert story_heat(broad, NOW) > story_heat(lone, NOW) > 0


def test_better_providers_and_faster_coverage_are_hotter():
    assert story_heat([ago(1, "a", 1), ago(1, "b", 1)], NOW) > story_heat([ago(1, "a", 5), ago(1, "b", 5)], NOW)
    burst = [ago(h, p) for h, p in zip([1, 2, 3], PROVIDERS, strict=False)]
    slow = [ago(h, p) for h, p in zip([1, 20, 40], PROVIDERS, strict=False)]
    assert story_heat(burst, NOW) > story_heat(slow, NOW)


def test_a_provider_counts_once_however_much_it_publishes():
    once = heat_parts([ago(1, "a")], NOW)
    thrice = heat_parts([ago(1, "a"), ago(2, "A "), ago(3, "a")], NOW)
    assert once.coverage == thrice.coverage == 1.0
    assert thrice.velocity > once.velocity


def test_too_little_signal_is_minus_one():
    assert story_heat([], NOW) == NO_SIGNAL
    assert story_heat([ago(25)], NOW) == NO_SIGNAL
    assert story_heat([ago(30), ago(40)], NOW) == NO_SIGNAL  # one provider, all old
    assert story_heat([ago(25)], NOW, half_life_hours=48) >= 0
    assert story_heat([ago(2)], NOW) >= 0
    assert story_heat([ago(30, "a"), ago(40, "b")], NOW) >= 0


def test_heat_decays_with_the_configured_half_life():
    day_old = [ago(24, "a"), ago(24, "b")]
    assert heat_parts(day_old, NOW).recency == pytest.approx(0.5)
    assert heat_parts(day_old, NOW, half_life_hours=48).recency == pytest.approx(2 ** -0.5)
    assert story_heat(day_old, NOW, half_life_hours=48) > story_heat(day_old, NOW) > 0


def test_future_dates_count_as_now_and_naive_dates_as_utc():
    assert story_heat([ago(-5, "a"), ago(-5, "b")], NOW) == story_heat([ago(0, "a"), ago(0, "b")], NOW)
    naive = [HeatInput(NOW.replace(tzinfo=None) - timedelta(hours=2), p, 1) for p in "ab"]
    assert story_heat(naive, NOW) == story_heat([ago(2, "a"), ago(2, "b")], NOW)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_half_life_must_be_positive(bad):
    with pytest.raises(ValueError, match="half_life_hours"):
        story_heat([ago(1)], NOW, half_life_hours=bad)


def test_article_heat_shares_its_story_heat():
    assert article_heat(NOW, 100, NOW) == 100
    assert article_heat(NOW - timedelta(hours=24), 100, NOW) == 75
    assert article_heat(None, 100, NOW) == 50
    assert article_heat(NOW - timedelta(days=30), 100, NOW) == 50
    assert article_heat(NOW, NO_SIGNAL, NOW) == NO_SIGNAL


def test_topic_and_provider_heat():
    assert topic_heat([10, 20, NO_SIGNAL]) == 30
    assert topic_heat([NO_SIGNAL, NO_SIGNAL]) == topic_heat([]) == NO_SIGNAL
    assert topic_heat([0]) == 0
    assert provider_heat([10, 20, NO_SIGNAL]) == 15
    assert provider_heat([]) == NO_SIGNAL


def test_daily_series_sums_each_day_and_fills_gaps():
    events = [
        (datetime(2026, 10, 14, 1, tzinfo=timezone.utc), 10),
        (datetime(2026, 10, 14, 23, tzinfo=timezone.utc), 5),
        # 00:30 in Berlin is still the 13th in UTC
        (datetime(2026, 10, 14, 0, 30, tzinfo=timezone(timedelta(hours=2))), 7),
        (datetime(2026, 10, 12, 9, tzinfo=timezone.utc), NO_SIGNAL),
        (datetime(2026, 9, 1, tzinfo=timezone.utc), 99),  # before the window
    ]
    series = daily_series(events, days=4, end=date(2026, 10, 14))
    assert series == [(date(2026, 10, 11), 0), (date(2026, 10, 12), 0), (date(2026, 10, 13), 7),
                      (date(2026, 10, 14), 15)]
    assert len(daily_series([], days=30)) == 30
    with pytest.raises(ValueError):
        daily_series([], days=0)
