"""A topicwire project whose sources are the offline newswire: what
`make demo` crawls and what the serving and website tests read.

The project is made with the installed `topicwire` command, as a user
would: `init`, then the newswire's sources, its publishers as an
organization registry (their tiers count in quality), and a fetch
allow-list holding exactly the newswire's address.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from newswire.server import write_sources

CORPUS = Path(__file__).parent / "corpus"
TOPICWIRE = str(Path(sys.executable).parent / "topicwire")


def topicwire(*args: str, echo: bool = False) -> None:
    if echo:
        print(f"\n$ topicwire {' '.join(args)}", flush=True)
    done = subprocess.run([TOPICWIRE, *args], check=False, capture_output=not echo, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"topicwire {' '.join(args)} failed ({done.returncode}): {done.stderr}")


def write_organizations(folder: Path) -> None:
    """The newswire's publishers, and the companies its articles invent, as
    the project's organization registry (beside the starter registry)."""
    providers = yaml.safe_load((CORPUS / "providers.yaml").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    for p in providers:
        entry = {"id": p["id"], "name": p["name"], "kind": "publisher", "domain": p["domain"], "website": p["site"],
                 "tier": p["tier"]}
        (folder / f"{p['id']}.yaml").write_text(yaml.safe_dump(entry, sort_keys=False), encoding="utf-8")
    companies = CORPUS / "companies.yaml"
    if companies.exists():
        (folder / "newswire-companies.yaml").write_text(companies.read_text(encoding="utf-8"), encoding="utf-8")


def make_project(folder: Path, base_url: str, port: int, *, name: str = "topicwire demo", echo: bool = False,
                 extra_settings: str = "", hostile: bool = False, database: str | None = None) -> Path:
    """A new project in ``folder`` reading the newswire at ``base_url``;
    returns its settings file. ``hostile`` adds the feed whose article
    carries script injection in its title, excerpt and body; ``database``
    is a database URL (default: SQLite in the project's data folder)."""
    topicwire("init", str(folder), "--name", name, *(["--database", database] if database else []), echo=echo)
    write_sources(base_url, folder / "sources.yaml")
    if hostile:
        with (folder / "sources.yaml").open("a", encoding="utf-8") as sources:
            sources.write(yaml.safe_dump(
                [{"url": f"{base_url}/trap/script-title.xml", "name": "Injection test feed", "kind": "rss"}]
            ))
    write_organizations(folder / "organizations")
    settings = folder / "topicwire.yaml"
    # the newswire is one host on this machine: allow exactly its address,
    # and lift per-host politeness that would serialise the crawl
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + "organizations: organizations\n"
        + f"fetch:\n  allow: ['127.0.0.1:{port}']\n  per_host_delay: 0\n  per_host_concurrency: 8\n"
        + extra_settings,
        encoding="utf-8",
    )
    return settings


HOSTILE_ARTICLE = "/trap/script-title"
