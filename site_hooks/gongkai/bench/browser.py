"""The browser every browser test and benchmark drives: Debian's Chromium, started the same way.

Launched through Playwright with ``executable_path=CHROMIUM`` (no browser is ever downloaded); the
flags keep it headless and off the network except for the pages it is pointed at.
``GONGKAI_CHROMIUM`` names another binary.
"""
from __future__ import annotations

import os

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
