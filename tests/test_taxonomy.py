from __future__ import annotations

from pathlib import Path

import pytest

from topicwire.errors import RecordError, TaxonomyError
from topicwire.taxonomy import load_taxonomy

REQUIRED = [
    "AI", "Machine Learning", "Computer Vision", "Natural Language Processing", "AI Ethics", "AI Hardware",
    "AI in Autos", "AI in Healthcare", "AI in Finance", "AI in Marketing", "AI in Sales", "AI in Education",
    "AI in Robotics", "AI in Security", "AWS AI", "Microsoft AI", "Google AI", "Meta AI", "IBM AI",
]


def test_default_taxonomy_has_the_ai_topics(taxonomy):
    names = {t.name for t in taxonomy.topics}
    assert set(REQUIRED) <= names
    assert len(taxonomy) >= 19
    for topic in taxonomy.topics:
        assert topic.taxonomy == "ai"
        assert len(topic.keywords) >= 10, topic.name
    root = taxonomy.get("AI")
    assert root.parent is None
    assert all(taxonomy.ancestors(t)[-1] == root for t in taxonomy.topics if t is not root)
    assert taxonomy.ancestors(taxonomy.get("Computer Vision"))[0].name == "Machine Learning"


def test_expand_adds_parents_most_specific_first(taxonomy):
    assert taxonomy.expand(["AI Hardware"]) == ["AI Hardware", "AI"]
    assert taxonomy.expand(["ai", "computer vision"]) == ["Computer Vision", "Machine Learning", "AI"]
    assert taxonomy.expand(["AI Hardware", "Computer Vision"]) == [
        "AI Hardware", "Computer Vision", "Machine Learning", "AI",
    ]
    # the editor's order stands where it already puts children first
    assert taxonomy.expand(["AI in Healthcare", "Computer Vision", "Machine Learning", "AI"]) == [
        "AI in Healthcare", "Computer Vision", "Machine Learning", "AI",
    ]
    with pytest.raises(RecordError, match=r"x\.md: topics\[1\]: unknown topic 'Quantum'"):
        taxonomy.expand(["AI", "Quantum"], source="x.md")


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_unknown_parent_is_an_error(tmp_path: Path):
    _write(tmp_path, "a.yaml", "taxonomy: t\n_id: a\nname: A\nparent: nowhere\n")
    with pytest.raises(TaxonomyError, match=r"a\.yaml: parent: unknown parent 'nowhere'"):
        load_taxonomy(tmp_path)


def test_cycles_are_an_error(tmp_path: Path):
    _write(tmp_path, "a.yaml", "taxonomy: t\n_id: a\nname: A\nparent: b\n")
    _write(tmp_path, "b.yaml", "taxonomy: t\n_id: b\nname: B\nparent: c\n")
    _write(tmp_path, "c.yaml", "taxonomy: t\n_id: c\nname: C\nparent: a\n")
    with pytest.raises(TaxonomyError, match=r"parent: parent cycle: a -> b -> c -> a"):
        load_taxonomy(tmp_path)


def test_duplicate_ids_and_names_are_errors(tmp_path: Path):
    _write(tmp_path, "a.yaml", "taxonomy: t\n_id: a\nname: A\n")
    _write(tmp_path, "b.yaml", "taxonomy: t\n_id: a\nname: B\n")
    with pytest.raises(TaxonomyError, match=r"b\.yaml: _id: duplicate topic id 'a' \(also in .*a\.yaml\)"):
        load_taxonomy(tmp_path)
    _write(tmp_path, "b.yaml", "taxonomy: t\n_id: b\nname: a\n")
    with pytest.raises(TaxonomyError, match=r"b\.yaml: name: duplicate topic name 'a'"):
        load_taxonomy(tmp_path)


def test_bad_topic_files_name_file_and_field(tmp_path: Path):
    _write(tmp_path, "a.yaml", "taxonomy: t\n_id: Not An Id\nname: A\n")
    with pytest.raises(TaxonomyError, match=r"a\.yaml: _id: string should match pattern"):
        load_taxonomy(tmp_path)
    _write(tmp_path, "a.yaml", "taxonomy: t\n_id: a\nname: [A\n")
    with pytest.raises(TaxonomyError, match=r"a\.yaml: broken YAML at line \d"):
        load_taxonomy(tmp_path)
    with pytest.raises(TaxonomyError, match="taxonomy folder not found"):
        load_taxonomy(tmp_path / "missing")


def test_a_file_may_hold_several_topics(tmp_path: Path):
    _write(tmp_path, "all.yaml", "- {taxonomy: t, _id: a, name: A}\n- {taxonomy: t, _id: b, name: B, parent: a}\n")
    tax = load_taxonomy(tmp_path)
    assert [t.name for t in tax.topics] == ["A", "B"]
    assert [t.name for t in tax.descendants(tax.get("A"))] == ["B"]


def test_expand_is_idempotent(taxonomy):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    names = [t.name for t in taxonomy.topics]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(names), max_size=6))
    def check(chosen):
        once = taxonomy.expand(chosen)
        assert taxonomy.expand(once) == once
        assert set(once) >= set(chosen)
        for i, name in enumerate(once):
            for parent in taxonomy.ancestors(taxonomy.get(name)):
                assert once.index(parent.name) > i

    check()
