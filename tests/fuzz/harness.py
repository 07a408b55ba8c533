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
import shutil
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
        bad += schema_disagreement(root, case.target)
    seconds = time.perf_counter() - start
    if seconds > max_seconds:
        bad.append(f"took {seconds:.1f} s (limit {max_seconds} s)")
    return Outcome(case, seconds, valid, errors, bad)


def schema_disagreement(root: Path, rel: str) -> list[str]:
    """The loader takes fastjsonschema's verdict and asks jsonschema only for the messages: on the changed file
    (when it parses) the two must agree, or a broken file would pass without a message."""
    from gongkai.data.checker import VALIDATORS, is_valid
    from gongkai.data.yamlio import load_file

    path, parts = root / rel, Path(rel).parts
    kinds = {"plans": "plan", "departments": "department", "nianbao": "nianbao"}
    kind = kinds.get(parts[1]) if len(parts) > 2 and parts[0] == "data" else None
    kind = kind or (path.stem if path.stem in VALIDATORS else None)
    if kind is None or not path.is_file() or path.is_symlink():
        return []
    doc = load_file(path)
    if doc.errors or is_valid(kind, doc.data) == VALIDATORS[kind].is_valid(doc.data):
        return []
    return [f"fastjsonschema and jsonschema disagree on {rel} ({kind})"]


def run_import_case(root: Path, work: Path, name: str, content: bytes, max_seconds: float) -> list[str]:
    """Run ``gongkai import`` in-process on one input; what must hold: exit 0, 1 or 2, never a
    traceback, a Chinese message when it is not 0, within ``max_seconds``; and when the input
    could be read, every line of it is in a plan or in the report."""
    import contextlib
    import io
    from collections import Counter

    from gongkai.cli import main
    from gongkai.editors import migration
    from gongkai.editors.errors import ImportFailed
    from gongkai.editors.importer import _clean, read_document

    bad: list[str] = []
    work.mkdir(parents=True, exist_ok=True)
    path = work / name
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--root", str(root), "import", str(path), "--dept", "skjj", "--out", str(work / "out"), "--date", "2024-01-02"])
    except BaseException as exc:  # noqa: BLE001 - the point of the test
        return ["gongkai import raised:\n" + "".join(traceback.format_exception(exc))]
    seconds = time.perf_counter() - start
    if code not in (0, 1, 2):
        bad.append(f"exit code {code}")
    if "Traceback" in out.getvalue() + err.getvalue():
        bad.append("a traceback in the output")
    if code and not CJK.search(err.getvalue()):
        bad.append(f"exit {code} without a Chinese message: {err.getvalue()[:200]!r}")
    if seconds > max_seconds:
        bad.append(f"took {seconds:.1f} s")
    if path.suffix.lower() not in (".csv", ".xlsx"):
        try:
            source = migration.read_source(path)
        except (ImportFailed, ValueError, LookupError, OSError):
            source = None
        if source is not None:
            lines = [pl.text for pl in source.page.lines] if source.page else read_document(path)[0]
            whole = Counter(re.sub(r"\s+", "", "".join(_clean(x) for x in lines)))
            kept = Counter(re.sub(r"\s+", "", "".join("".join(d.kept) for d in source.result.drafts)))
            dropped = Counter(re.sub(r"\s+", "", "".join(d.text for d in source.result.dropped)))
            if whole != kept + dropped:
                bad.append(f"lines lost or invented: {dict((whole - (kept + dropped)).most_common(5))} "
                           f"{dict(((kept + dropped) - whole).most_common(5))}")
    shutil.rmtree(work, ignore_errors=True)
    return bad
