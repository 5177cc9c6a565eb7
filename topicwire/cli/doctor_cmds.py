"""The `topicwire doctor` command: the project's risky settings, one line each."""

from __future__ import annotations

import typer

from topicwire.cli.app import ConfigOption, app, out
from topicwire.config import load_project
from topicwire.doctor import ERROR, INFO, OK, WARNING, diagnose


@app.command()
def doctor(config: ConfigOption = None) -> None:
    """Report insecure or risky settings (keys, editor token, exposure,
    fetching, database, mail), each with its fix; exit 1 on any error."""
    project = load_project(config)
    findings = diagnose(project)
    for finding in findings:
        # plain text: paths and values must never be read as rich markup
        out.print(finding.line(), markup=False)
    counts = {severity: sum(f.severity == severity for f in findings) for severity in (ERROR, WARNING, INFO, OK)}
    out.print(
        f"{counts[ERROR]} error(s), {counts[WARNING]} warning(s), {counts[INFO]} note(s), {counts[OK]} ok "
        f"in {project.config_path}",
        markup=False,
    )
    if counts[ERROR]:
        raise typer.Exit(1)
