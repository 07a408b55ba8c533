"""``gongkai bench``: synthetic projects, measured builds, the comparison with MkDocs + Material.

Owns :mod:`.run` (the benchmark), :mod:`.synth` (the ONE synthetic-project generator, used by
``gongkai bench`` and ``scripts/bench_search.py``) and :mod:`.browser` (the Chromium every browser
test and benchmark drives). It runs the product through ``subprocess``, as a user would.
May import: :mod:`gongkai.data`, :mod:`gongkai.rules`, :mod:`gongkai.runtime`, :mod:`gongkai.problems`.
Only :mod:`gongkai.cli.bench` imports it.
"""
