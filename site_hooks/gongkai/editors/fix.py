"""`gongkai validate --fix`: the safe, mechanical corrections, written back into the files.

- files saved as GBK/GB18030 are rewritten as UTF-8 (the text is unchanged);
- plans without a 索引号 get the number the build would give them, written as a new line
  after 名称, so it never changes again.
Edits are line insertions; comments and layout are kept.
"""
from __future__ import annotations

from pathlib import Path

from gongkai.data.loader import load_project
from gongkai.data.yamlio import decode


def _convert_encodings(root: Path) -> list[str]:
    done = []
    for path in sorted((root / "data").rglob("*.yml")):
        raw = path.read_bytes()
        text, errors = decode(raw)
        if text is None and errors and "GBK" in errors[0][1]:
            try:
                converted = raw.decode("gb18030")
            except UnicodeDecodeError:
                continue
            path.write_text(converted, encoding="utf-8")
            done.append(f"已把 {path.relative_to(root).as_posix()} 从 GBK 转为 UTF-8")
    return done


def _insert_index_number(path: Path, line_of_title: int, index_no: str) -> None:
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("索引号:") and line.split(":", 1)[1].strip() in ("", "~", "null", '""', "''"):
            lines[i] = f"索引号: {index_no}\n"
            break
    else:
        newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
        lines.insert(line_of_title, f"索引号: {index_no}{newline}")
    path.write_text("".join(lines), encoding="utf-8")


def fix_project(root: Path) -> list[str]:
    report = _convert_encodings(root)
    project, _ = load_project(root, drafts=True)  # a draft or an unreviewed import gets its number too (as gongkai new)
    if project is None:
        return report
    for plan in sorted(project.plans, key=lambda p: p.path):
        if plan.index_assigned:
            _insert_index_number(root / plan.path, plan.line_of.get(("名称",), 0), plan.index_no)
            report.append(f"已写入索引号 {plan.index_no} → {plan.path}")
    return report
