"""原网址: the addresses a plan had on the department's old platform, so old links keep working.

A plan lists its old URLs (absolute ``http(s)://…`` or a site-relative ``/path``); only the path is
used (the old host name and any ``?query`` are dropped: the old site's domain now points here). The
checks: each value is a URL or a path; two plans never claim one old path; an old path is never one of
the site's own outputs (a page, a hand-written page, a data file, an attachment). The build turns
them into the redirect map (:mod:`gongkai.pages.redirects`).
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from gongkai.data.checker import FileChecker

# Characters that cannot stand in an nginx map key or a file name even quoted; a URL carries them percent-encoded.
_UNSAFE = re.compile(r"[\s\"'\\$;{}\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_PATH = 400


class OldUrlError(ValueError):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def old_path(value: str) -> tuple[str, bool]:
    """The decoded path of an old URL ("/art/2023/3/8/art_1234_5678.html") and whether a ?query was dropped.

    Raises :class:`OldUrlError` with a Chinese message and hint."""
    text = value.strip()
    hint = "请写完整网址（例如 http://kjj.example.gov.cn/art/2023/3/8/art_1234_5678.html）或以 / 开头的路径"
    if text.startswith("//"):
        raise OldUrlError(f"“{text}”缺少 http:// 或 https://", hint)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
        parts = urlsplit(text)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise OldUrlError(f"“{text}”不是 http 或 https 网址", hint)
    elif text.startswith("/"):
        parts = urlsplit(text)
    else:
        raise OldUrlError(f"“{text}”既不是完整网址，也不是以 / 开头的路径", hint)
    path = unquote(parts.path or "/")
    if path in ("", "/"):
        raise OldUrlError(f"“{text}”是旧网站的首页，不能跳转到一个文件", "请写这个文件在旧网站上的完整网址")
    if len(path) > MAX_PATH:
        raise OldUrlError(f"路径太长（{len(path)}个字符，上限{MAX_PATH}）", hint)
    bad = _UNSAFE.search(path)
    if bad:
        shown = bad.group() if bad.group().isprintable() and not bad.group().isspace() else f"U+{ord(bad.group()):04X}"
        raise OldUrlError(f"路径中有不能用的字符“{shown}”", "空格、引号等字符请按网址的写法（%20 等）写，或检查是否多复制了内容")
    segments = path[1:].split("/")
    if any(s in (".", "..") for s in segments) or "" in segments[:-1]:
        raise OldUrlError(f"路径“{path}”含有 .、.. 或连续的 /", "请从浏览器地址栏复制原来的网址")
    return path, bool(parts.query)


def read(c: FileChecker) -> list[str]:
    """The plan's old paths, each checked; problems reported through ``c``."""
    out: list[str] = []
    for i, value in enumerate(c.doc.data.get("原网址") or []):
        if not isinstance(value, str) or not value.strip():
            continue  # the schema reported it
        try:
            path, had_query = old_path(value)
        except OldUrlError as exc:
            c.error(("原网址", i), exc.message, exc.hint)
            continue
        if had_query:
            c.problems.warn(c.rel, c.doc.line(("原网址", i)), c.label(("原网址", i)),
                            f"网址中“?”后面的部分不参与跳转，只有路径 {path} 跳转到本页",
                            "旧平台用同一路径加不同参数区分文件时，只能给其中一个文件写这个网址")
        if path in out:
            c.error(("原网址", i), f"路径 {path} 重复列出", "请删除这一项")
            continue
        out.append(path)
    return out


def output_of(url: str) -> set[str]:
    """The request paths (under the site root, without the leading /) that reach the site-relative ``url``."""
    if url.endswith("/") or url == "":
        return {url, url.rstrip("/"), url + "index.html"}
    return {url}


def check(plans, known_outputs: dict[str, str], base_path: str, problems) -> None:
    """Two plans never claim one old path; no old path is one of the site's outputs.

    ``known_outputs`` maps each site-relative URL the build writes to what writes it (for the message);
    ``base_path`` is the path the site lives under ("/" or "/kjj/")."""
    claimed: dict[str, tuple[str, int, str]] = {}
    taken: dict[str, str] = {}
    for url, what in known_outputs.items():
        for path in output_of(url):
            taken.setdefault(base_path + path, what)
    for plan in sorted(plans, key=lambda p: p.path):
        for i, path in enumerate(plan.old_paths):
            line = plan.line_of.get(("原网址", i)) or plan.line_of.get(("原网址",), 0)
            if path in claimed:
                other = claimed[path]
                problems.add(plan.path, line, f"原网址.第{i + 1}项",
                             f"旧路径 {path} 已经由“{other[2]}”（{other[0]}:{other[1]}）使用",
                             "一个旧网址只能跳转到一个文件，请核对两边的原网址，删除写错的一项")
                continue
            claimed[path] = (plan.path, line, plan.title)
            if path in taken:
                problems.add(plan.path, line, f"原网址.第{i + 1}项",
                             f"旧路径 {path} 就是本站的{taken[path]}的网址，跳转后那个页面就打不开了",
                             "请删除这一项；旧网站与新网站的路径相同时不需要跳转")
