"""Body text of real news pages stays close to what it was measured at.

Ten pages of the fundus evaluation set (../shared/benchmarks/fundus-eval,
outside the repository; skipped where it is absent), one per publisher,
with the token F1 each reached when the extractor was tuned
(bench/extract.py gives the full picture). A page may lose a fifth of its
score before this fails: trafilatura or a page-reading rule changing is
allowed, an article going missing is not.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from topicwire.ingest.extract import extract

FUNDUS = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "fundus-eval"
MEASURED = {
    "APNews_0.html.gz": 0.999,
    "CNBC_1.html.gz": 0.927,
    "FoxNews_3.html.gz": 0.936,
    "LATimes_4.html.gz": 0.998,
    "Reuters_1.html.gz": 0.989,
    "TheGuardian_0.html.gz": 0.979,
    "TheIndependent_2.html.gz": 1.000,
    "TheNation_3.html.gz": 0.909,
    "TheNewYorker_0.html.gz": 0.994,
    "iNews_2.html.gz": 0.986,
}
ALLOWED_LOSS = 0.8

pytestmark = pytest.mark.skipif(not (FUNDUS / "ground_truth.json").exists(), reason=f"{FUNDUS} not found")


def token_f1(predicted: str, gold: str) -> float:
    """Lower-cased \\w+ tokens compared as multisets, as bench/extract.py does."""
    p = Counter(re.findall(r"\w+", predicted.lower()))
    g = Counter(re.findall(r"\w+", gold.lower()))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((FUNDUS / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_body_f1_holds(truth, name):
    entry = truth[name]
    html = gzip.decompress((FUNDUS / "html" / name).read_bytes())
    result = extract(html, url=entry["url"])
    score = token_f1(result.article.content, "\n".join(entry["body"]))
    assert score >= ALLOWED_LOSS * MEASURED[name], f"{name}: F1 {score:.3f}, measured {MEASURED[name]:.3f}"
    assert result.article.title and result.article.published_date_time is not None
    assert result.article.provider is not None and result.article.web_url.startswith("https://")
