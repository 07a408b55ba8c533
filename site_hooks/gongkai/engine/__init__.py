"""The only code that knows MkDocs (1.6) and Material for MkDocs (9.x).

Owns :mod:`.adapter` (the :class:`~.adapter.Session` that ``site_hooks/hooks.py`` forwards every
MkDocs event to, and the per-build state it holds), :mod:`.bundles` (joined stylesheets and
first-paint scripts), :mod:`.assets` (fingerprinted assets, robots.txt and the release id in the
theme), :mod:`.preview` (the red error panel of ``gongkai serve``) and :mod:`.build` (the atomic
``build_site`` and ``serve_site``: the CLI's only way in).
May import: :mod:`gongkai.pages`, :mod:`gongkai.publish`, :mod:`gongkai.data`, :mod:`gongkai.markup`,
:mod:`gongkai.rules`, :mod:`gongkai.runtime`, :mod:`gongkai.problems`. To swap the engine, replace
this package; everything below it stays.
"""
