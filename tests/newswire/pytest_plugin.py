"""Fixtures of the offline newswire (filled in with the newswire server)."""
