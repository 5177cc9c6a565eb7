"""`topicwire eval` on the newswire's ground truth, with the issue's floors."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def truth_file(tmp_path_factory):
    from newswire.truth import eval_records

    path = tmp_path_factory.mktemp("eval") / "truth.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in eval_records("http://127.0.0.1:1")), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def newswire_registry(tmp_path_factory):
    """A project whose registry knows the newswire's publishers and the
    companies its articles invent (the labels name them too)."""
    from newswire.project import write_organizations

    from topicwire.taxonomy import default_taxonomy_dir

    folder = tmp_path_factory.mktemp("registry")
    (folder / "topicwire.yaml").write_text(
        f"organizations: organizations\ntaxonomy: {default_taxonomy_dir()}\n", encoding="utf-8"
    )
    write_organizations(folder / "organizations")
    return folder / "topicwire.yaml"


def test_newswire_scores_clear_the_floors(cli, truth_file, newswire_registry):
    result = cli("eval", "--truth", truth_file, "--json", "--config", newswire_registry)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["topics"]["macro_f1"] >= 0.85
    assert report["duplicates"]["f1"] >= 0.95
    assert report["stories"]["f1"] >= 0.90
    assert report["entities"]["precision"] >= 0.95 and report["entities"]["recall"] >= 0.90
    predicted = report["records_predicted"]
    assert [p["line"] for p in predicted] == list(range(1, report["records"] + 1))
    copies = [p for p in predicted if p["duplicate_of"]]
    assert copies and all(p["published"] is False for p in copies)


def test_text_report(cli, truth_file, newswire_registry):
    result = cli("eval", "--truth", truth_file, "--config", newswire_registry)
    assert result.code == 0
    assert "topics: micro-F1" in result.out and "stories (B-cubed)" in result.out and "AI Hardware" in result.out
    assert "entities: precision" in result.out


def test_titles_only_records_and_missing_truth_keys(cli, tmp_path):
    lines = [
        {"title": "Nvidia unveils a new GPU for AI training", "truth_topics": ["AI Hardware"]},
        {"title": "Local bakery wins regional bread award", "truth_topics": []},
        {"title": "Hospital deploys AI to read chest X-rays", "published": False},
    ]
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    report = json.loads(cli("eval", "--truth", path, "--json").out)
    assert report["records"] == 3
    assert report["duplicates"] is None and report["stories"] is None
    assert report["topics"]["per_topic"]["AI Hardware"]["support"] == 1
    assert "AI Hardware" in report["records_predicted"][0]["topics"]
    assert report["records_predicted"][1]["topics"] == []
    assert report["published_agreement"] is not None


@pytest.mark.parametrize(
    "line, message",
    [
        ("not json", "t.jsonl:2: not JSON"),
        ('{"excerpt": "no title"}', "t.jsonl:2: title: is required"),
        ('{"title": "x", "truth_topics": ["Knitting"]}', "t.jsonl:2: truth_topics[0]: unknown topic 'Knitting'"),
    ],
)
def test_bad_truth_lines_name_the_line(cli, tmp_path, line, message):
    path = tmp_path / "t.jsonl"
    path.write_text('{"title": "fine"}\n' + line + "\n")
    result = cli("eval", "--truth", path)
    assert result.code == 1 and message in result.err and result.err.count("\n") == 1


def test_train_writes_a_model_that_loads(cli, project, tmp_path):
    labels = tmp_path / "labels.jsonl"
    rows = [{"text": f"New AI chip number {i} speeds up inference", "topics": ["AI Hardware"]} for i in range(6)]
    rows += [{"text": f"Football club wins match number {i}", "topics": []} for i in range(6)]
    labels.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = cli("train", "--labels", labels, "--config", project)
    assert result.code == 0, result.err
    model = project.parent / "data" / "classifier" / "topics.npz"
    assert model.is_file()
    from topicwire.enrich.classifier import TopicClassifier
    from topicwire.enrich.embed import wordllama_embedder

    TopicClassifier.load(model, wordllama_embedder())


def test_story_embeddings_blend_is_calibrated(truth_file, taxonomy):
    """The words-plus-embeddings story matching, at its calibrated
    threshold, also clears the floor (words alone are the default)."""
    from topicwire.pipeline.enrichment import EnrichSettings
    from topicwire.pipeline.evaluate import evaluate, read_truth

    report = evaluate(read_truth(truth_file, taxonomy), taxonomy, settings=EnrichSettings(story_embeddings=True))
    assert report.stories.f1 >= 0.95
