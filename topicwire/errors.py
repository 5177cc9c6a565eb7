"""The one exception family the command line turns into a one-line message."""

from __future__ import annotations


class TopicwireError(Exception):
    """An error a user can act on: it names the file, URL or field at fault."""

    def __init__(self, message: str, *, source: str | None = None, field: str | None = None):
        self.source = source
        self.field = field
        self.reason = message
        parts = [p for p in (source, field) if p]
        super().__init__(": ".join([*parts, message]))


class RecordError(TopicwireError):
    """A record that cannot be read or does not validate."""


class TaxonomyError(TopicwireError):
    """A topic file that cannot be read or a taxonomy that does not hold together."""


class ConfigError(TopicwireError):
    """A missing or invalid project configuration."""


class StoreError(TopicwireError):
    """The store refused an operation (unknown topic, unknown article...)."""


class SecureError(TopicwireError):
    """Encrypted text that cannot be opened (wrong or missing key, altered or
    malformed ciphertext, another system's key) or a key ring that cannot be
    used. Its message never contains the text itself."""


class MailError(TopicwireError):
    """The mail server could not be reached or refused the message; the
    message names the server (host:port) so the setting at fault is clear."""
