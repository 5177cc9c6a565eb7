"""Importing record files end to end through the command line."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from topicwire.model import Article, Image, Provider
from topicwire.records import write_record

from conftest import EXAMPLE
from databases import query, table_names

TOPICS = ["AI Hardware", "Computer Vision", "AI Ethics", "Google AI", "AI in Healthcare", "Natural Language Processing"]


def generate_records(folder: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        article = Article(
            title=f"Generated headline {i}: {rng.choice(['chips', 'models', 'robots'])} in the news",
            excerpt=f"Lead sentence of article {i}.",
            published_date_time=f"2026-10-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
            original_url=f"https://site{i % 9}.example/news/{i}?utm_source=feed",
            web_url=f"https://site{i % 9}.example/news/{i}",
            quality=rng.randint(20, 95),
            heat=rng.choice([-1, rng.randint(0, 300)]),
            published=rng.random() < 0.5,
            provider=Provider(name=f"Site {i % 9}", domain=f"site{i % 9}.example"),
            topics=rng.sample(TOPICS, k=rng.randint(1, 2)),
            images=[Image(url=f"https://site{i % 9}.example/img/{i}.jpg", width=1200, height=675)],
            content=f"Paragraph one of {i}.\n\nParagraph two.",
        )
        path = folder / f"{i:03d}.md"
        write_record(article, path)
        paths.append(path)
    return paths


def db_rows(project: Path) -> dict[str, list[tuple]]:
    """Every row of every table except the run log, for before/after checks."""
    return {t: sorted(query(project, f"SELECT * FROM {t}"), key=repr) for t in table_names(project) if t != "runs"}


def test_two_hundred_records_import_once_and_a_second_import_changes_nothing(cli, project, tmp_path):
    folder = tmp_path / "records"
    generate_records(folder, 200)
    first = cli("import", folder, "--config", project)
    assert first.code == 0, first.err
    assert "imported 200, updated 0, unchanged 0, skipped 0" in first.out
    before = db_rows(project)
    assert len(before["articles"]) == 200
    second = cli("import", folder, "--config", project)
    assert "imported 0, updated 0, unchanged 200, skipped 0" in second.out
    assert db_rows(project) == before


def test_a_changed_record_is_updated(cli, project, tmp_path):
    folder = tmp_path / "records"
    (path,) = generate_records(folder, 1)
    cli("import", folder, "--config", project)
    path.write_text(path.read_text().replace("Generated headline 0", "Corrected headline 0"))
    result = cli("import", folder, "--config", project)
    assert "imported 0, updated 1, unchanged 0" in result.out
    shown = cli("list", "--config", project)
    assert "Corrected headline 0" in shown.out


BAD = {
    "broken.md": ('---\ntitle: "unterminated\n---\n', "broken.md: broken YAML at line"),
    "notitle.md": ('---\nwebUrl: "https://a.example/1"\n---\n', "notitle.md: title: is required"),
    "types.md": ('---\ntitle: "T"\nwebUrl: "https://a.example/2"\nquality: "great"\n---\n', "types.md: quality: input should be a valid integer"),
    "topic.md": ('---\ntitle: "T"\nwebUrl: "https://a.example/3"\ntopics:\n  - AI\n  - Underwater Basket Weaving\n---\n', "topic.md: topics[1]: unknown topic 'Underwater Basket Weaving'"),
    "nourl.md": ('---\ntitle: "T"\n---\n', "nourl.md: webUrl: is required (or originalUrl)"),
}


def test_bad_files_are_skipped_with_file_and_field_and_store_nothing(cli, project, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name, (text, _) in BAD.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "latin1.md").write_bytes('---\ntitle: "Caf\u00e9"\n---\n'.encode("latin-1"))
    with (folder / "huge.md").open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    (folder / "good.md").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")

    result = cli("import", folder, "--config", project)
    assert result.code == 0
    assert "imported 1, updated 0, unchanged 0, skipped 7" in result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == 7
    for _, message in BAD.values():
        assert any(message in line for line in lines), (message, lines)
    assert any("latin1.md: not UTF-8 text" in line for line in lines)
    assert any("huge.md: file is 52,428,800 bytes" in line for line in lines)
    rows = db_rows(project)
    assert len(rows["articles"]) == 1 and len(rows["article_topics"]) == 2 and len(rows["images"]) == 1
    assert len(rows["providers"]) == 1


def test_only_bad_input_fails_the_command(cli, project, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\nexcerpt: x\n---\n")
    result = cli("import", bad, tmp_path / "missing", "--config", project)
    assert result.code == 1
    assert f"skipped {bad}: title: is required" in result.err
    assert "missing: no such file or folder" in result.err


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_export_then_import_elsewhere_gives_the_same_store(cli, project, tmp_path, fmt, init_project):
    generate_records(tmp_path / "records", 25)
    cli("import", tmp_path / "records", EXAMPLE, "--config", project)
    out = tmp_path / f"export-{fmt}"
    result = cli("export", "--format", fmt, out, "--config", project)
    assert result.code == 0 and "exported 26 articles" in result.out
    if fmt == "json":
        import json

        pages = sorted(out.glob("page-*.json"))
        assert len(pages) == 2
        first = json.loads(pages[0].read_text())
        assert first["page"] == 1 and first["nextPage"] == 2 and len(first["value"]) == 20
        assert json.loads(pages[1].read_text())["nextPage"] is None
        return
    other = init_project(tmp_path / "other")
    again = cli("import", out, "--config", other)
    assert "imported 26" in again.out
    a, b = db_rows(project), db_rows(other)
    strip = lambda rows: sorted(r[:17] for r in rows)  # noqa: E731 - all but the first-seen/changed times
    for x, y in zip(strip(a["articles"]), strip(b["articles"]), strict=True):
        assert x == y
    assert a["article_topics"] == b["article_topics"]
