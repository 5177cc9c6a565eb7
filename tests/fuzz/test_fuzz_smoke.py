"""The atheris fuzz targets (fuzz/) run briefly: each starts, takes its seed
corpus and mutates it for a few seconds without a crash. `make fuzz` runs
them for a minute each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")

ROOT = Path(__file__).resolve().parents[2]


def test_every_fuzz_target_runs_briefly_without_a_crash(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "run.py"), "--seconds", "3", "--shallow", "--jobs", "2", "--crashes", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = result.stdout
    for target in ("feeds", "extract", "records", "urls"):
        line = next(x for x in report.splitlines() if x.startswith(target))
        assert " ok " in line and " 0 inputs" not in line, line
