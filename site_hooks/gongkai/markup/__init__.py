"""A plan body: Markdown → sanitised HTML, what the sanitizer removed, numbered-paragraph anchors.

Owns :mod:`.body` (Markdown, nh3 sanitizer, the allowed tags), :mod:`.removed` (the inventory of
what sanitising took out, for the editor's warning), :mod:`.anchors` (一、（一）1. … numbering read
from the HTML, ids such as ``gk-s2-n5``) and :mod:`.prime` (renders every body once on all cores).
The three memo tables of rendered bodies live here and are cleared by :func:`.prime.keep_only`
so a long preview session keeps only the current bodies.
May import: :mod:`gongkai.rules`, :mod:`gongkai.runtime`. Knows no plan, no page, no MkDocs.
"""
