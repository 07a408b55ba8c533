"""Run fuzz cases in-process and check what must hold for every input.

For each case: ``load_project`` returns either a valid project or ``None`` with at
least one error; it never raises; every error names a file, has a line inside that
file and a Chinese message; a valid project holds every plan file (nothing is dropped
silently); the generator turns a valid project into pages without raising, with URLs
that stay inside the site and never collide with each other or with a hand-written
page; and the case finishes within ``max_seconds``.
"""
from __future__ import annotations

import re
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Case, applied

CJK = re.compile(r"[\u4e00-\u9fff]")
SAFE_URL = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*/)*$")


@dataclass
class Outcome:
    case: Case
    seconds: float
    valid: bool
    errors: int
    violations: list[str] = field(default_factory=list)


def plan_files(root: Path) -> set[str]:
    base = root / "data" / "plans"
    if not base.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in base.rglob("*")
            if (p.is_file() or p.is_symlink()) and not p.name.startswith(".")
            and not _attachment(p.relative_to(base).parts)}


def _attachment(parts: tuple[str, ...]) -> bool:
    """data/plans/<机构>/<年度>/<文件名>/附件/… are a plan's attachments, not plan files."""
    return len(parts) >= 5 and parts[3] == "附件"


def content_pages(root: Path) -> set[str]:
    """URLs of the hand-written pages (MkDocs directory URLs)."""
    urls = set()
    for p in (root / "content").rglob("*.md"):
        rel = p.relative_to(root / "content").as_posix()[:-3]
        if rel == "index" or rel.endswith("/index"):
            urls.add(rel[: -len("index")])
        else:
            urls.add(rel + "/")
    return urls


def check(root: Path, env, max_seconds: float) -> tuple[bool, int, list[str]]:
    from gongkai.pages.generate import generate
    from gongkai.data.loader import load_project

    bad: list[str] = []
    try:
        project, problems = load_project(root)
    except BaseException as exc:  # noqa: BLE001 - the point of the test
        return False, 0, ["load_project raised:\n" + "".join(traceback.format_exception(exc))]
    errors = problems.errors
    if project is None and not errors:
        bad.append("no project and no error")
    if project is not None and errors:
        bad.append("a project despite errors")
    for e in problems.items:
        text = str(e)
        if not e.path or "Traceback" in text or not CJK.search(e.message):
            bad.append(f"bad message: {text!r}")
        target = root / e.path
        if e.line < 0:
            bad.append(f"negative line: {text!r}")
        if target.is_file() and not target.is_symlink() and e.line:
            try:
                count = target.read_bytes().count(b"\n") + 1
            except OSError:
                count = 10**9
            if e.line > count + 1:
                bad.append(f"line {e.line} beyond the end ({count} lines): {text!r}")
    if project is None:
        return False, len(errors), bad
    loaded = {p.path for p in project.plans}
    missing = plan_files(root) - loaded
    if missing:
        bad.append(f"plan files dropped without an error: {sorted(missing)}")
    try:
        pages = generate(project, env)
    except BaseException as exc:  # noqa: BLE001
        return True, 0, bad + ["generate raised:\n" + "".join(traceback.format_exception(exc))]
    urls = [p.url for p in pages]
    dupes = {u for u in urls if urls.count(u) > 1}
    if dupes:
        bad.append(f"two generated pages share a URL: {sorted(dupes)}")
    clash = set(urls) & content_pages(root)
    if clash:
        bad.append(f"generated page collides with a hand-written page: {sorted(clash)}")
    unsafe = [u for u in urls if not SAFE_URL.match(u) or "//" in u]
    if unsafe:
        bad.append(f"unsafe output URLs: {unsafe[:5]}")
    return True, 0, bad


def run_case(root: Path, case: Case, env, max_seconds: float = 5.0) -> Outcome:
    start = time.perf_counter()
    with applied(root, case):
        valid, errors, bad = check(root, env, max_seconds)
    seconds = time.perf_counter() - start
    if seconds > max_seconds:
        bad.append(f"took {seconds:.1f} s (limit {max_seconds} s)")
    return Outcome(case, seconds, valid, errors, bad)
