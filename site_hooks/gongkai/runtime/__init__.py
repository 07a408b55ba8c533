"""How work runs: processes on every core, timed phases, where the source tree is.

Owns :mod:`.parallel` (``pmap``, ``background``, ``jobs``), :mod:`.timing` (``phase``, ``report``)
and :mod:`.paths` (``SOURCE_ROOT``). Knows nothing of plans or pages.
May import: :mod:`gongkai.problems` only (``os_error_text``). Every other package may import it.
"""
