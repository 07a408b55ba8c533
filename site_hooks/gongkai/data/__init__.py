"""YAML → a checked :class:`~gongkai.data.model.Project`: the one schema and the one loader.

Owns reading (:mod:`.yamlio`), the schema every check, editor and form uses (:mod:`.schema`), the
objects (:mod:`.model`), the URL scheme of the site (:mod:`.urls`: a plan's URL is part of the data,
and the checks for colliding output files need it), the per-file checker (:mod:`.checker`), the
loader (:mod:`.loader`) and its checks: 索引号 numbering (:mod:`.index_numbers`), slugs, paths,
bodies and output files (:mod:`.security`), targets (:mod:`.targets`), 有效性 (:mod:`.withdrawal`)
and each plan's public 修订记录 from its own 修订说明 (:mod:`.history`).
May import: :mod:`gongkai.markup`, :mod:`gongkai.rules`, :mod:`gongkai.runtime`, :mod:`gongkai.problems`.
Nothing here knows pages, templates or MkDocs.
"""
