"""`make demo`: the offline newswire crawled into a fresh project.

Starts the newswire (tests/newswire) on a free port of 127.0.0.1, makes a
project in .demo/ whose sources are the newswire's feeds, whose organization
registry gives the publishers' standing, and whose fetch allow-list holds
exactly that address; runs a cycle, shows the topics with their hottest
stories and coverage, and runs a second cycle to show conditional GET at work. Everything goes
through the installed `topicwire` command, as a user would run it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from newswire.server import Newswire, write_sources  # noqa: E402

TOPICWIRE = str(Path(sys.executable).parent / "topicwire")


def topicwire(*args: str) -> None:
    print(f"\n$ topicwire {' '.join(args)}", flush=True)
    subprocess.run([TOPICWIRE, *args], check=True)


def write_organizations(folder: Path) -> None:
    """The newswire's publishers as an organization registry, so that their
    standing (tier) counts in the quality score as a user's registry would."""
    providers = yaml.safe_load((ROOT / "tests" / "newswire" / "corpus" / "providers.yaml").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    for p in providers:
        entry = {"id": p["id"], "name": p["name"], "domain": p["domain"], "website": p["site"], "tier": p["tier"]}
        (folder / f"{p['id']}.yaml").write_text(yaml.safe_dump(entry, sort_keys=False), encoding="utf-8")


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
        write_organizations(demo / "organizations")
        settings.write_text(
            settings.read_text(encoding="utf-8")
            + "organizations: organizations\n"
            + f"fetch:\n  allow: ['127.0.0.1:{wire.port}']\n  per_host_delay: 0\n  per_host_concurrency: 8\n",
            encoding="utf-8",
        )
        config = ["--config", str(demo)]
        topicwire("run", *config)
        topicwire("topics", *config)
        topicwire("list", "--sort", "heat", "--limit", "8", *config)
        topicwire("publish", str(demo / "site"), *config)
        topicwire("run", *config)
        topicwire("publish", str(demo / "site"), *config)


if __name__ == "__main__":
    main()
