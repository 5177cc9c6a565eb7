"""Run the atheris fuzz targets of this folder, each for a bounded time.

    python fuzz/run.py                      # every target, 60 s each
    python fuzz/run.py --seconds 3 urls     # one target, a short run
    python fuzz/run.py --jobs 2             # two targets at a time
    python fuzz/run.py --seconds 3 --shallow --jobs 2   # the short run in CI

Each target runs in its own process under libFuzzer with a time budget
(-max_total_time), a memory cap (-rss_limit_mb=2048) and a per-input
time-out (-timeout=10), starting from the small seed corpus in
fuzz/corpus/<target>/. What the run discovers goes to a scratch corpus
that is thrown away (--keep-corpus DIR keeps it); the seeds are never
changed. An input that crashes a target, hangs it or blows its memory is
copied to fuzz/crashes/<target>/ and named in the report; the exit status
is 1 when any target failed, else 0.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = ("feeds", "extract", "records", "urls")
# libFuzzer's names for what it writes: crash-, timeout-, oom-, leak-, slow-unit-
_ARTIFACT = re.compile(r"(?:Test unit written to|artifact_prefix='[^']*'; Test unit written to) (\S+)")
_STAT = re.compile(r"^stat::(\w+):\s*(\d+)", re.MULTILINE)
_COV = re.compile(r"\bcov: (\d+)")


@dataclass
class Outcome:
    target: str
    status: str  # "ok", "crash", "error"
    seconds: float
    executions: int = 0
    coverage: int = 0
    crashes: list[Path] = field(default_factory=list)
    detail: str = ""
    log: Path | None = None


def _command(target: str, seconds: int, work: Path, artifacts: Path) -> list[str]:
    # -rss_limit_mb: memory cap of the process; -timeout: seconds per input
    return [
        sys.executable,
        str(HERE / f"fuzz_{target}.py"),
        f"-max_total_time={seconds}",
        "-rss_limit_mb=2048",
        "-timeout=10",
        f"-artifact_prefix={artifacts}/",
        "-print_final_stats=1",
        str(work),
        str(HERE / "corpus" / target),
    ]


def _excerpt(log: str) -> str:
    """The lines that say what went wrong: the Python traceback's last
    lines, or libFuzzer's error line."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if "Uncaught Python exception" in line or line.startswith("Traceback"):
            tail = [x for x in lines[i:] if x.strip()][:40]
            return "\n".join(tail[-8:])
    errors = [x for x in lines if "ERROR:" in x or "SUMMARY:" in x]
    return "\n".join(errors[-3:]) or "\n".join(lines[-5:])


def run_target(target: str, seconds: int, scratch: Path, crash_dir: Path, *, shallow: bool = False) -> Outcome:
    work = scratch / "corpus" / target
    artifacts = scratch / "artifacts" / target
    work.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    log_path = scratch / f"{target}.log"
    started = time.monotonic()
    try:
        with log_path.open("w") as log:
            # start-up (imports, instrumentation) and loading the corpus come
            # on top of the budget; past this margin the run is stuck
            proc = subprocess.run(
                _command(target, seconds, work, artifacts), cwd=HERE.parent, stdout=log, stderr=subprocess.STDOUT,
                timeout=seconds + 180, check=False, env={**os.environ, "TOPICWIRE_FUZZ_SHALLOW": "1" if shallow else "0"},
            )
        code = proc.returncode
    except subprocess.TimeoutExpired:
        code = None
    elapsed = time.monotonic() - started
    text = log_path.read_text(errors="replace")
    outcome = Outcome(target, "ok", elapsed, log=log_path)
    stats = dict((k, int(v)) for k, v in _STAT.findall(text))
    outcome.executions = stats.get("number_of_executed_units", 0)
    covs = _COV.findall(text)
    outcome.coverage = int(covs[-1]) if covs else 0
    found = sorted(p for p in artifacts.iterdir() if p.is_file())
    if found:
        crash_dir.mkdir(parents=True, exist_ok=True)
        for path in found:
            kept = crash_dir / target / path.name
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, kept)
            outcome.crashes.append(kept)
        outcome.status = "crash"
        outcome.detail = _excerpt(text)
    elif code is None:
        outcome.status = "error"
        outcome.detail = f"no result within {seconds + 180} s"
    elif code != 0:
        outcome.status = "error"
        outcome.detail = f"exit status {code}\n{_excerpt(text)}"
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help=f"which to run (default: all of {', '.join(TARGETS)})")
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per target (default 60)")
    parser.add_argument("--jobs", type=int, default=1, help="targets run at a time (default 1)")
    parser.add_argument("--crashes", type=Path, default=HERE / "crashes",
                        help="where failing inputs are copied (default fuzz/crashes)")
    parser.add_argument("--keep-corpus", type=Path, help="copy the corpus each run grew into this folder")
    parser.add_argument("--shallow", action="store_true",
                        help="instrument topicwire only, not the parsers under it: starts in ~2 s, not ~15 (for CI)")
    args = parser.parse_args(argv)
    if args.seconds < 1:
        parser.error("--seconds must be at least 1")
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target {unknown[0]!r} (choose from {', '.join(TARGETS)})")
    targets = args.targets or list(TARGETS)

    with tempfile.TemporaryDirectory(prefix="topicwire-fuzz-") as tmp:
        scratch = Path(tmp)
        outcomes: list[Outcome] = []
        pending = list(targets)
        jobs = max(1, args.jobs)
        if jobs == 1:
            for target in pending:
                print(f"fuzzing {target} for {args.seconds} s ...", flush=True)
                outcomes.append(run_target(target, args.seconds, scratch, args.crashes, shallow=args.shallow))
        else:
            from concurrent.futures import ThreadPoolExecutor

            print(f"fuzzing {', '.join(pending)} for {args.seconds} s each, {jobs} at a time ...", flush=True)
            with ThreadPoolExecutor(jobs) as pool:
                outcomes = list(pool.map(
                    lambda t: run_target(t, args.seconds, scratch, args.crashes, shallow=args.shallow), pending
                ))
        if args.keep_corpus:
            for target in targets:
                shutil.copytree(scratch / "corpus" / target, args.keep_corpus / target, dirs_exist_ok=True)

        failed = False
        for o in outcomes:
            line = f"{o.target:8} {o.status:6} {o.seconds:6.1f} s  {o.executions:>9,} inputs  cov {o.coverage}"
            print(line)
            if o.status != "ok":
                failed = True
                for path in o.crashes:
                    print(f"    failing input: {path}")
                    print(f"    reproduce:     {sys.executable} {HERE / f'fuzz_{o.target}.py'} {path}")
                for detail in o.detail.splitlines():
                    print(f"    | {detail}")
                # the log is in the scratch folder, gone on exit: keep it with the crashes
                if o.log is not None:
                    kept = args.crashes / o.target / f"{o.target}.log"
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(o.log, kept)
                    print(f"    log:           {kept}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
