"""The command line as a user meets it: finding the project, errors, output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE


def test_version(cli):
    result = cli("--version")
    assert result.code == 0 and result.out.startswith("topicwire ")


def test_init_creates_a_project_and_refuses_to_overwrite(cli, tmp_path):
    result = cli("init", tmp_path / "p", "--name", "AI wire")
    assert result.code == 0, result.err
    for name in ("topicwire.yaml", "sources.yaml", "topics/ai.yaml", "topics/ai-hardware.yaml", "data/topicwire.db"):
        assert (tmp_path / "p" / name).exists(), name
    assert 'name: "AI wire"' in (tmp_path / "p" / "topicwire.yaml").read_text()
    again = cli("init", tmp_path / "p")
    assert again.code == 1
    assert again.err.strip() == f"error: {tmp_path / 'p' / 'topicwire.yaml'}: a project already exists here (use --force to overwrite its settings)"


def test_commands_find_the_project_by_flag_env_or_cwd(cli, project, tmp_path, monkeypatch):
    assert cli("import", EXAMPLE, "--config", project).code == 0
    assert "Digi Times" in cli("list", "--config", project).out
    assert "Digi Times" in cli("list", "--config", project.parent).out  # a folder works too
    monkeypatch.setenv("TOPICWIRE_CONFIG", str(project))
    assert "Digi Times" in cli("list").out
    monkeypatch.delenv("TOPICWIRE_CONFIG")
    monkeypatch.chdir(project.parent)
    assert "Digi Times" in cli("list").out


def test_without_a_project_commands_say_how_to_make_one(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TOPICWIRE_CONFIG", raising=False)
    result = cli("list")
    assert result.code == 1
    assert result.err.strip() == (
        "error: no topicwire.yaml here; create one with 'topicwire init [DIR]', "
        "or pass --config PATH or set TOPICWIRE_CONFIG"
    )
    monkeypatch.setenv("TOPICWIRE_CONFIG", str(tmp_path / "nope.yaml"))
    result = cli("list")
    assert "nope.yaml: no project settings file (from TOPICWIRE_CONFIG)" in result.err


def test_bad_settings_name_the_file_and_key(cli, project):
    project.write_text(project.read_text() + "colour: blue\n")
    result = cli("list", "--config", project)
    assert result.code == 1
    assert result.err.strip() == f"error: {project}: colour: is not a field of the settings file"


def test_list_show_and_topics(cli, project):
    cli("import", EXAMPLE, "--config", project)
    listed = cli("list", "--topic", "AI Hardware", "--sort", "quality", "--config", project)
    assert listed.code == 0 and "China homegrown AI chip" in listed.out and "1 of 1 articles" in listed.out
    assert "0 of 0 articles" in cli("list", "--topic", "ai-ethics", "--config", project).out
    shown = cli("show", "https://www.digitimes.com/news/a20231023PD228/us-chip-ban-china-huawei-ai-chips-alibaba-baidu-nvidia-tencent.html", "--config", project)
    assert shown.code == 0
    assert shown.out == EXAMPLE.read_text(encoding="utf-8")
    summary = cli("topics", "--config", project)
    assert summary.code == 0
    hardware = next(line for line in summary.out.splitlines() if "AI Hardware" in line)
    assert hardware.split("│")[2].strip() == "1"  # one article; imported, so no story yet


def test_usage_and_lookup_errors_are_one_line(cli, project):
    for args, expected in [
        (("list", "--sort", "colour", "--config", project), "error: --sort: unknown sort 'colour' (use date, heat or quality)"),
        (("list", "--topic", "Knitting", "--config", project), "error: unknown topic 'Knitting'"),
        (("show", "abcdef12", "--config", project), "error: abcdef12: no such article"),
        (("export", "--format", "xml", "out", "--config", project), "error: --format: unknown format 'xml' (use md or json)"),
        (("frobnicate",), "error: No such command 'frobnicate'. (see 'topicwire --help')"),
    ]:
        result = cli(*args)
        assert result.code != 0
        assert result.err.strip() == expected


def test_the_installed_command_prints_no_traceback(tmp_path):
    env = {**os.environ, "TOPICWIRE_CONFIG": str(tmp_path / "missing.yaml")}
    exe = Path(sys.executable).parent / "topicwire"
    result = subprocess.run([str(exe), "list"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_source_text_is_printed_literally_not_as_markup(cli, project, tmp_path):
    record = tmp_path / "markup.md"
    record.write_text('---\ntitle: "[bold red]Loud[/bold red] headline"\nwebUrl: "https://x.example/1"\n---\n')
    assert cli("import", record, "--config", project).code == 0
    assert "[bold red]Loud[/bold red] headline" in cli("list", "--config", project).out
