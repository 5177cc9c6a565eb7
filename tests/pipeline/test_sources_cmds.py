"""`topicwire sources`: discovery, OPML in and out, against the newswire."""

from __future__ import annotations

from topicwire.sources import load_sources

from databases import project_store


def allow_newswire(project, newswire) -> None:
    project.write_text(
        project.read_text() + f"fetch:\n  allow: ['127.0.0.1:{newswire.port}']\n  per_host_delay: 0\n"
    )


def test_add_discovers_the_feeds_a_home_page_announces(cli, project, newswire):
    allow_newswire(project, newswire)
    result = cli("sources", "add", f"{newswire.base_url}/bytefront/", "--config", project)
    assert result.code == 0, result.err
    specs = load_sources(project.parent / "sources.yaml")
    assert [(s.url, s.kind) for s in specs] == [(f"{newswire.base_url}/bytefront/atom.xml", "atom")]
    again = cli("sources", "add", f"{newswire.base_url}/bytefront/atom.xml", "--config", project)
    assert "added 0, already followed 1" in again.out


def test_add_a_feed_directly_detects_its_kind(cli, project, newswire):
    allow_newswire(project, newswire)
    assert cli("sources", "add", f"{newswire.base_url}/sentinel/feed.json", "--config", project).code == 0
    assert cli("sources", "add", f"{newswire.base_url}/harbourpost/sitemap.xml", "--config", project).code == 0
    kinds = [s.kind for s in load_sources(project.parent / "sources.yaml")]
    assert kinds == ["jsonfeed", "sitemap"]


def test_add_refuses_private_addresses_without_allow(cli, project, newswire):
    result = cli("sources", "add", f"{newswire.base_url}/bytefront/", "--config", project)
    assert result.code == 1 and "refused" in result.err and result.err.count("\n") == 1
    assert load_sources(project.parent / "sources.yaml") == []


def test_opml_import_then_export_round_trips(cli, project, newswire, tmp_path, init_project):
    import httpx

    opml = tmp_path / "in.opml"
    opml.write_bytes(httpx.get(f"{newswire.base_url}/feeds.opml").content)
    result = cli("sources", "import-opml", opml, "--config", project)
    assert result.code == 0 and "added 12, already followed 0" in result.out
    assert "added 0, already followed 12" in cli("sources", "import-opml", opml, "--config", project).out
    out = tmp_path / "out.opml"
    assert cli("sources", "export-opml", out, "--config", project).code == 0
    other = init_project(tmp_path / "other")
    back = cli("sources", "import-opml", out, "--config", other)
    assert "added 12" in back.out
    a = load_sources(project.parent / "sources.yaml")
    b = load_sources(tmp_path / "other" / "sources.yaml")
    assert [(s.url, s.kind) for s in a] == [(s.url, s.kind) for s in b]
    assert "bytefront/atom.xml" in cli("sources", "list", "--config", project).out


def test_run_command_crawls_and_summarises(cli, project, newswire):
    allow_newswire(project, newswire)
    assert cli("sources", "add", f"{newswire.base_url}/bytefront/atom.xml", "--config", project).code == 0
    first = cli("run", "--config", project)
    assert first.code == 0, first.err
    assert "feeds: fetched 1, not modified 0" in first.out
    assert "articles: new " in first.out and "skipped 0 (none)" in first.out
    second = cli("run", "--config", project)
    assert "feeds: fetched 0, not modified 1" in second.out and "articles: new 0" in second.out


def test_run_refuses_bad_durations_and_empty_sources(cli, project):
    result = cli("run", "--every", "soon", "--config", project)
    assert result.code == 1 and result.err.strip() == "error: --every: not a duration: 'soon' (use e.g. 30s, 15m, 2h, 1d)"
    empty = cli("run", "--config", project)
    assert empty.code == 1 and "no sources to follow" in empty.err


def test_durations():
    from topicwire.cli.crawl_cmds import parse_duration

    assert [parse_duration(t) for t in ("30s", "15m", "2h", "1d", "1.5h")] == [30, 900, 7200, 86400, 5400]


def test_explain_and_topics_after_a_run(cli, project, newswire):
    allow_newswire(project, newswire)
    cli("sources", "add", f"{newswire.base_url}/circuitledger/feed/", "--config", project)
    assert cli("run", "--config", project).code == 0
    listed = cli("list", "--sort", "quality", "--limit", "1", "--config", project).out
    article_id = next(word for word in listed.split() if len(word) == 10 and all(c in "0123456789abcdef" for c in word))
    explained = cli("explain", article_id, "--config", project)
    assert explained.code == 0, explained.err
    assert "quality" in explained.out and "total:" in explained.out and "published:" in explained.out
    assert "topics" in explained.out and "story:" in explained.out
    summary = cli("topics", "--config", project)
    assert summary.code == 0 and "hottest stories" in summary.out


def test_enrichment_settings_come_from_the_project(cli, project, newswire):
    allow_newswire(project, newswire)
    cli("sources", "add", f"{newswire.base_url}/bytefront/atom.xml", "--config", project)
    text = project.read_text()
    project.write_text(text + "enrichment:\n  publish_threshold: 101\n")
    bad = cli("run", "--config", project)
    assert bad.code == 1 and "enrichment.publish_threshold" in bad.err
    project.write_text(text + "enrichment:\n  quality:\n    bsae: 3\n")
    typo = cli("run", "--config", project)
    assert typo.code == 1 and "quality.bsae: unknown quality weight" in typo.err
    project.write_text(text + "enrichment:\n  publish_threshold: 100\n")
    strict = cli("run", "--config", project)
    assert strict.code == 0 and ", 0 published" in strict.out


def test_editor_choices_survive_rescoring(cli, project, newswire):
    allow_newswire(project, newswire)
    cli("sources", "add", f"{newswire.base_url}/insightreports/sitemap_index.xml", "--config", project)
    cli("sources", "add", f"{newswire.base_url}/northwind/rss.xml", "--config", project)
    assert cli("run", "--config", project).code == 0
    from topicwire.store.articles import list_articles

    def published_of(url):
        with project_store(project) as s, s.connect() as conn:
            return {a.web_url: a.published for a in list_articles(conn, limit=None)}[url]

    with project_store(project) as s, s.connect() as conn:
        rows = list_articles(conn, sort="quality", limit=None)
    spam, good = rows[-1], rows[0]
    assert spam.published is False and good.published is True
    assert cli("editor", "publish", spam.id, "--config", project).code == 0
    assert cli("editor", "hide", good.id, "--config", project).code == 0
    rescored = cli("rescore", "--days", "400", "--config", project)
    assert rescored.code == 0 and "scored: " in rescored.out
    assert published_of(spam.web_url) is True and published_of(good.web_url) is False
    assert cli("editor", "rule", spam.id, "--config", project).code == 0
    cli("rescore", "--days", "400", "--config", project)
    assert published_of(spam.web_url) is False
    bad = cli("editor", "promote", spam.id, "--config", project)
    assert bad.code == 1 and "unknown action 'promote'" in bad.err
