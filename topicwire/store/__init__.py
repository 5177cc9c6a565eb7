"""The store: SQLite by default, PostgreSQL by URL, one set of queries."""

from topicwire.store.db import Store

__all__ = ["Store"]
