"""Heat: how much a story is trending right now, as an integer ≥ 0, or -1
when there is not enough signal to say.

For a story whose articles were published at times t_i by providers p_i:

    coverage  C = Σ over distinct providers p of w(tier_p)
                  w = 1.0, 0.8, 0.6, 0.4, 0.2 for tiers 1..5, 0.5 when unknown;
                  a provider counts once, at its best tier
    velocity  V = (articles published in the last W hours) / W
                  articles per hour; W = 6 by default
    recency   R = 2 ** (-a / H)
                  a = hours since the newest article (0 if it is dated
                  later than now); H = half-life, 24 hours by default
    heat      = round(R · (40 · log2(1 + C) + 30 · log2(1 + V)))

Breadth and velocity are damped by the logarithm so that a story covered by
forty outlets is hotter than one covered by four, but not ten times hotter.
The recency factor halves with every half-life that passes without a new
article, so an unrefreshed story cools off on its own.

Heat is -1 when there is too little signal: a story with no articles, or a
story that only one provider covers whose newest article is older than one
half-life (a lone old report says nothing about what is trending).

Derived values:

- article heat = story heat · (1 + 2 ** (-a_article / H)) / 2: an article
  carries between half and all of its story's heat, fresher ones more;
- topic heat = the sum of its stories' heats (stories at -1 add nothing),
  -1 when none of them has signal;
- provider heat = the mean heat of the provider's articles that have signal,
  -1 when none does: how much of what it covers is trending, not how much it
  publishes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

NO_SIGNAL = -1
HALF_LIFE_HOURS = 24.0
VELOCITY_WINDOW_HOURS = 6.0
BREADTH_POINTS = 40.0
VELOCITY_POINTS = 30.0
TIER_WEIGHTS = (1.0, 0.8, 0.6, 0.4, 0.2)
UNKNOWN_TIER_WEIGHT = 0.5


@dataclass(frozen=True)
class HeatInput:
    published: datetime
    provider: str
    tier: int | None = None


@dataclass(frozen=True)
class HeatParts:
    """The terms of the formula, kept for explanations and tests."""

    coverage: float
    velocity: float
    recency: float
    breadth_part: float
    velocity_part: float
    heat: int


def provider_weight(tier: int | None) -> float:
    if tier is None or not 1 <= tier <= len(TIER_WEIGHTS):
        return UNKNOWN_TIER_WEIGHT
    return TIER_WEIGHTS[tier - 1]


def _hours_before(now: datetime, when: datetime) -> float:
    # a date later than now (clock skew, time zones gone wrong) counts as now
    return max(0.0, (_aware(now) - _aware(when)).total_seconds() / 3600.0)


def _aware(when: datetime) -> datetime:
    # naive datetimes are taken as UTC, the store's convention
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def _check_positive(name: str, value: float) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a positive number of hours (got {value!r})")


def heat_parts(
    members: list[HeatInput],
    now: datetime,
    *,
    half_life_hours: float = HALF_LIFE_HOURS,
    window_hours: float = VELOCITY_WINDOW_HOURS,
) -> HeatParts | None:
    """The formula's terms for a story, or None when it has no signal."""
    _check_positive("half_life_hours", half_life_hours)
    _check_positive("window_hours", window_hours)
    if not members:
        return None
    best: dict[str, float] = {}
    for m in members:
        key = m.provider.strip().lower()
        best[key] = max(best.get(key, 0.0), provider_weight(m.tier))
    ages = [_hours_before(now, m.published) for m in members]
    newest = min(ages)
    if len(best) < 2 and newest > half_life_hours:
        return None
    # summed in a fixed order so the same set of members gives the same float
    coverage = math.fsum(best[k] for k in sorted(best))
    velocity = sum(age <= window_hours for age in ages) / window_hours
    recency = 2.0 ** (-newest / half_life_hours)
    breadth_part = BREADTH_POINTS * math.log2(1.0 + coverage)
    velocity_part = VELOCITY_POINTS * math.log2(1.0 + velocity)
    heat = round(recency * (breadth_part + velocity_part))
    return HeatParts(coverage, velocity, recency, breadth_part, velocity_part, heat)


def story_heat(
    members: list[HeatInput],
    now: datetime,
    *,
    half_life_hours: float = HALF_LIFE_HOURS,
    window_hours: float = VELOCITY_WINDOW_HOURS,
) -> int:
    parts = heat_parts(members, now, half_life_hours=half_life_hours, window_hours=window_hours)
    return NO_SIGNAL if parts is None else parts.heat


def article_heat(
    article_published: datetime | None,
    story_heat_value: int,
    now: datetime,
    *,
    half_life_hours: float = HALF_LIFE_HOURS,
) -> int:
    """An article's share of its story's heat; an undated article keeps half."""
    _check_positive("half_life_hours", half_life_hours)
    if story_heat_value < 0:
        return NO_SIGNAL
    fresh = 0.0 if article_published is None else 2.0 ** (-_hours_before(now, article_published) / half_life_hours)
    return round(story_heat_value * (1.0 + fresh) / 2.0)


def topic_heat(story_heats: list[int]) -> int:
    hot = [h for h in story_heats if h >= 0]
    return sum(hot) if hot else NO_SIGNAL


def provider_heat(article_heats: list[int]) -> int:
    hot = [h for h in article_heats if h >= 0]
    return round(sum(hot) / len(hot)) if hot else NO_SIGNAL


def daily_series(
    events: Iterable[tuple[datetime, int]], days: int = 30, *, end: date | None = None
) -> list[tuple[date, int]]:
    """Heat per UTC day for a chart: ``events`` are (when, heat) pairs, such
    as a topic's articles with their heat; each day is the topic heat of its
    events. Oldest day first, ``days`` days ending with ``end`` (today by
    default); a day without signal is 0, since a chart needs a number."""
    if days < 1:
        raise ValueError(f"days must be at least 1 (got {days!r})")
    last = end or datetime.now(timezone.utc).date()
    first = last - timedelta(days=days - 1)
    per_day: dict[date, list[int]] = defaultdict(list)
    for when, heat in events:
        day = _aware(when).astimezone(timezone.utc).date()
        if first <= day <= last:
            per_day[day].append(heat)
    series = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        series.append((day, max(0, topic_heat(per_day.get(day, [])))))
    return series
