"""The offline newswire's corpus holds together: every article names a real
provider, valid topics and a story, and the corpus has the cases the later
stages are evaluated on."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).parent / "newswire" / "corpus"
KINDS = {"news", "press-release", "market-research", "paywall", "syndicated", "opinion", "off-topic"}


@pytest.fixture(scope="module")
def corpus():
    providers = {p["id"]: p for p in yaml.safe_load((CORPUS / "providers.yaml").read_text())}
    articles = []
    for path in sorted(CORPUS.glob("*/*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for article in doc["articles"]:
            story = doc["story"] if doc["story"] != "single" else article["id"]
            articles.append({**article, "story": story, "file": path.name})
    return providers, articles


def test_articles_are_complete_and_consistent(corpus, taxonomy):
    providers, articles = corpus
    ids = Counter(a["id"] for a in articles)
    assert [i for i, n in ids.items() if n > 1] == []
    by_id = {a["id"]: a for a in articles}
    for a in articles:
        where = f"{a['file']}:{a['id']}"
        assert a["provider"] in providers, where
        assert a["kind"] in KINDS, where
        assert a["language"] in ("en", "de"), where
        assert a["title"].strip() and a["body"].strip() and a["description"].strip(), where
        assert len(a["description"]) <= 300, where
        assert a["published"][-6] in "+-" or a["published"].endswith("Z"), where
        assert taxonomy.expand(a["topics"]) == a["topics"], where  # valid, parents present, ordered
        if a["kind"] == "syndicated":
            source = by_id[a["syndicated_from"]]
            assert source["story"] == a["story"] and source["topics"] == a["topics"], where
    slugs = Counter((a["provider"], a["slug"]) for a in articles)
    assert [s for s, n in slugs.items() if n > 1] == []


def test_corpus_has_the_cases_the_issue_asks_for(corpus):
    providers, articles = corpus
    assert len(articles) >= 150
    assert len({a["provider"] for a in articles}) >= 8
    covered = defaultdict(set)
    for a in articles:
        if a["kind"] != "syndicated":
            covered[a["story"]].add(a["provider"])
    assert sum(1 for p in covered.values() if len(p) >= 3) >= 20
    kinds = Counter(a["kind"] for a in articles)
    for kind in ("syndicated", "press-release", "market-research", "paywall", "off-topic"):
        assert kinds[kind] >= 5, kind
    assert sum(1 for a in articles if a["language"] == "de") >= 5
