"""Gongkai (公开): YAML plan files → 政府信息公开 pages.

The plain-Python core: :mod:`loader` (one loader, one schema), :mod:`generate`
(pages as HTML, no MkDocs), :mod:`mkdocs_site` (the MkDocs glue) and :mod:`cli`.
"""
__version__ = "0.1.0"
