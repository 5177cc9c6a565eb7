"""The `topicwire serve` command."""

from __future__ import annotations
