"""Publishing the wire: static files, feeds, the website."""
