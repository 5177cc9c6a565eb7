"""`topicwire doctor`: a project made by `topicwire init` is clean; each test
breaks one thing and expects the line (severity and fix) that names it."""

from __future__ import annotations

import random
import re
import secrets
import sqlite3
import string
from pathlib import Path

import pytest

from topicwire.config import load_project
from topicwire.doctor import check_database_server, token_weakness
from topicwire.model import Article, Provider
from topicwire.records import write_record
from topicwire.secure import KeyRing

from databases import query

STRONG = "k3J9-xQ2mZ7_vL8pR4tW6yB1nC5dF0gH"  # 32 characters drawn at random, fixed for the tests
ENV = ("TOPICWIRE_KEYS", "TOPICWIRE_EDITOR_TOKEN", "TOPICWIRE_ALLOW_OPEN_KEY_FILE", "TOPICWIRE_DATABASE",
       "TOPICWIRE_CONFIG", "TOPICWIRE_SMTP_PASSWORD")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clean(project: Path) -> Path:
    """A fresh project with the database private (init leaves it to the
    umask): nothing for the doctor to complain about."""
    for path in (project.parent / "data").glob("topicwire.db*"):
        path.chmod(0o600)
    return project


def doctor(cli, settings: Path):
    """Exit code, the output, and its findings as (severity, line) pairs."""
    result = cli("doctor", "--config", settings)
    lines = result.out.splitlines()
    findings = [(line.split(" ", 1)[0], line) for line in lines[:-1]]
    assert re.match(r"\d+ error\(s\), \d+ warning\(s\)", lines[-1]), result.out
    return result.code, result.out, findings


def only(findings, severity: str, needle: str) -> str:
    hits = [line for sev, line in findings if sev == severity and needle in line]
    assert len(hits) == 1, (severity, needle, findings)
    return hits[0]


def problems(findings) -> list[str]:
    return [line for severity, line in findings if severity in ("error", "warning")]


def add_settings(settings: Path, text: str) -> None:
    settings.write_text(settings.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_new_project_is_clean(cli, clean, databases):
    code, out, findings = doctor(cli, clean)
    assert code == 0, out
    assert problems(findings) == []
    assert {severity for severity, _ in findings} <= {"ok", "info"}
    only(findings, "ok", "keys.json is private, 1 key(s)")
    only(findings, "info", "editor API is off")
    only(findings, "ok", "listens on 127.0.0.1 only")
    only(findings, "ok", "no password in the settings file" if databases.postgres else "not readable by others")


@pytest.mark.sqlite_only
def test_init_leaves_the_database_to_the_umask_and_doctor_says_so(cli, project):
    db = project.parent / "data" / "topicwire.db"
    db.chmod(0o644)
    code, _, findings = doctor(cli, project)
    assert code == 0  # a warning: titles and excerpts, not the text
    line = only(findings, "warning", "others can read topicwire.db (mode 0644)")
    assert f"fix: chmod o-rwx {db}*" in line


# -- keys ---------------------------------------------------------------------------------------------------


def test_a_key_file_others_can_read_is_an_error(cli, clean):
    keys = clean.parent / "keys.json"
    keys.chmod(0o640)
    code, _, findings = doctor(cli, clean)
    assert code == 1
    line = only(findings, "error", "open to group or others (mode 0640)")
    assert line.endswith(f"fix: chmod 600 {keys}")


def test_a_missing_key_file_is_an_error(cli, clean):
    (clean.parent / "keys.json").unlink()
    code, _, findings = doctor(cli, clean)
    assert code == 1
    assert "topicwire keys init" in only(findings, "error", "no key file")


def test_keys_in_the_environment_beside_a_key_file(cli, clean, monkeypatch):
    ring = KeyRing.generate()
    monkeypatch.setenv("TOPICWIRE_KEYS", ring.to_env())
    code, out, findings = doctor(cli, clean)
    assert code == 0
    only(findings, "ok", f"1 key(s) from TOPICWIRE_KEYS, active {ring.active_id}")
    only(findings, "warning", "TOPICWIRE_KEYS is set and wins over the key file")
    # the doctor never prints a key
    assert ring.to_env().split(":", 1)[1] not in out


def test_broken_keys_in_the_environment(cli, clean, monkeypatch):
    monkeypatch.setenv("TOPICWIRE_KEYS", "just-a-word")
    code, _, findings = doctor(cli, clean)
    assert code == 1
    only(findings, "error", "TOPICWIRE_KEYS is not a key ring")


def test_the_override_for_open_key_files_is_a_warning(cli, clean, monkeypatch):
    monkeypatch.setenv("TOPICWIRE_ALLOW_OPEN_KEY_FILE", "1")
    code, _, findings = doctor(cli, clean)
    assert code == 0
    only(findings, "warning", "TOPICWIRE_ALLOW_OPEN_KEY_FILE=1")


# -- the editor token -----------------------------------------------------------------------------------------


def test_a_strong_token_from_the_environment_is_fine(cli, clean, monkeypatch):
    token = secrets.token_urlsafe(32)
    monkeypatch.setenv("TOPICWIRE_EDITOR_TOKEN", token)
    code, out, findings = doctor(cli, clean)
    assert code == 0 and problems(findings) == []
    only(findings, "ok", "editor token: from TOPICWIRE_EDITOR_TOKEN, 43 characters")
    assert token not in out


@pytest.mark.parametrize(
    "token,severity,needle",
    [
        ("change-me", "error", "a published example value"),
        ("CHANGEME", "error", "a published example value"),
        ("editor-token-0123456789abcdef", "error", "a published example value"),  # the test suite's
        ("x7Kq2Lm9", "error", "has 8 characters"),
        ("x7Kq2Lm9Pw4Rt6Yz1Bc3", "warning", "has 20 characters (want 32 or more)"),
        ("a" * 40, "warning", "only 1 distinct characters"),
        ("Qz8rT5wX0123456789abcdefghijklmnop", "warning", "a run of"),
        ("0110100110010110100101100110100101101001", "warning", "distinct characters"),
    ],
)
def test_weak_tokens(cli, clean, monkeypatch, token, severity, needle):
    monkeypatch.setenv("TOPICWIRE_EDITOR_TOKEN", token)
    code, out, findings = doctor(cli, clean)
    assert code == (1 if severity == "error" else 0)
    line = only(findings, severity, needle)
    assert "secrets.token_urlsafe(32)" in line
    # (the test's folder is named after its parameters)
    assert token not in out.replace(str(clean.parent), "<project>")


def test_a_token_in_the_settings_file(cli, clean):
    add_settings(clean, f"serve:\n  editor_token: {STRONG}\n")
    clean.chmod(0o600)
    code, out, findings = doctor(cli, clean)
    assert code == 0
    line = only(findings, "warning", "serve.editor_token is written in")
    assert "fix: move it to TOPICWIRE_EDITOR_TOKEN" in line
    only(findings, "ok", "from serve.editor_token, 32 characters")
    assert STRONG not in out


def test_a_token_in_a_settings_file_others_can_read_is_an_error(cli, clean, monkeypatch):
    add_settings(clean, f"serve:\n  editor_token: {STRONG}\n")
    clean.chmod(0o644)
    monkeypatch.setenv("TOPICWIRE_EDITOR_TOKEN", secrets.token_urlsafe(32))
    code, _, findings = doctor(cli, clean)
    assert code == 1
    assert "TOPICWIRE_EDITOR_TOKEN wins" in only(findings, "warning", "serve.editor_token is written in")
    only(findings, "error", "holds the editor token and group or others can read it (mode 0644)")


# -- exposure -------------------------------------------------------------------------------------------------


def test_a_public_interface_with_an_editor_token_needs_tls(cli, clean, monkeypatch):
    monkeypatch.setenv("TOPICWIRE_EDITOR_TOKEN", STRONG)
    add_settings(clean, "serve:\n  host: 0.0.0.0\n")
    code, _, findings = doctor(cli, clean)
    assert code == 0
    line = only(findings, "warning", "serve.host is 0.0.0.0 with an editor token set")
    assert "behind TLS termination (a reverse proxy serving https)" in line
    assert "fix: keep serve.host 127.0.0.1" in line


def test_a_public_interface_without_a_token_is_only_a_note(cli, clean):
    add_settings(clean, "serve:\n  host: 0.0.0.0\n")
    code, _, findings = doctor(cli, clean)
    assert code == 0 and problems(findings) == []
    only(findings, "info", "serve.host is 0.0.0.0: the read-only API")


def test_editor_networks_wider_than_loopback(cli, clean, monkeypatch):
    monkeypatch.setenv("TOPICWIRE_EDITOR_TOKEN", STRONG)
    add_settings(clean, "serve:\n  editor_networks: ['127.0.0.1', '192.168.1.0/24', '0.0.0.0/0']\n")
    code, _, findings = doctor(cli, clean)
    assert code == 0
    line = only(findings, "warning", "serve.editor_networks opens the editor API beyond this machine")
    assert "192.168.1.0/24, 0.0.0.0/0 (every address)" in line


def test_loopback_editor_networks_and_the_proxy_note(cli, clean, monkeypatch):
    monkeypatch.setenv("TOPICWIRE_EDITOR_TOKEN", STRONG)
    code, _, findings = doctor(cli, clean)
    assert code == 0 and problems(findings) == []
    only(findings, "ok", "the editor API answers loopback clients only")
    assert "serve.trusted_proxies" in only(findings, "info", "behind a reverse proxy on this machine")


def test_broad_trusted_proxies(cli, clean, monkeypatch):
    add_settings(clean, "serve:\n  trusted_proxies: ['10.0.0.0/8', '127.0.0.1']\n")
    code, _, findings = doctor(cli, clean)
    assert code == 0
    line = only(findings, "warning", "serve.trusted_proxies lists 10.0.0.0/8:")
    assert "127.0.0.1" not in line.split(":", 2)[1]


# -- fetching -------------------------------------------------------------------------------------------------


def test_ignoring_robots_txt(cli, clean):
    add_settings(clean, "fetch:\n  respect_robots: false\n")
    code, _, findings = doctor(cli, clean)
    assert code == 0
    assert "respect_robots: true" in only(findings, "warning", "robots.txt is ignored")


def test_fetch_allow_entries_that_open_private_ranges(cli, clean):
    add_settings(clean, "fetch:\n  allow: ['10.0.0.5:80', '[::1]:8080', 'localhost:8123', '169.254.169.254:80', "
                        "'8.8.8.8:53']\n")
    code, _, findings = doctor(cli, clean)
    assert code == 0
    only(findings, "warning", "'10.0.0.5:80' opens a private range to the crawler: 10.0.0.5 is a private address")
    only(findings, "warning", "'[::1]:8080' opens a private range to the crawler: ::1 is a loopback address")
    only(findings, "warning", "169.254.169.254 is a link-local address")
    only(findings, "warning", "'localhost:8123' exempts whatever localhost resolves to")
    # a public address is not exempted from anything: nothing to say
    assert not [line for _, line in findings if "8.8.8.8" in line]


# -- the store --------------------------------------------------------------------------------------------------


def _import_one(cli, settings: Path, tmp_path: Path) -> None:
    record = tmp_path / "records" / "one.md"
    record.parent.mkdir()
    write_record(
        Article(
            title="Harbour dispatch", excerpt="Lead of the dispatch.", web_url="https://harbour.example/news/1",
            published_date_time="2026-11-01T12:00:00Z",
            provider=Provider(name="Harbour Times", domain="harbour.example"), topics=["AI Hardware"],
            content="The quartz lantern whispered seventeen riddles to the sleeping harbour.",
        ),
        record,
    )
    assert cli("import", record, "--config", settings).code == 0
    for path in (settings.parent / "data").glob("topicwire.db*"):
        path.chmod(0o600)


def _sql(settings: Path, statement: str) -> None:
    query(settings, statement)


def test_sealed_text_is_fine(cli, clean, tmp_path):
    _import_one(cli, clean, tmp_path)
    code, _, findings = doctor(cli, clean)
    assert code == 0 and problems(findings) == []
    only(findings, "ok", "1 articles, no full text in plain")


def test_plain_text_in_the_store_is_an_error(cli, clean, tmp_path):
    _import_one(cli, clean, tmp_path)
    _sql(clean, "UPDATE articles SET content = 'left over from before encryption'")
    code, out, findings = doctor(cli, clean)
    assert code == 1
    assert "topicwire keys rotate --resume" in only(findings, "error", "1 of 1 articles keep their full text in plain")
    assert "left over" not in out
    # without a key file the fix is to make one
    (clean.parent / "keys.json").unlink()
    code, _, findings = doctor(cli, clean)
    assert code == 1
    assert "'topicwire keys init'" in only(findings, "error", "keep their full text in plain")


def test_text_sealed_with_a_key_the_ring_lacks(cli, clean, tmp_path):
    _import_one(cli, clean, tmp_path)
    _sql(clean, "UPDATE articles SET key_id = '20200101-0badc0de'")
    code, _, findings = doctor(cli, clean)
    assert code == 1
    assert "restore those keys" in only(findings, "error", "sealed with keys this project's ring lacks: 20200101-0badc0de")


@pytest.mark.sqlite_only
def test_a_store_from_before_encryption_at_rest(cli, clean, tmp_path):
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, content TEXT)")
    con.executemany("INSERT INTO articles VALUES (?, ?, ?)", [("a", "A", "plain body"), ("b", "B", None)])
    con.commit()
    con.close()
    old.chmod(0o600)
    text = clean.read_text(encoding="utf-8")
    assert "\ndatabase:\n" in text
    clean.write_text(text.replace("\ndatabase:\n", f"\ndatabase: sqlite:///{old}\n"), encoding="utf-8")
    code, _, findings = doctor(cli, clean)
    assert code == 1
    line = only(findings, "error", "the store predates encryption at rest: 1 of 2 articles")
    assert "topicwire keys init" in line
    # looked at, not migrated
    con = sqlite3.connect(old)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["articles"]
    con.close()


# -- the newsletter --------------------------------------------------------------------------------------------


def test_smtp_login_without_encryption_to_another_host(cli, clean):
    add_settings(clean, "newsletter:\n  smtp_host: mail.example.org\n  smtp_security: none\n"
                        "  smtp_username: digest@example.org\n  smtp_password_env: TOPICWIRE_SMTP_PASSWORD\n")
    code, _, findings = doctor(cli, clean)
    assert code == 0
    line = only(findings, "warning", "newsletter.smtp_security is none for mail.example.org with a username")
    assert "fix: set newsletter.smtp_security to starttls or ssl" in line
    only(findings, "info", "TOPICWIRE_SMTP_PASSWORD (newsletter.smtp_password_env) is not set here")


def test_smtp_without_encryption_on_this_machine_is_fine(cli, clean, monkeypatch):
    monkeypatch.setenv("TOPICWIRE_SMTP_PASSWORD", "whatever")
    add_settings(clean, "newsletter:\n  smtp_host: localhost\n  smtp_security: none\n"
                        "  smtp_username: digest\n  smtp_password_env: TOPICWIRE_SMTP_PASSWORD\n")
    code, _, findings = doctor(cli, clean)
    assert code == 0 and problems(findings) == []


def test_smtp_username_without_a_password_variable(cli, clean):
    add_settings(clean, "newsletter:\n  smtp_username: digest@example.org\n")
    _, _, findings = doctor(cli, clean)
    only(findings, "warning", "smtp_username is set without smtp_password_env")


def _server_lines(settings: Path, url: str, monkeypatch, env: str | None = None) -> list[tuple[str, str]]:
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"^database:.*$", f"database: {url}", text, count=1, flags=re.M), encoding="utf-8")
    if env:
        monkeypatch.setenv("TOPICWIRE_DATABASE", env)
    return [(f.severity, f.message) for f in check_database_server(load_project(settings))]


def test_a_database_server_password_belongs_in_the_environment(clean, monkeypatch):
    [(severity, message)] = _server_lines(clean, "postgresql+psycopg://wire:s3cret@127.0.0.1/wire", monkeypatch)
    assert severity == "warning" and "password is written in the settings file" in message
    assert "s3cret" not in message
    # the same URL from TOPICWIRE_DATABASE, the settings naming none: fine
    [(severity, message)] = _server_lines(
        clean, "", monkeypatch, env="postgresql+psycopg://wire:s3cret@127.0.0.1/wire"
    )
    assert severity == "ok" and "s3cret" not in message


def test_a_remote_database_server_needs_tls(clean, monkeypatch):
    [(severity, message)] = _server_lines(clean, "postgresql+psycopg://wire@db.internal.example/wire", monkeypatch)
    assert severity == "warning" and "without required TLS" in message
    lines = _server_lines(clean, "postgresql+psycopg://wire@db.internal.example/wire?sslmode=verify-full", monkeypatch)
    assert [severity for severity, _ in lines] == ["ok"]
    # a Unix socket or loopback never leaves the machine
    lines = _server_lines(clean, "postgresql+psycopg://wire@/wire?host=/run/postgresql", monkeypatch)
    assert [severity for severity, _ in lines] == ["ok"]


# -- the code -------------------------------------------------------------------------------------------------------


def test_token_weakness_heuristic():
    # tokens made the way the fix says, from a seeded generator so the test is repeatable
    rng = random.Random(6)
    urlsafe = string.ascii_letters + string.digits + "-_"
    for _ in range(200):
        assert token_weakness("".join(rng.choices(urlsafe, k=43))) is None
        assert token_weakness("".join(rng.choices("0123456789abcdef", k=64))) is None
    assert token_weakness("abcdefABCDEF0123456789zyxwvuts!!") is not None
    assert "bits" in token_weakness("1029384756" * 3 + "12")


def test_only_the_command_line_imports_the_doctor():
    package = Path(__file__).resolve().parents[1] / "topicwire"
    importers = {
        str(path.relative_to(package)) for path in package.rglob("*.py")
        if re.search(r"^\s*(from topicwire\.doctor import|from topicwire import doctor|import topicwire\.doctor)",
                     path.read_text(encoding="utf-8"), re.M)
    }
    assert importers == {"cli/doctor_cmds.py"}
