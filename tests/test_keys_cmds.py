"""`topicwire decrypt`, `keys init|list|rotate|retire` and the encrypted
export, as a user runs them; a rotation killed with SIGKILL and resumed."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from topicwire.model import Article, Provider
from topicwire.records import read_record, write_record
from topicwire.secure import KeyRing, load_key_file

from conftest import EXAMPLE
from databases import every_row, integrity, project_store, query

TOPICWIRE = str(Path(sys.executable).parent / "topicwire")
SENTENCE = "The quartz lantern whispered seventeen riddles to the sleeping harbour."


def body(n: int) -> str:
    return f"Dispatch {n} begins.\n\n{SENTENCE}\n\nThe end of dispatch {n}."


def write_records(folder: Path, n: int) -> dict[str, str]:
    """n record files with a body; returns webUrl -> body."""
    texts = {}
    for i in range(n):
        url = f"https://harbour.example/news/{i}"
        write_record(
            Article(
                title=f"Harbour dispatch {i}", excerpt=f"Lead of dispatch {i}.", web_url=url,
                original_url=f"https://feeds.harbour.example/item/{i}?utm_source=feed",
                published_date_time="2026-11-01T12:00:00Z",
                provider=Provider(name="Harbour Times", domain="harbour.example"), topics=["AI Hardware"],
                content=body(i),
            ),
            folder / f"{i:03d}.md",
        )
        texts[url] = body(i)
    return texts


def key_ids(project: Path) -> dict[str, int]:
    return dict(query(project, "SELECT key_id, COUNT(*) FROM articles WHERE key_id IS NOT NULL GROUP BY key_id"))


@pytest.fixture
def filled(cli, project, tmp_path) -> tuple[Path, dict[str, str]]:
    texts = write_records(tmp_path / "records", 12)
    result = cli("import", tmp_path / "records", "--config", project)
    assert result.code == 0, result.err
    return project, texts


def test_init_makes_a_private_key_file_and_force_keeps_it(cli, tmp_path):
    assert cli("init", tmp_path / "p").code == 0
    keys = tmp_path / "p" / "keys.json"
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    assert "keys: keys.json" in (tmp_path / "p" / "topicwire.yaml").read_text()
    before = keys.read_bytes()
    again = cli("init", tmp_path / "p", "--force")
    assert again.code == 0 and "(kept;" in again.out
    assert keys.read_bytes() == before


def test_decrypt_by_id_prefix_web_url_and_original_url(cli, filled):
    project, texts = filled
    url = "https://harbour.example/news/3"
    article_id = query(project, f"SELECT id FROM articles WHERE web_url = '{url}'")[0][0]
    # the original URL is stored without its tracking parameters
    assert query(project, f"SELECT original_url FROM articles WHERE web_url = '{url}'") == [
        ("https://feeds.harbour.example/item/3",)
    ]
    for key in (article_id, article_id[:8], url, "https://feeds.harbour.example/item/3"):
        result = cli("decrypt", key, "--config", project)
        assert result.code == 0, result.err
        assert result.out == texts[url] + "\n"
    assert query(project, "SELECT COUNT(*) FROM articles WHERE content IS NOT NULL") == [(0,)]
    with project_store(project) as store, store.connect() as conn:
        assert SENTENCE.encode() not in every_row(conn)


def test_decrypt_of_a_foreign_record_says_another_system_sealed_it(cli, project):
    assert cli("import", EXAMPLE, "--config", project).code == 0
    result = cli("decrypt", read_record(EXAMPLE).web_url, "--config", project)
    assert result.code == 1 and result.out == ""
    [line] = result.err.strip().splitlines()
    assert line.startswith("error: ") and "encrypted by another system's key" in line


def test_decrypt_of_a_tampered_record_is_one_line_and_no_text(cli, filled):
    project, _texts = filled
    [(secured,)] = query(project, "SELECT secured FROM articles WHERE web_url LIKE '%/news/1'")
    data, nonce = secured.split(";")
    flipped = ("B" if data[5] == "A" else "A").join((data[:5], data[6:]))
    query(project, "UPDATE articles SET secured = :s WHERE web_url LIKE '%/news/1'", {"s": f"{flipped};{nonce}"})
    # and a whole ciphertext moved onto another record
    query(
        project,
        "UPDATE articles SET secured = (SELECT secured FROM articles WHERE web_url LIKE '%/news/4')"
        " WHERE web_url LIKE '%/news/5'",
    )
    for url in ("https://harbour.example/news/1", "https://harbour.example/news/5"):
        result = cli("decrypt", url, "--config", project)
        assert result.code == 1 and result.out == ""
        [line] = result.err.strip().splitlines()
        assert "does not decrypt with key" in line and "altered" in line


def test_export_writes_the_sealed_text_never_the_plain_text(cli, filled, tmp_path, init_project):
    project, _texts = filled
    assert cli("import", EXAMPLE, "--config", project).code == 0
    assert cli("export", tmp_path / "md", "--config", project).code == 0
    assert cli("export", tmp_path / "json", "--format", "json", "--config", project).code == 0
    files = [p for p in (tmp_path / "md").rglob("*") if p.is_file()] + list((tmp_path / "json").glob("*.json"))
    assert len(files) >= 14
    everything = "".join(p.read_text(encoding="utf-8") for p in files)
    assert SENTENCE not in everything and "Dispatch 3 begins" not in everything
    ring = load_key_file(project.parent / "keys.json")
    records = [read_record(p) for p in (tmp_path / "md").rglob("*.md")]
    ours = [r for r in records if r.web_url.startswith("https://harbour.example/")]
    assert len(ours) == 12 and all(r.content is None and r.secured_key == ring.active_id for r in ours)
    [foreign] = [r for r in records if r not in ours]
    assert foreign.secured == read_record(EXAMPLE).secured and foreign.secured_key is None
    items = [item for p in (tmp_path / "json").glob("*.json") for item in json.loads(p.read_text())["value"]]
    assert all("content" not in i and i["secured"] for i in items)
    # what was exported comes back in whole and still opens with the project's keys
    other = init_project(tmp_path / "other")
    (other.parent / "keys.json").write_bytes((project.parent / "keys.json").read_bytes())
    assert cli("import", tmp_path / "md", "--config", other).code == 0
    result = cli("decrypt", "https://harbour.example/news/7", "--config", other)
    assert result.code == 0 and result.out == body(7) + "\n"


def test_rotate_re_encrypts_every_record_and_retire_then_drops_the_old_key(cli, filled):
    project, texts = filled
    keys = project.parent / "keys.json"
    old = load_key_file(keys).active_id
    assert key_ids(project) == {old: 12}
    listed = cli("keys", "list", "--config", project)
    assert listed.code == 0 and old in listed.out and "active" in listed.out
    refused = cli("keys", "retire", old, "--config", project)
    assert refused.code == 1 and "is the active key" in refused.err
    result = cli("keys", "rotate", "--batch", "5", "--config", project)
    assert result.code == 0, result.err
    ring = load_key_file(keys)
    assert ring.active_id != old and ring.ids == [ring.active_id, old]
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    assert "re-encrypted 12 records" in result.out
    assert key_ids(project) == {ring.active_id: 12}
    for url, text in texts.items():
        assert cli("decrypt", url, "--config", project).out == text + "\n"
    assert cli("keys", "retire", old, "--config", project).code == 0
    assert load_key_file(keys).ids == [ring.active_id]
    assert cli("decrypt", "https://harbour.example/news/0", "--config", project).out == texts[
        "https://harbour.example/news/0"
    ] + "\n"


def test_retire_refuses_a_key_that_still_seals_records(cli, filled):
    project, _texts = filled
    keys = project.parent / "keys.json"
    old = load_key_file(keys).active_id
    # a new active key put in by hand: the records are still on the old one
    from topicwire.secure import write_key_file

    write_key_file(keys, load_key_file(keys).rotated())
    result = cli("keys", "retire", old, "--config", project)
    assert result.code == 1 and "12 records are still sealed with key" in result.err
    listed = cli("keys", "list", "--config", project)
    assert "12 records are not sealed with the active key yet" in listed.out


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TOPICWIRE, *args], capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


def test_a_rotation_killed_with_sigkill_resumes_without_loss(cli, project, tmp_path):
    texts = write_records(tmp_path / "records", 40)
    assert cli("import", tmp_path / "records", "--config", project).code == 0
    keys = project.parent / "keys.json"
    first = load_key_file(keys).active_id
    crash = {"TOPICWIRE_TEST_CRASH_AFTER_BATCHES": "2"}
    killed = run("keys", "rotate", "--batch", "4", "--config", str(project), env=crash)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    second = load_key_file(keys).active_id
    assert second != first
    assert key_ids(project) == {second: 8, first: 32}  # two batches of four committed, the rest as it was
    # the next `keys rotate` finishes this rotation instead of starting another
    again = run("keys", "rotate", "--batch", "4", "--config", str(project), env=crash)
    assert again.returncode == -signal.SIGKILL
    assert "not sealed with the active key" in again.stdout
    assert load_key_file(keys).active_id == second and key_ids(project) == {second: 16, first: 24}
    kills = 2
    while True:
        resumed = run("keys", "rotate", "--resume", "--batch", "4", "--config", str(project), env=crash)
        if resumed.returncode == 0:
            break
        assert resumed.returncode == -signal.SIGKILL
        kills += 1
        assert kills < 20
    assert kills == 5 and load_key_file(keys).ids == [second, first]
    assert key_ids(project) == {second: 40}
    assert integrity(project) == []
    assert query(project, "SELECT COUNT(*) FROM articles") == [(40,)]
    for url, text in texts.items():
        result = cli("decrypt", url, "--config", project)
        assert result.code == 0 and result.out == text + "\n", url


def test_a_project_without_a_key_file_is_told_what_to_do(cli, project, tmp_path):
    (project.parent / "keys.json").unlink()
    write_records(tmp_path / "records", 2)
    result = cli("import", tmp_path / "records", "--config", project)
    assert result.code == 1
    assert "no key file: run 'topicwire keys init'" in result.err and len(result.err.strip().splitlines()) == 1
    made = cli("keys", "init", "--config", project)
    assert made.code == 0 and stat.S_IMODE((project.parent / "keys.json").stat().st_mode) == 0o600
    assert cli("import", tmp_path / "records", "--config", project).code == 0
    assert cli("keys", "init", "--config", project).code == 1  # never overwrites keys


def test_a_key_file_others_can_read_is_refused(cli, project, monkeypatch):
    monkeypatch.delenv("TOPICWIRE_ALLOW_OPEN_KEY_FILE", raising=False)
    (project.parent / "keys.json").chmod(0o644)
    result = cli("decrypt", "abcd1234", "--config", project)
    assert result.code == 1 and "open to group or others (mode 0644)" in result.err
    monkeypatch.setenv("TOPICWIRE_ALLOW_OPEN_KEY_FILE", "1")
    allowed = cli("decrypt", "abcd1234", "--config", project)
    assert "warning:" in allowed.err and "no such article" in allowed.err


def test_keys_from_the_environment(cli, project, tmp_path, monkeypatch):
    (project.parent / "keys.json").unlink()
    ring = KeyRing.generate()
    monkeypatch.setenv("TOPICWIRE_KEYS", ring.to_env())
    texts = write_records(tmp_path / "records", 3)
    assert cli("import", tmp_path / "records", "--config", project).code == 0
    assert key_ids(project) == {ring.active_id: 3}
    url = next(iter(texts))
    assert cli("decrypt", url, "--config", project).out == texts[url] + "\n"
    refused = cli("keys", "rotate", "--config", project)
    assert refused.code == 1 and "put a new key first in it yourself" in refused.err
    # the operator puts a new key first, then moves the records onto it
    rotated = ring.rotated()
    monkeypatch.setenv("TOPICWIRE_KEYS", rotated.to_env())
    assert cli("keys", "rotate", "--resume", "--config", project).code == 0
    assert key_ids(project) == {rotated.active_id: 3}
    assert cli("decrypt", url, "--config", project).out == texts[url] + "\n"
    assert not (project.parent / "keys.json").exists()


def test_published_files_carry_the_sealed_text_only(cli, filled, tmp_path):
    project, texts = filled
    url = "https://harbour.example/news/2"
    assert cli("editor", "publish", url, "--config", project).code == 0
    result = cli("publish", tmp_path / "site", "--config", project)
    assert result.code == 0, result.err
    files = [p for p in (tmp_path / "site").rglob("*") if p.is_file() and p.suffix in (".md", ".json", ".html", ".xml", ".rss", ".atom")]
    assert any(p.suffix == ".html" for p in files)
    for p in files:
        assert SENTENCE not in p.read_text(encoding="utf-8"), p
    [record_file] = (tmp_path / "site" / "news").rglob("*.md")
    published = read_record(record_file)
    assert published.content is None and published.secured and published.secured_key
    ring = load_key_file(project.parent / "keys.json")
    assert ring.open(published.secured, key_id=published.secured_key, article_id=query(
        project, f"SELECT id FROM articles WHERE web_url = '{url}'")[0][0]) == texts[url]
