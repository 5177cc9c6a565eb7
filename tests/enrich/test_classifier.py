import json

import numpy as np
import pytest

from topicwire.enrich.classifier import TopicClassifier, default_classifier_path, train, train_from_file
from topicwire.errors import RecordError


class FakeEmbedder:
    """Bag of marker words: topic-specific directions, so training is
    deterministic and instant."""

    name = "fake/markers"
    dim = 8
    words = ["chip", "robot", "car", "bank", "doctor", "school", "cake", "rain"]

    def embed(self, texts):
        rows = np.array([[t.lower().count(w) for w in self.words] for t in texts], dtype=np.float32) + 0.01
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


EXAMPLES = (
    [(f"chip news {i}", ["AI Hardware"]) for i in range(10)]
    + [(f"robot news {i}", ["AI in Robotics"]) for i in range(10)]
    + [(f"car news {i}", ["AI in Autos"]) for i in range(10)]
    + [(f"cake and rain {i}", []) for i in range(10)]
)


@pytest.fixture(scope="module")
def trained(taxonomy):
    return train(EXAMPLES, FakeEmbedder(), taxonomy)


def test_train_predicts_topics_and_parents(trained):
    chip, cake = trained.predict(["a chip", "cake and rain"])
    assert chip["AI Hardware"] > trained.threshold("AI Hardware")
    assert chip["AI"] > trained.threshold("AI")
    assert chip["AI in Robotics"] < trained.threshold("AI in Robotics")
    assert cake["AI"] < trained.threshold("AI")
    assert set(chip) == set(trained.topics)


def test_save_load_round_trip(trained, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path)
    loaded = TopicClassifier.load(path, FakeEmbedder())
    assert loaded.topics == trained.topics and loaded.thresholds == trained.thresholds
    assert loaded.predict(["robot", "cake"]) == pytest.approx(trained.predict(["robot", "cake"]))


def test_load_refuses_another_embedder_and_junk(trained, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path)

    class Other(FakeEmbedder):
        name = "other"

    with pytest.raises(RecordError, match="trained with embedder fake/markers"):
        TopicClassifier.load(path, Other())
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip")
    with pytest.raises(RecordError, match="not a topic classifier"):
        TopicClassifier.load(junk)


def test_shipped_model_matches_taxonomy_and_wordllama(taxonomy):
    from topicwire.enrich.embed import WORDLLAMA_NAME

    model = TopicClassifier.load(default_classifier_path())
    assert model.embedder_name == WORDLLAMA_NAME
    assert set(model.topics) == {t.name for t in taxonomy.topics}
    assert all(0.0 < v < 1.0 for v in model.thresholds.values())


def test_train_from_file_accepts_text_and_records(tmp_path, taxonomy):
    path = tmp_path / "labels.jsonl"
    lines = [{"text": t, "topics": topics} for t, topics in EXAMPLES]
    lines.append({"title": "robot", "excerpt": "robot", "content": "robot", "topics": ["ai-in-robotics"]})
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n")
    model = train_from_file(path, taxonomy, FakeEmbedder())
    assert model.predict(["robot"])[0]["AI in Robotics"] > 0.5


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", ":2: not JSON"),
        ("[1, 2]", ":2: expected a JSON object"),
        ('{"topics": []}', ":2: text: is required"),
        ('{"text": "", "topics": []}', ":2: text: must be non-empty"),
        ('{"text": "x"}', ":2: topics: is required"),
        ('{"text": "x", "topics": "AI"}', ":2: topics: must be a list"),
        ('{"text": "x", "topics": ["AI", "Cooking"]}', ":2: topics[1]: unknown topic 'Cooking'"),
        ('{"title": 3, "topics": []}', ":2: title: must be text"),
    ],
)
def test_train_from_file_errors_name_file_line_and_field(tmp_path, taxonomy, line, message):
    path = tmp_path / "labels.jsonl"
    path.write_text('{"text": "fine", "topics": []}\n' + line + "\n")
    with pytest.raises(RecordError) as caught:
        train_from_file(path, taxonomy, FakeEmbedder())
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_training_set_covers_every_topic_and_negatives(taxonomy):
    path = default_classifier_path().with_name("training.jsonl")
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(rows) >= 400
    assert sum(1 for r in rows if not r["topics"]) >= 60
    for topic in taxonomy.topics:
        if taxonomy.children(topic):
            continue
        assert sum(topic.name in r["topics"] for r in rows) >= 15, topic.name
