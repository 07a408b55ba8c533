"""Two fixes to Material's page markup that no template block reaches (W3C Nu HTML Checker, issue 19).

Material 9.8.1 writes, in ``base.html`` between ``<body>`` and the first block::

    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">

``autocomplete`` is not allowed on a checkbox (HTML: only on text-like inputs, ``hidden`` and
``select``/``textarea``). Material sets it so that Firefox does not restore an open drawer after a
reload; Material's bundle closes the drawer on every navigation anyway. These lines are in no block
(``templates/main.html`` cannot override them) and ``base.html`` is not a partial to copy, so the
build removes the attribute from the two toggles here.

``partials/toc.html`` writes ``<label class="md-nav__title" for="__toc">``; the ``__toc`` checkbox
it names is written by ``partials/nav-item.html`` only when the page is in the navigation. On a
hand-written page outside the navigation (e.g. 网站无障碍) the label points at nothing, which the
checker reports; there its ``for`` is dropped (the label is then only the 目录 heading it looks like).

:func:`fix` is applied to every page Material renders (``Session.on_post_page``, also for the theme's
own pages such as 404.html), and to the theme shells of the generated pages (rendered once, then
filled per page).
"""
from __future__ import annotations

import re

_TOGGLE = re.compile(r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)")'
                     r' autocomplete="off">')
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def fix(html: str) -> str:
    """``html`` (a whole page) without the two markup errors described above."""
    html = _TOGGLE.sub(r"\1>", html, count=2)
    if _TOC_LABEL in html and 'id="__toc"' not in html:
        html = html.replace(_TOC_LABEL, '<label class="md-nav__title">')
    return html
