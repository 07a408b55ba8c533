"""Where the Gongkai source tree is: the one place that knows how deep this file sits.

``SOURCE_ROOT`` is the checkout holding ``site_hooks/``, ``templates/``, ``hosting/`` and the
sample ``data/`` (the package is installed in editable mode from it). Code that needs a file of
the source tree (the nginx templates, the sample data the benchmarks sample from) and the tests
ask here instead of counting ``Path(__file__).parents``, so moving a module never breaks a lookup.
A department's own project folder is another thing: the CLI finds it with ``gongkai.cli.find_root``.
"""
from __future__ import annotations

from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[3]  # site_hooks/gongkai/runtime/paths.py → the checkout
