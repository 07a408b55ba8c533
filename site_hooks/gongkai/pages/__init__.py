"""A checked Project → every generated page (HTML), the open-data files and the search index; no MkDocs.

Owns the component macros' environment (:mod:`.components`), the page record and the context
shared while generating (:mod:`.context`: breadcrumbs live there), the one entry point
:func:`.generate.generate` (plan pages, catalogues, 网站地图), the 目标任务 and 汇编 pages
(:mod:`.targets`), open data (:mod:`.opendata`) and the site search index (:mod:`.search`).
May import: :mod:`gongkai.data`, :mod:`gongkai.markup`, :mod:`gongkai.rules`, :mod:`gongkai.runtime`,
:mod:`gongkai.problems`. Another engine than MkDocs would call :func:`.generate.generate` as it is.
"""
