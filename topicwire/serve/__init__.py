"""The live HTTP API (`topicwire serve`): the wire as JSON, feeds and cached
images read straight from the store, plus the editor's write endpoints."""

from topicwire.serve.app import create_app

__all__ = ["create_app"]
