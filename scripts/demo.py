"""`make demo`: the offline newswire crawled into a fresh project.

Starts the newswire (tests/newswire) on a free port of 127.0.0.1, makes a
project in .demo/ whose sources are the newswire's feeds, whose organization
registry gives the publishers' standing, and whose fetch allow-list holds
exactly that address; runs a cycle, shows the topics with their hottest
stories and coverage, runs a second cycle to show conditional GET at work, publishes the
static site, prints a newsletter digest, and serves the wire on
http://127.0.0.1:8000/ (DEMO_SERVE=0 stops before serving). Everything goes
through the installed `topicwire` command, as a user would run it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from newswire.project import make_project  # noqa: E402
from newswire.project import topicwire as run_topicwire  # noqa: E402
from newswire.server import Newswire  # noqa: E402


def topicwire(*args: str) -> None:
    run_topicwire(*args, echo=True)


# the newswire's articles are dated up to this day: the demo's digest covers
# the week before it
DIGEST_UNTIL = "2026-11-27"


def main() -> None:
    demo = ROOT / ".demo"
    shutil.rmtree(demo, ignore_errors=True)
    with Newswire() as wire:
        print(f"offline newswire serving on {wire.base_url}", flush=True)
        make_project(demo, wire.base_url, wire.port, echo=True)
        config = ["--config", str(demo)]
        topicwire("run", *config)
        topicwire("topics", *config)
        topicwire("list", "--sort", "heat", "--limit", "8", *config)
        topicwire("entities", "--limit", "8", *config)
        topicwire("entities", "review", "--limit", "5", *config)
        topicwire("publish", str(demo / "site"), *config)
        topicwire("run", *config)
        topicwire("publish", str(demo / "site"), *config)
        topicwire("digest", "--until", DIGEST_UNTIL, "--since", "7d", "--limit", "3", *config)
    # the crawl is done; the wire is served from the store alone (Ctrl-C stops)
    if os.environ.get("DEMO_SERVE", "1") != "0":
        topicwire("serve", *config)


if __name__ == "__main__":
    main()
