import pytest

from topicwire.enrich.keywords import KeywordMatcher
from topicwire.model import Article


@pytest.fixture(scope="module")
def matcher(taxonomy):
    return KeywordMatcher(taxonomy)


@pytest.mark.parametrize(
    "text",
    [
        "He said the Thai maid in Dubai was paid on time.",
        "The ai of the story",  # lower case is not the acronym
        "Raised, praised and mailed.",
    ],
)
def test_ai_is_a_whole_word_in_capitals(matcher, text):
    assert "AI" not in matcher.score_text(text)


@pytest.mark.parametrize("text", ["AI is here", "AI-powered tools", "AI's next step", "(AI)", "AIs compete"])
def test_ai_matches_the_word(matcher, text):
    assert "AI" in matcher.score_text(text)


def test_acronyms_are_case_sensitive_other_words_are_not(matcher):
    assert "AI in Security" not in matcher.score_text("the soc team at the social club")
    assert "AI in Security" in matcher.score_text("the SOC team")
    assert "AWS AI" in matcher.score_text("built on sagemaker")
    assert "AWS AI" in matcher.score_text("built on SAGEMAKER")
    assert "Machine Learning" in matcher.score_text("MACHINE LEARNING")


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("new GPUs", "AI Hardware"),
        ("two AI chips", "AI Hardware"),
        ("large language models", "Natural Language Processing"),
        ("self driving", "AI in Autos"),
        ("Self-Driving", "AI in Autos"),
        ("self-\ndriving", "AI in Autos"),
        ("K-12 pupils", "AI in Education"),
        ("re:Invent keynote", "AWS AI"),
        ("watsonx.ai studio", "IBM AI"),
    ],
)
def test_plurals_and_separators(matcher, text, topic):
    assert topic in matcher.score_text(text)


def test_potato_chips_are_not_hardware(matcher):
    scores = matcher.score_text("Crisp maker says potato chips and chocolate chip cookies sold well; chip shop busy.")
    assert "AI Hardware" not in scores


def test_longest_keyword_wins_at_one_place(matcher):
    assert [h.keyword for h in matcher.hits("the EU AI Act")] == ["EU AI Act"]


def test_title_counts_more_than_body_and_distinct_keywords_more_than_repeats(matcher):
    title = matcher.score(Article(title="New GPU unveiled", content="nothing"))["AI Hardware"]
    body = matcher.score(Article(title="News", content="new GPU unveiled"))["AI Hardware"]
    assert title == 3 * body
    repeated = matcher.score_text("GPU " * 40)["AI Hardware"]
    distinct = matcher.score_text("GPU TPU HBM wafer")["AI Hardware"]
    assert repeated < 3 <= distinct


def test_scanning_is_fast(matcher):
    import time

    text = "The company said its GPU cluster and robotaxi fleet grew. " * 2000
    start = time.perf_counter()
    matcher.score_text(text)
    assert time.perf_counter() - start < 2.0
