"""What readers see: the website pages and the feeds, rendered from the store
the same way for static publishing and for the live server.

- ``pages``: ``Site``, every page as a complete HTML string, and the page list
- ``urls``: the URL scheme and provider slugs
- ``sanitize``: the Jinja2 environment and the escaping and URL rules
- ``charts``: the heat chart as inline SVG
- ``images``: which cached images a page may show
- ``sitemap``, ``feeds``: sitemap.xml and RSS/Atom/JSON Feed
- ``assets``: the stylesheet the pages link (``static/``)
"""
