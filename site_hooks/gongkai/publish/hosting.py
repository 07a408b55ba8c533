"""The nginx configuration for a published site, rendered from hosting/nginx/*.conf.j2.

``server_block()`` is what a site operator puts in ``/etc/nginx/sites-available/``;
``standalone()`` wraps it in a whole ``nginx.conf`` (used by the tests, which run a
real nginx on 127.0.0.1). Security headers come from :mod:`gongkai.csp`, cache
lifetimes from :mod:`gongkai.deploy`, so the object-store target and nginx agree.
"""
from __future__ import annotations

import glob
import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from gongkai.publish import csp
from gongkai.publish.deploy import CACHE_ASSET, CACHE_IMMUTABLE, CACHE_PAGE
from gongkai.runtime.paths import SOURCE_ROOT

TEMPLATES = SOURCE_ROOT / "hosting" / "nginx"
MODULE_DIRS = ("/usr/lib/nginx/modules", "/usr/share/nginx/modules", "/etc/nginx/modules")
COMPRESSIBLE = ("text/css text/plain text/xml text/csv application/javascript application/json "
                "application/xml application/manifest+json image/svg+xml application/wasm")


def _quote(value: str) -> str:
    if any(c in value for c in '"\\$\n'):
        raise ValueError(f"不能放进 nginx 配置的值：{value!r}")
    return f'"{value}"'


def _env(templates: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=False, keep_trailing_newline=True,
                      undefined=StrictUndefined)
    env.filters["q"] = _quote
    return env


def brotli_module() -> str | None:
    """Path of the ngx_brotli filter module if this machine has it."""
    for folder in MODULE_DIRS:
        path = Path(folder, "ngx_http_brotli_filter_module.so")
        if path.is_file():
            return str(path)
    return None


def system_has_brotli() -> bool:
    """True when the system nginx loads ngx_brotli (Debian enables installed modules in modules-enabled/)."""
    return bool(glob.glob("/etc/nginx/modules-enabled/*brotli*"))


def server_block(root: str | Path, *, server_name: str = "_", listen: str = "80", brotli: bool | None = None,
                 templates: Path = TEMPLATES) -> str:
    """The ``server { … }`` block serving the site whose live folder (the ``current`` symlink) is ``root``."""
    return _env(templates).get_template("site.conf.j2").render(
        root=str(root), server_name=server_name, listen=listen,
        brotli=system_has_brotli() if brotli is None else brotli,
        headers=csp.headers(), admin_headers={**csp.SECURITY_HEADERS, "X-Robots-Tag": "noindex, nofollow"},
        compressible=COMPRESSIBLE, cache_immutable=CACHE_IMMUTABLE, cache_asset=CACHE_ASSET, cache_page=CACHE_PAGE)


def standalone(root: str | Path, prefix: str | Path, *, listen: str = "127.0.0.1:8070", server_name: str = "_",
               brotli: bool | None = None, access_log: str = "off", workers: int = 1,
               templates: Path = TEMPLATES) -> str:
    """A complete ``nginx.conf`` for this site alone; pid, logs and temp files go under ``prefix``."""
    module = brotli_module()
    use_brotli = bool(module) if brotli is None else (brotli and bool(module))
    modules = [module] if use_brotli else []
    server = server_block(root, server_name=server_name, listen=listen, brotli=use_brotli, templates=templates)
    # Started by root, nginx workers would switch to 'nobody' and could not read a private temp folder.
    user = "root root" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    mime = "/etc/nginx/mime.types" if Path("/etc/nginx/mime.types").is_file() else "mime.types"
    return _env(templates).get_template("standalone.conf.j2").render(
        modules=modules, user=user, workers=workers, prefix=str(prefix), mime_types=mime,
        access_log=access_log, server=server)
