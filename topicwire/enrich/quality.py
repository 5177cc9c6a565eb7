"""Editorial quality: a 0–100 score built from named, additive components,
so that an editor can see why an article scored what it did.

The score starts from a base and each component adds or takes points: the
provider's standing (its tier), body length and completeness, a lead image
of real size, a publication date, the headline (clickbait, shouting,
listicles, question bait), page furniture left in the body, press-release,
market-research and paywall signals, a language other than the site's,
being a duplicate, and whether any topic matched. The components sum, after
clamping to 0–100, to the total. Patterns live in ``signals``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from typing import Any, Mapping

from topicwire.enrich import signals
from topicwire.enrich.language import detect_language, language_of_locale
from topicwire.errors import ConfigError
from topicwire.model import Article

PUBLISH_THRESHOLD = 55

_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class QualityWeights:
    """Points per component. Penalties are negative numbers; ``*_words``,
    ``image_min_*`` and ``signal_grace`` are counts, not points."""

    base: float = 30.0
    # tier 1 (best) .. tier 5 (worst)
    tier_points: tuple[float, ...] = (20.0, 14.0, 6.0, -5.0, -15.0)
    unknown_tier: float = 0.0
    body_full: float = 15.0
    body_short: float = -25.0
    short_words: int = 80
    full_words: int = 250
    truncated: float = -10.0
    image: float = 6.0
    image_unsized: float = 3.0
    image_min_width: int = 400
    image_min_height: int = 200
    date_present: float = 5.0
    date_missing: float = -5.0
    title_clean: float = 5.0
    clickbait: float = -10.0
    shouting: float = -10.0
    listicle: float = -8.0
    question_bait: float = -6.0
    title_floor: float = -25.0
    # applied in proportion to the share of boilerplate lines
    boilerplate: float = -30.0
    press_signal: float = -12.0
    press_cap: float = -40.0
    research_signal: float = -15.0
    research_cap: float = -50.0
    # signals a genuine article may carry once (a quoted "CAGR", a "today announced")
    signal_grace: int = 1
    paywall: float = -30.0
    language_mismatch: float = -30.0
    duplicate: float = -25.0
    on_topic: float = 4.0
    off_topic: float = -5.0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str | None = None) -> QualityWeights:
        """Weights from a settings mapping; keys not given keep their
        defaults. An unknown key or a value of the wrong kind is a
        ConfigError naming the key."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"quality weights must be a mapping, found {type(data).__name__}", source=source)
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            name = f"quality.{key}"
            if key not in known:
                raise ConfigError(f"unknown quality weight (known: {', '.join(known)})", source=source, field=name)
            default = getattr(cls, key)
            if isinstance(default, tuple):
                values[key] = _tier_points(value, source, name)
            elif isinstance(default, int) and not isinstance(default, bool):
                if not _is_int(value) or value < 0:
                    raise ConfigError(f"must be a whole number ≥ 0 (got {value!r})", source=source, field=name)
                values[key] = value
            else:
                if not _is_number(value):
                    raise ConfigError(f"must be a number (got {value!r})", source=source, field=name)
                values[key] = float(value)
        weights = cls(**values)
        if weights.full_words <= weights.short_words:
            raise ConfigError("must be greater than short_words", source=source, field="quality.full_words")
        return weights

    def tier(self, tier: int | None) -> float:
        if tier is None or not 1 <= tier <= len(self.tier_points):
            return self.unknown_tier
        return self.tier_points[tier - 1]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _tier_points(value: Any, source: str | None, name: str) -> tuple[float, ...]:
    if not isinstance(value, (list, tuple)) or len(value) != 5 or not all(_is_number(v) for v in value):
        raise ConfigError(f"must be a list of 5 numbers, tier 1 first (got {value!r})", source=source, field=name)
    return tuple(float(v) for v in value)


@dataclass(frozen=True)
class QualityScore:
    total: int
    # component name -> points; they sum (then clamp to 0–100) to total
    components: dict[str, float]
    notes: list[str]
    # component name -> what was seen ("tier 1", "412 words"), for explain()
    details: dict[str, str] = field(default_factory=dict)


def score_quality(
    article: Article,
    *,
    provider_tier: int | None,
    duplicate: bool,
    topic_count: int,
    site_locale: str | None = None,
    weights: QualityWeights = QualityWeights(),
) -> QualityScore:
    w = weights
    body = article.content or ""
    text = "\n".join(t for t in (article.title, article.excerpt or "", body) if t)
    words = len(_WORD_RE.findall(body))
    parts: dict[str, float] = {"base": w.base}
    details: dict[str, str] = {}
    notes: list[str] = []

    parts["provider"] = w.tier(provider_tier)
    details["provider"] = f"tier {provider_tier}" if provider_tier is not None else "tier unknown"

    parts["body"] = _body_points(words, w)
    details["body"] = f"{words} words"
    if words < w.short_words:
        notes.append(f"very short body ({words} words)")

    ending = signals.hits(signals.TRUNCATION, body[-300:])
    parts["completeness"] = w.truncated if ending else 0.0
    if ending:
        details["completeness"] = "truncated: " + ", ".join(ending)
        notes.append(details["completeness"])

    parts["image"], details["image"] = _image_points(article, w)
    if parts["image"] <= 0:
        notes.append(details["image"])

    has_date = article.published_date_time is not None
    parts["date"] = w.date_present if has_date else w.date_missing
    details["date"] = "present" if has_date else "missing"
    if not has_date:
        notes.append("no publication date")

    parts["title"], title_flags = _title_points(article.title, w)
    details["title"] = ", ".join(title_flags) if title_flags else "clean"
    if title_flags:
        notes.append("headline: " + details["title"])

    share = boilerplate_share(body)
    parts["boilerplate"] = w.boilerplate * share
    details["boilerplate"] = f"{share:.0%} of lines"
    if share >= 0.2:
        notes.append(f"boilerplate: {share:.0%} of body lines")

    press = signals.hits(signals.PRESS_RELEASE, text)
    if len(signals.SUPERLATIVES.findall(text)) >= signals.SUPERLATIVES_FOR_SIGNAL:
        press.append("superlatives")
    parts["press_release"] = _signal_points(press, w.press_signal, w.press_cap, w.signal_grace)
    details["press_release"] = ", ".join(press) or "none"
    if parts["press_release"]:
        notes.append("press release: " + details["press_release"])

    research = signals.hits(signals.MARKET_RESEARCH, text)
    parts["market_research"] = _signal_points(research, w.research_signal, w.research_cap, w.signal_grace)
    details["market_research"] = ", ".join(research) or "none"
    if parts["market_research"]:
        notes.append("market-research advertisement: " + details["market_research"])

    # a subscribe prompt under a full article is page furniture, under a teaser it is the whole page
    paywall = signals.hits(signals.PAYWALL, body)
    stub = bool(paywall) and words < w.full_words
    parts["paywall"] = w.paywall if stub else 0.0
    details["paywall"] = ("stub: " + ", ".join(paywall)) if stub else "none"
    if stub:
        notes.append("paywall " + details["paywall"])

    parts["language"], details["language"] = _language_points(article, text, site_locale, w)
    if parts["language"]:
        notes.append(details["language"])

    parts["duplicate"] = w.duplicate if duplicate else 0.0
    details["duplicate"] = "duplicate" if duplicate else "original"
    if duplicate:
        notes.append("duplicate of another article")

    parts["topics"] = w.on_topic if topic_count > 0 else w.off_topic
    details["topics"] = f"{topic_count} matched"
    if topic_count <= 0:
        notes.append("no topic matched")

    raw = sum(parts.values())
    total = max(0, min(100, round(raw)))
    if total != round(raw):
        notes.append(f"clamped from {raw:.0f}")
    return QualityScore(total=total, components=parts, notes=notes, details=details)


def is_published(
    total: int, *, topics: int, duplicate: bool, threshold: int = PUBLISH_THRESHOLD, override: bool | None = None
) -> bool:
    """The publishing rule: good enough, on a topic, not a duplicate; an
    editor's override decides whatever the score says."""
    if override is not None:
        return override
    return total >= threshold and topics > 0 and not duplicate


def _body_points(words: int, w: QualityWeights) -> float:
    if words < w.short_words:
        return w.body_short
    if words >= w.full_words:
        return w.body_full
    # linear in between, so that a few words more never cost points
    return w.body_full * (words - w.short_words) / (w.full_words - w.short_words)


def _image_points(article: Article, w: QualityWeights) -> tuple[float, str]:
    if not article.images:
        return 0.0, "no lead image"
    sized = [i for i in article.images if i.width and i.height]
    if not sized:
        return w.image_unsized, "image of unknown size"
    best = max(sized, key=lambda i: (i.width or 0) * (i.height or 0))
    size = f"{best.width}x{best.height}"
    if (best.width or 0) >= w.image_min_width and (best.height or 0) >= w.image_min_height:
        return w.image, size
    return 0.0, f"lead image too small ({size})"


def _title_points(title: str, w: QualityWeights) -> tuple[float, list[str]]:
    flags = signals.hits(signals.CLICKBAIT, title)
    points = w.clickbait * len(flags)
    if signals.LISTICLE.search(title):
        flags.append("listicle")
        points += w.listicle
    if title.rstrip().endswith("?"):
        flags.append("question")
        points += w.question_bait
    if is_shouting(title):
        flags.append("all caps")
        points += w.shouting
    if not flags:
        return w.title_clean, flags
    return max(w.title_floor, points), flags


def is_shouting(title: str) -> bool:
    """Mostly capitals, or several long all-capital words: acronyms (AI,
    GPU, NASA) alone do not make a headline shout."""
    letters = [c for c in title if c.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) >= 0.6:
        return True
    loud = [word for word in re.findall(r"[^\W\d_]{4,}", title) if word.isupper()]
    return len(loud) >= 3


def boilerplate_share(body: str) -> float:
    """Share of the body's non-blank lines that are page furniture: lines
    naming cookies, newsletters, sharing, sign-in..., and runs of three or
    more one-to-three-word lines without sentence punctuation (menus)."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if not lines:
        return 0.0
    furniture = [len(line.split()) <= 30 and bool(signals.BOILERPLATE_LINE.search(line)) for line in lines]
    menu = [len(line.split()) <= 3 and not line.endswith((".", "?", "!", ":", '"', "”")) for line in lines]
    run_start = 0
    for i in range(len(lines) + 1):
        if i == len(lines) or not menu[i]:
            if i - run_start >= 3:
                for j in range(run_start, i):
                    furniture[j] = True
            run_start = i + 1
    return sum(furniture) / len(lines)


def _signal_points(found: list[str], per_signal: float, cap: float, grace: int) -> float:
    counted = max(0, len(found) - grace)
    return max(cap, per_signal * counted) if counted else 0.0


def _language_points(article: Article, text: str, site_locale: str | None, w: QualityWeights) -> tuple[float, str]:
    site = language_of_locale(site_locale)
    # the text itself first: pages often declare the site's default locale on every article
    found = detect_language(text[:6000]) or language_of_locale(article.locale)
    if not site or not found:
        return 0.0, f"{found or 'unknown'}"
    if found == site:
        return 0.0, found
    return w.language_mismatch, f"language {found} on a {site} site"
