"""What a published release is and how it reaches a host; knows no Project and no MkDocs.

Owns :mod:`.release` (SOURCE_DATE_EPOCH, the release id, fingerprinted names, robots.txt),
:mod:`.csp` (the one Content-Security-Policy), :mod:`.deploy` (local folder, SSH/rsync and
S3-compatible targets with atomic switch and rollback) and :mod:`.hosting` (nginx configuration).
May import: :mod:`gongkai.runtime`, :mod:`gongkai.problems`.
"""
