"""The province portal (``gongkai portal``): reads ``portal.yml`` and the departments' published sites
(local folders or HTTP), merges their search indexes into one, and writes the portal's own pages.

``config`` (portal.yml), ``source`` (reading a department's published files), ``merge`` (one search
index over every department, incremental per department), ``render`` (home, catalogue, search page,
sitemap index, Atom feed) and ``build`` (the whole run). No MkDocs, no ``Project``: the portal only
sees what the departments published.

May import ``pages`` (the search index format and tokenizer), ``publish``, ``data``, ``markup``, ``rules``,
``runtime`` and ``problems``; only ``cli/portal.py`` imports it.
"""
