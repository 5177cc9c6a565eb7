"""The website's static files, shipped inside the package: what the static
publisher copies to ``static/`` and the live server serves at ``/static/``."""

from __future__ import annotations

from pathlib import Path

__all__ = ["STATIC_DIR", "STATIC_FILES", "static_file"]

STATIC_DIR = Path(__file__).parent / "static"
# every file a page may link under static/ (nothing else is published)
STATIC_FILES = ("site.css",)


def static_file(name: str) -> bytes:
    if name not in STATIC_FILES:
        raise KeyError(name)
    return (STATIC_DIR / name).read_bytes()
