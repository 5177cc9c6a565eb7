"""`make demo`: the offline newswire crawled into a fresh project.

Starts the newswire (tests/newswire) on a free port of 127.0.0.1, makes a
project in .demo/ whose sources are the newswire's feeds and whose fetch
allow-list holds exactly that address, runs a cycle, shows the result, and
runs a second cycle to show conditional GET at work. Everything goes
through the installed `topicwire` command, as a user would run it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from newswire.server import Newswire, write_sources  # noqa: E402

TOPICWIRE = str(Path(sys.executable).parent / "topicwire")


def topicwire(*args: str) -> None:
    print(f"\n$ topicwire {' '.join(args)}", flush=True)
    subprocess.run([TOPICWIRE, *args], check=True)


def main() -> None:
    demo = ROOT / ".demo"
    shutil.rmtree(demo, ignore_errors=True)
    with Newswire() as wire:
        print(f"offline newswire serving on {wire.base_url}", flush=True)
        topicwire("init", str(demo), "--name", "topicwire demo")
        write_sources(wire.base_url, demo / "sources.yaml")
        settings = demo / "topicwire.yaml"
        # the newswire is one host on this machine: allow exactly its
        # address, and lift per-host politeness that would serialise it
        settings.write_text(
            settings.read_text(encoding="utf-8")
            + f"fetch:\n  allow: ['127.0.0.1:{wire.port}']\n  per_host_delay: 0\n  per_host_concurrency: 8\n",
            encoding="utf-8",
        )
        config = ["--config", str(demo)]
        topicwire("run", *config)
        topicwire("list", "--limit", "12", *config)
        topicwire("run", *config)


if __name__ == "__main__":
    main()
