"""topicwire: a self-hosted, topic-focused news curation engine."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("topicwire")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
