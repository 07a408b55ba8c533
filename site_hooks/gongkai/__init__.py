"""Gongkai (公开): YAML plan files → 政府信息公开 pages.

One package per responsibility; imports only run downward (docs/architecture.md, checked by
tests/test_architecture.py)::

    cli/  bench/              entry points: argparse and printing; `gongkai bench`
    engine/   editors/        the only code that knows MkDocs; what editors run (new, import, fix)
    pages/    publish/        a checked project → HTML pages, open data, search index; releases and hosts
    data/                     YAML → a checked Project: the one schema, the one loader, the URL scheme
    markup/   rules/          a plan body as safe HTML; Chinese government rules (索引号, 文号, numerals)
    runtime/  problems.py     cores, phases, the source tree; the ``path:line`` report

``site_hooks/hooks.py`` (MkDocs' hooks) forwards every event to :mod:`gongkai.engine`.
"""
__version__ = "0.1.0"
