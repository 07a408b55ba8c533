"""``python -m gongkai.cli``: the same as the ``gongkai`` command (used where .venv/bin is not on PATH)."""
import sys

from gongkai.cli import main

sys.exit(main())
