import socket

import numpy as np
import pytest

from topicwire.enrich import embed
from topicwire.model import Article


def test_wordllama_loads_and_embeds_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network touched while loading or embedding")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    requests = pytest.importorskip("requests")
    monkeypatch.setattr(requests.Session, "request", refuse)
    embed.wordllama_embedder.cache_clear()
    # a missing file must not fall back to the hub either
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = embed.wordllama_embedder()
    vectors = model.embed(["AI chips for data centres", "Kartoffelchips", ""])
    assert vectors.shape == (3, model.dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert embed.wordllama_embedder() is model


def test_embedder_protocol_and_empty_input():
    model = embed.wordllama_embedder()
    assert isinstance(model, embed.Embedder)
    assert model.embed([]).shape == (0, model.dim)


def test_article_text_is_title_lead_and_start_of_body():
    article = Article(title="Title", excerpt="Lead.", content="x" * 5000)
    text = embed.article_text(article, body_chars=100)
    assert text.startswith("Title\nLead.\n")
    assert text.count("x") == 100
    assert embed.article_text(Article(title="Only")) == "Only"
