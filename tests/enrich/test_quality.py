"""Quality scoring: one hand-made page per component, then the whole offline
newswire, whose kinds (news, press release, market research, paywall...)
are known, so the score can be held to what an editor would publish."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from newswire.truth import ground_truth

from topicwire.enrich.language import detect_language
from topicwire.enrich.quality import (
    QualityWeights,
    boilerplate_share,
    is_published,
    is_shouting,
    score_quality,
)
from topicwire.enrich.quality_report import explain
from topicwire.errors import ConfigError
from topicwire.model import Article, Image, Provider

PROVIDERS = Path(__file__).parents[1] / "newswire" / "corpus" / "providers.yaml"
WHEN = datetime(2026, 10, 14, 9, 30, tzinfo=timezone.utc)

NEWS_BODY = "\n\n".join([
    "Lumenara, a chip designer based in Austin, said on Tuesday that it had taped out a 3nm inference "
    "processor for data centres, the first product from a company that was founded four years ago by "
    "former engineers of larger chipmakers. The part is due to ship to customers in the second half of "
    "next year, according to the company, which did not disclose the price.",
    "The chip pairs a grid of matrix units with stacked memory and is meant to run large language models "
    "at lower power than general-purpose accelerators. Lumenara said early samples had met the targets it "
    "set for throughput per watt, but it has not published independent benchmarks, and analysts said the "
    "claims would need to be tested on real workloads before customers commit to large orders.",
    "Several cloud providers are evaluating the design, the company said, without naming them. Demand for "
    "inference hardware has grown as companies move models from research into products, and buyers have "
    "been looking for alternatives to the most popular accelerators, which remain scarce and expensive.",
    "The tape-out marks the point at which a design is sent for manufacturing. Problems found after that "
    "stage are costly to fix, and many start-ups have needed a second revision before shipping in volume. "
    "Lumenara said it had budgeted for one and that its funding would last into 2028.",
    "Investors in the company include two venture firms and a sovereign fund, which together put about "
    "$400 million into Lumenara last year. The company employs 210 people, most of them in Austin and in a "
    "smaller design office in Toronto, and plans to hire another fifty engineers before the chip ships.",
])


def article(**fields) -> Article:
    data = dict(
        title="Lumenara tapes out 3nm inference chip for data centres",
        excerpt="The Austin start-up says its first processor will ship next year.",
        content=NEWS_BODY,
        published_date_time=WHEN,
        provider=Provider(name="The Circuit Ledger", domain="circuitledger.com"),
        images=[Image(url="https://www.circuitledger.com/media/chip.jpg", width=1600, height=900)],
    )
    data.update(fields)
    return Article(**data)


def score(a: Article | None = None, *, tier: int | None = 1, duplicate=False, topics=2, site="en-US", **kw):
    return score_quality(a or article(), provider_tier=tier, duplicate=duplicate, topic_count=topics,
                         site_locale=site, **kw)


# -- components ----------------------------------------------------------------------------------

def test_a_good_news_article_scores_high_and_its_components_add_up():
    s = score()
    assert s.total >= 80
    assert round(sum(s.components.values())) == s.total
    assert s.notes == []


def test_provider_tier_orders_the_score():
    totals = [score(tier=t).total for t in (1, 2, 3, 4, 5)]
    assert totals == sorted(totals, reverse=True) and totals[0] > totals[-1]
    assert score(tier=None).components["provider"] == 0


@pytest.mark.parametrize("title, flag", [
    ("You won't believe what this AI chip can do", "you won't believe"),
    ("This one trick makes any GPU faster", "this one trick"),
    ("Shocking results from the new model", "shocking"),
    ("Nvidia's new chip is here!!", "!!"),
    ("10 ways AI will change your job", "listicle"),
    ("Top 7 reasons to buy an AI PC", "listicle"),
    ("Is this the end of the GPU?", "question"),
    ("NVIDIA UNVEILS ITS FASTEST CHIP EVER", "all caps"),
])
def test_clickbait_headlines_lose_points(title, flag):
    s = score(article(title=title))
    assert s.components["title"] < 0
    assert flag in s.details["title"]
    assert s.total < score().total


def test_acronyms_are_not_shouting():
    assert not is_shouting("AWS and NVIDIA bring GPU instances to the EU")
    assert is_shouting("BREAKING: MASSIVE OUTAGE HITS CLOUD GIANT")


def test_short_and_truncated_bodies_lose_points():
    teaser = "Lumenara said on Tuesday it had taped out a 3nm chip. Continue reading"
    s = score(article(content=teaser))
    assert s.components["body"] < 0 and s.components["completeness"] < 0
    cut = score(article(content=NEWS_BODY + " The company said its next chip…"))
    assert cut.components["completeness"] < 0
    assert score().components["completeness"] == 0


def test_missing_date_and_image_cost_points():
    s = score(article(published_date_time=None, images=[]))
    assert s.components["date"] < 0 and s.components["image"] == 0
    assert {"no publication date", "no lead image"} <= set(s.notes)
    small = score(article(images=[Image(url="https://x.example/i.png", width=120, height=80)]))
    assert small.components["image"] == 0 and "too small" in small.details["image"]
    unsized = score(article(images=[Image(url="https://x.example/i.png")]))
    assert 0 < unsized.components["image"] < score().components["image"]


def test_boilerplate_lines_are_estimated_and_cost_points():
    furniture = "\n".join([
        "We use cookies to improve your experience. Accept all",
        "Subscribe to our newsletter",
        "Share this article",
        "Home", "News", "Tech", "Business",
        "© 2026 The Circuit Ledger. All rights reserved.",
    ])
    assert boilerplate_share(NEWS_BODY) == 0
    assert boilerplate_share(furniture) == 1
    s = score(article(content=NEWS_BODY + "\n\n" + furniture))
    assert s.components["boilerplate"] < 0


PRESS = """BOSTON, Oct. 5, 2026 /PRWireHub/ -- Veridane Analytics, a leading innovator in revenue intelligence, \
today announced PipelineSense, a revolutionary AI-powered sales forecasting platform with industry-leading \
accuracy and world-class machine learning.

FOR IMMEDIATE RELEASE

About Veridane Analytics

Veridane Analytics is a pioneer in AI-driven revenue intelligence.

Media contact:
Jillian Roark
press@veridane.example"""


def test_a_press_release_is_not_published():
    s = score(article(title="Veridane Launches PipelineSense", content=PRESS), tier=None)
    assert s.components["press_release"] <= -36
    for signal in ("today announced", "about the company", "media contact", "wire dateline", "superlatives"):
        assert signal in s.details["press_release"]
    assert s.total < 55


def test_one_press_signal_in_news_is_forgiven():
    quoted = NEWS_BODY + "\n\nThe company today announced a second design win."
    assert score(article(content=quoted)).components["press_release"] == 0


RESEARCH = """The global AI Chip Market size was valued at USD 71.3 billion in 2025, growing at a CAGR of 34% \
during the forecast period 2024-2032. Key players in the AI Chip Market include Nvidia, Google and Halden Silicon.

Request a free sample of the AI Chip Market report."""


def test_an_on_topic_market_research_page_scores_low():
    page = article(title="AI Chip Market Size, Share & Trends Report 2024-2032", content=RESEARCH)
    s = score(page, tier=None, topics=2)
    assert s.components["topics"] > 0  # on topic, and still spam
    assert s.components["market_research"] <= -50
    assert s.total < 30
    assert not is_published(s.total, topics=2, duplicate=False)


def test_a_paywall_stub_is_not_published_even_from_a_top_provider():
    stub = ("The clip was 41 seconds long and sounded exactly like the candidate.\n\n"
            "Subscribe to The Sentinel Review to continue reading. Already a subscriber? Sign in.")
    s = score(article(content=stub), tier=1)
    assert s.components["paywall"] < 0 and s.total < 55


def test_a_german_page_on_an_english_site_loses_points():
    german = ("Der Stuttgarter Automobilzulieferer will im kommenden Frühjahr einen Parkassistenten in Serie "
              "bringen, der Fahrzeuge in Parkhäusern ohne Fahrer einparken kann. Das teilte das Unternehmen "
              "am Mittwoch mit. Erster Kunde ist ein europäischer Autohersteller, dessen Namen es nicht nennt. ") * 5
    page = article(title="Zulieferer bringt KI-Parkassistenten in die Serie", content=german)
    assert detect_language(german) == "de"
    assert score(page, site="en-US").components["language"] < 0
    assert score(page, site="de-DE").components["language"] == 0
    assert score(page, site=None).components["language"] == 0
    assert score(site="en-GB").components["language"] == 0


def test_language_detection_knows_four_languages_and_admits_doubt():
    assert detect_language(NEWS_BODY) == "en"
    assert detect_language("Le gouvernement a annoncé que les entreprises et la recherche sont au cœur du "
                           "plan, qui sera présenté dans une semaine par le ministre.") == "fr"
    assert detect_language("El gobierno anunció que las empresas y la investigación son el centro del plan, "
                           "que se presentará en una semana por el ministro.") == "es"
    assert detect_language("GPU ASIC FPGA") is None


def test_duplicates_and_off_topic_articles_lose_points():
    assert score(duplicate=True).components["duplicate"] < 0
    assert score(topics=0).components["topics"] < 0


def test_the_score_is_clamped_to_0_100():
    s = score(article(title="AI Chip Market Size Report 2024-2032", content=RESEARCH + "\n\n" + PRESS),
              tier=5, duplicate=True, topics=0)
    assert s.total == 0 and sum(s.components.values()) < 0
    assert explain(s)[-1] == "total: 0 (clamped to 0–100)"


def test_explain_names_each_contribution():
    lines = explain(score(article(images=[])))
    assert "provider tier 1: +20" in lines
    assert "base: +30" in lines
    assert any(line.startswith("body ") and line.endswith("+15") for line in lines)
    assert not any(line.startswith("image") for line in lines)  # zero points: left out
    assert lines[-1] == f"total: {score(article(images=[])).total}"


# -- publishing rule and weights --------------------------------------------------------------

def test_publishing_rule_and_editor_override():
    assert is_published(60, topics=1, duplicate=False)
    assert not is_published(54, topics=1, duplicate=False)
    assert not is_published(90, topics=0, duplicate=False)
    assert not is_published(90, topics=1, duplicate=True)
    assert is_published(10, topics=0, duplicate=True, override=True)
    assert not is_published(99, topics=3, duplicate=False, override=False)
    assert is_published(40, topics=1, duplicate=False, threshold=40)


def test_weights_from_a_mapping():
    w = QualityWeights.from_mapping({"base": 40, "tier_points": [30, 20, 10, 0, -10], "full_words": 300})
    assert (w.base, w.tier_points, w.full_words) == (40.0, (30.0, 20.0, 10.0, 0.0, -10.0), 300)
    assert score(weights=w).components["provider"] == 30
    assert QualityWeights.from_mapping({}) == QualityWeights()


@pytest.mark.parametrize("data, key", [
    ({"bsae": 30}, "quality.bsae"),
    ({"base": "thirty"}, "quality.base"),
    ({"base": True}, "quality.base"),
    ({"full_words": 2.5}, "quality.full_words"),
    ({"short_words": -1}, "quality.short_words"),
    ({"tier_points": [1, 2, 3]}, "quality.tier_points"),
    ({"full_words": 50}, "quality.full_words"),
])
def test_weights_errors_name_the_key(data, key):
    with pytest.raises(ConfigError) as err:
        QualityWeights.from_mapping(data, source="topicwire.yaml")
    assert err.value.field == key
    assert str(err.value).startswith(f"topicwire.yaml: {key}: ")


# -- the offline newswire ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def newswire_scores() -> dict[str, list[tuple[int, dict]]]:
    """Every newswire article scored as an en-US site would: kind -> [(total, truth)]."""
    tiers = {p["domain"]: p["tier"] for p in yaml.safe_load(PROVIDERS.read_text(encoding="utf-8"))}
    by_kind: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for t in ground_truth("http://127.0.0.1:1"):
        page = Article(
            title=t["title"], excerpt=t["description"], content="\n\n".join(t["body"]),
            published_date_time=t["publishedDateTime"], provider=Provider(**t["provider"]),
            images=[Image(**t["image"])] if t["image"] else [],
        )
        s = score_quality(page, provider_tier=tiers[t["provider"]["domain"]], duplicate=bool(t["duplicate_of"]),
                          topic_count=len(t["topics"]), site_locale="en-US")
        t["tier"] = tiers[t["provider"]["domain"]]
        by_kind[t["kind"]].append((s.total, t))
    return by_kind


@pytest.mark.parametrize("kind", ["market-research", "press-release", "paywall"])
def test_newswire_spam_press_and_paywall_pages_are_not_published(newswire_scores, kind):
    scored = newswire_scores[kind]
    assert scored
    high = [(total, t["id"]) for total, t in scored if total >= 55]
    assert high == []


def test_newswire_news_from_good_providers_is_published(newswire_scores):
    good = [(total, t) for total, t in newswire_scores["news"] if t["tier"] <= 2]
    english = [total for total, t in good if t["language"] == "en"]
    assert sum(total >= 55 for total, _ in good) >= 0.85 * len(good)
    assert all(total >= 55 for total in english)
    # the German pages are good journalism in the wrong language for this site
    assert all(total < 55 for total, t in good if t["language"] == "de")


def test_newswire_ai_chip_market_report_scores_low_though_on_topic(newswire_scores):
    chips = [(total, t) for total, t in newswire_scores["market-research"] if "AI Hardware" in t["topics"]]
    assert chips and all(total < 30 for total, _ in chips)
