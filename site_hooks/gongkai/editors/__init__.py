"""What editors run besides the build: new plan files, importing Word/text plans, automatic fixes.

Owns :mod:`.planfile` (writing a plan file that reads back the same), :mod:`.importer` (text →
plan drafts), :mod:`.docx` (Word → text lines with their numbering), :mod:`.import_targets`
(targets found in the text), :mod:`.fix` (``gongkai validate --fix``) and :mod:`.numbering`
(the fix run by CI after a merge: commit, push, retry; published numbers checked in merge requests).
May import: :mod:`gongkai.data`, :mod:`gongkai.markup`, :mod:`gongkai.rules`, :mod:`gongkai.runtime`,
:mod:`gongkai.problems`. Never the engine: an editor's tool works without MkDocs.
"""
