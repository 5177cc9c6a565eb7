"""`topicwire entities` and its review list, on a project fed record files."""

from __future__ import annotations

from topicwire.model import Article, Provider
from topicwire.records import write_record


def write_records(folder) -> None:  # type: ignore[no-untyped-def]
    stories = [
        ("Nvidia and startup Lumenfold team up on inference chips", "Nvidia said Lumenfold's design is promising."),
        ("Vireo Labs raises money for Nvidia-based clusters", "Vireo Labs will buy Nvidia GPUs, Jensen Huang said."),
        ("Vireo Labs opens a lab in Leeds", "The Vireo Labs team grows."),
        ("Apple harvest falls after a wet spring", "Growers in Kent picked early."),
    ]
    for n, (title, body) in enumerate(stories):
        write_record(Article(
            title=title, excerpt=body, web_url=f"https://wire.example/{n}", content=body,
            published_date_time="2026-11-20T12:00:00Z", provider=Provider(name="Wire Example", domain="wire.example"),
        ), folder / f"{n}.md")


def test_entities_listing_review_and_dismissal(cli, project, tmp_path):
    write_records(tmp_path / "records")
    assert cli("import", tmp_path / "records", "--config", project).code == 0
    # short pieces score too low for the wire: an editor puts them on it
    for n in range(4):
        assert cli("editor", "publish", f"https://wire.example/{n}", "--config", project).code == 0
    # scoring finds the entities (import stores; rescore scores)
    assert cli("rescore", "--days", "60", "--now", "2026-11-21T00:00:00Z", "--config", project).code == 0
    listed = cli("entities", "--config", project)
    assert listed.code == 0 and "nvidia" in listed.out and "apple" not in listed.out
    assert "jensen-huang" in cli("entities", "--people", "--config", project).out
    review = cli("entities", "review", "--config", project)
    assert review.code == 0
    assert "Vireo Labs" in review.out and "Lumenfold" in review.out and "Nvidia" not in review.out
    # the busiest name first: Vireo Labs is in two articles
    assert review.out.index("Vireo Labs") < review.out.index("Lumenfold")
    assert cli("entities", "dismiss", "Lumenfold", "--config", project).code == 0
    assert "Lumenfold" not in cli("entities", "review", "--config", project).out
    unknown = cli("entities", "dismiss", "Nobody Inc", "--config", project)
    assert unknown.code == 1 and "no proposed organization named 'Nobody Inc'" in unknown.err
    # a bad --now is one line naming the option
    bad = cli("rescore", "--now", "yesterday", "--config", project)
    assert bad.code == 1 and "--now" in bad.err
