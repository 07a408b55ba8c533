"""Validation problems: one line each, ``path:line: 字段: 问题 — 怎么改``, like a linter.

The same problems can be rendered for CI (``gongkai validate --format``): GitHub Actions
workflow commands (``::error file=…,line=…::…``, shown as annotations on the changed lines of
a pull request) and a GitLab Code Quality report (JSON, shown in the merge request widget).
"""
from __future__ import annotations

import errno
import hashlib
import json
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.what}"

    @property
    def what(self) -> str:
        """The line without its place: ``字段: 问题 — 怎么改``."""
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text += f" — {self.hint}"
        if self.warning:
            text += "（提醒，不影响生成）"
        return text


@dataclass
class Problems:
    """Collects problems across a whole run, so every mistake is reported at once."""

    items: list[Problem] = field(default_factory=list)
    # Plans whose files exist but failed their own checks: references to them are not reported
    # again as "not found" (the file's own errors say what to fix).
    unavailable: set[str] = field(default_factory=set)

    error_count: int = 0
    # The preview (gongkai serve, gongkai build --drafts): a draft or an unreviewed import is shown on its
    # page, marked; everywhere else (validate, build, CI) it is an error, so it cannot be published.
    drafts: bool = False
    review_count: int = 0  # of the errors, how many are drafts and unreviewed imports

    def add(self, path: str, line: int, field_: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, line or 0, field_, message, hint))
        self.error_count += 1

    def warn(self, path: str, line: int, field_: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, line or 0, field_, message, hint, warning=True))

    def review(self, path: str, line: int, field_: str, message: str, hint: str = "") -> None:
        """Something that must be reviewed before publishing: an error, or a warning in the preview."""
        if self.drafts:
            self.warn(path, line, field_, message, hint)
        else:
            self.add(path, line, field_, message, hint)
            self.review_count += 1

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if not p.warning)

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.warning)

    def __bool__(self) -> bool:  # true when there is at least one error
        return self.error_count > 0

    def report(self) -> str:
        lines = [str(p) for p in self.errors] + [str(p) for p in self.warnings]
        n = len(self.errors)
        if n:
            lines.append(f"共发现 {n} 处错误，请逐条修改后再运行 gongkai validate。")
        if n and self.review_count:
            lines.append(f"其中 {self.review_count} 处要在发布前处理（草稿、模板的“（待填写：……）”、导入时留下的“待核对”、"
                         "会被删除的 HTML）：make serve 预览中照常显示，页面顶部列出这些行。")
        return "\n".join(lines)


def _escape(text: str, prop: bool = False) -> str:
    """GitHub workflow-command escaping (the runner decodes %25, %0D, %0A; properties also %3A, %2C)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_commands(items: list[Problem], notices: list[Problem] = ()) -> list[str]:
    """One ``::error``/``::warning``/``::notice`` workflow command per problem; the message is the
    full Chinese line, so the log reads the same as ``gongkai validate``."""
    out = []
    for kind, group in (("error", [p for p in items if not p.warning]), ("warning", [p for p in items if p.warning]),
                        ("notice", list(notices))):
        for p in sorted(group):
            props = []
            if p.path:
                props.append(f"file={_escape(p.path, True)}")
                if p.line:
                    props.append(f"line={p.line}")
            props.append(f"title={_escape(p.field or '数据检查', True)}")
            out.append(f"::{kind} {','.join(props)}::{_escape(str(p))}")
    return out


def codequality(items: list[Problem], notices: list[Problem] = ()) -> str:
    """A GitLab Code Quality report (a JSON array): errors are major, warnings minor, notices info."""
    report = []
    for p in sorted([*items, *notices]):
        severity = "info" if p in notices else ("minor" if p.warning else "major")
        key = "\x1f".join((p.path, str(p.line), p.field, p.message, severity))
        report.append({
            "description": p.what,
            "check_name": f"gongkai-{p.field or '数据检查'}",
            "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
            "severity": severity,
            "location": {"path": p.path or "data", "lines": {"begin": p.line or 1}},
        })
    return json.dumps(report, ensure_ascii=False, indent=1)


_OS_ERRORS = {
    errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "磁盘配额已用完", errno.EACCES: "没有写入权限",
    errno.EPERM: "没有权限", errno.EROFS: "磁盘是只读的", errno.ENOENT: "文件或文件夹不存在",
}


def os_error_text(exc: BaseException) -> str:
    """A file-system error in Chinese (the system's own text is English on most build machines);
    anything else as its message."""
    if isinstance(exc, OSError) and exc.errno in _OS_ERRORS:
        where = f"（{exc.filename}）" if exc.filename else ""
        return _OS_ERRORS[exc.errno] + where
    return str(exc)
