import pytest

from topicwire.enrich.topics import STRONG_KEYWORDS, TopicScore, TopicTagger, decide, default_tagger
from topicwire.model import Article


@pytest.fixture(scope="module")
def tagger(taxonomy):
    return default_tagger(taxonomy)


def names(scores):
    return [s.name for s in scores]


def test_children_imply_parents_most_specific_first(tagger, taxonomy):
    article = Article(
        title="Radiologists and computer vision: AI reads mammograms in breast screening",
        excerpt="The hospital's medical imaging software flags cancers for a second look.",
        content="The image analysis model was trained with deep learning on mammography images.",
    )
    scores = tagger.tag(article)
    got = names(scores)
    assert {"AI in Healthcare", "Computer Vision", "Machine Learning", "AI"} <= set(got)
    assert got == taxonomy.expand(got)
    assert got.index("Computer Vision") < got.index("Machine Learning") < got.index("AI")
    assert all(isinstance(s, TopicScore) and 0 < s.confidence <= 1 for s in scores)


def test_parent_signal_when_only_implied(taxonomy):
    keywords_only = TopicTagger(taxonomy)
    scores = keywords_only.tag(Article(title="Robotaxi fleet grows", excerpt="Driverless cars and lidar."))
    by_name = {s.name: s for s in scores}
    assert names(scores) == ["AI in Autos", "AI"]
    assert by_name["AI in Autos"].signal == "keywords"
    assert by_name["AI"] == TopicScore("AI", by_name["AI in Autos"].confidence, "parent")


def test_market_research_page_about_ai_chips_is_ai_hardware(tagger):
    article = Article(
        title="AI Chip Market Size, Share & Growth Report 2027-2034",
        excerpt="The AI chip market will grow at a CAGR of 31% over the forecast period. Get a free sample.",
        content="Key players: Nvidia, a number of foundry and GPU vendors. The AI chip market report covers "
        "AI chip market share, AI chip market trends and AI chip market forecast by region. " * 5,
    )
    got = names(tagger.tag(article))
    assert got[:2] == ["AI Hardware", "AI"] or ("AI Hardware" in got and got.index("AI Hardware") < got.index("AI"))


@pytest.mark.parametrize(
    "article",
    [
        Article(
            title="Snack maker says potato chips and chocolate chip sales slipped",
            excerpt="Crisps, corn chips and cookies all sold less in the quarter.",
            content="The company said it paid more for oil. A spokesperson said the Thai and Dubai plants were busy.",
        ),
        Article(
            title="Model, 24, fronts knitwear label's winter campaign",
            excerpt="She was scouted at a train station and now walks runways in Paris.",
            content="The fashion model said her family paid for her first portfolio.",
        ),
        Article(title="Stadt beschließt neue Radwege", excerpt="Der Gemeinderat stimmte am Dienstag zu."),
    ],
)
def test_not_about_ai(tagger, article):
    assert tagger.tag(article) == []


def test_german_page_carried_by_the_classifier(tagger):
    article = Article(
        title="Klinik setzt künstliche Intelligenz bei der Auswertung von Röntgenbildern ein",
        excerpt="Eine KI-Software markiert verdächtige Befunde, Ärztinnen und Ärzte entscheiden.",
        content="Das Krankenhaus nutzt die Software seit dem Frühjahr in der Radiologie.",
    )
    scores = {s.name: s for s in tagger.tag(article)}
    assert "AI in Healthcare" in scores and "AI" in scores
    assert scores["AI in Healthcare"].signal in ("classifier", "both")


def test_tag_many_equals_tag(tagger):
    articles = [
        Article(title="Nvidia ships new GPU for AI data centres"),
        Article(title="Rain expected all weekend"),
        Article(title="Microsoft adds Copilot to Teams"),
    ]
    assert tagger.tag_many(articles) == [tagger.tag(a) for a in articles]
    assert tagger.tag_many([]) == []


def test_decide_rules():
    assert decide("T", 0.0, 0.9, 0.5) == TopicScore("T", 0.9, "classifier")
    assert decide("T", STRONG_KEYWORDS, 0.0, 0.5).signal == "keywords"
    assert decide("T", 3.0, 0.3, 0.5).signal == "both"
    assert decide("T", 3.0, 0.1, 0.5) is None
    assert decide("T", 1.0, 0.4, 0.5) is None
    both = decide("T", STRONG_KEYWORDS, 0.9, 0.5)
    assert both.signal == "both" and both.confidence == 1.0
    assert decide("T", 3.0, None, None).signal == "keywords"
    assert decide("T", 2.0, None, None) is None
