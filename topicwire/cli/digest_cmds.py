"""The `topicwire digest` command."""

from __future__ import annotations
