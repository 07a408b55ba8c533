"""What the editors' tools raise when a document cannot be read at all (its message is in Chinese).

Below both readers (:mod:`gongkai.editors.importer` for text, :mod:`gongkai.editors.docx` for Word),
so neither imports the other for it.
"""
from __future__ import annotations


class ImportFailed(Exception):
    """A document that cannot be read at all (wrong type, damaged file); message in Chinese."""
