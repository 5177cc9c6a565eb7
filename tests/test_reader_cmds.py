"""Commands that read a crawled wire: explain (with alternates), providers."""

from __future__ import annotations

from sqlalchemy import select

from topicwire.store.schema import alternates, providers


def test_explain_finds_an_article_by_a_syndicated_copy_and_lists_its_alternates(cli, crawled_project):
    store = crawled_project.open_store()
    with store.connect() as conn:
        row = conn.execute(select(alternates.c.url, alternates.c.provider_name)).first()
    store.close()
    assert row is not None, "the newswire has syndicated copies"
    result = cli("explain", row.url, "--config", crawled_project.settings)
    assert result.code == 0, result.err
    assert "also published at" in result.out
    assert row.url in result.out and row.provider_name in result.out


def test_providers_lists_standing_counts_and_heat(cli, crawled_project):
    result = cli("providers", "--config", crawled_project.settings)
    assert result.code == 0, result.err
    store = crawled_project.open_store()
    with store.connect() as conn:
        names = conn.execute(select(providers.c.name)).scalars().all()
    store.close()
    assert len(names) >= 12
    for name in names:
        assert name in result.out
    assert "heat" in result.out and "tier" in result.out
