"""What readers see: the website pages and the feeds, rendered from the store
the same way for static publishing and for the live server."""
