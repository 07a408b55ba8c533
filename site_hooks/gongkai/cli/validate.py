"""gongkai validate: check all data and print every problem as `path:line: 字段: 问题 — 怎么改`."""
from __future__ import annotations

import sys
from pathlib import Path

from gongkai.editors.fix import fix_project
from gongkai.data.loader import load_project


def register(sub):
    p = sub.add_parser("validate", help="检查全部数据", description="检查 data/ 下的全部文件,一次列出所有问题。")
    p.add_argument("--fix", action="store_true", help="自动修正能修正的问题:写回新分配的索引号、把 GBK 文件转为 UTF-8")
    p.add_argument("files", nargs="*", help="只报告这些文件的问题(提交前检查用);整个项目仍一起检查")
    return p


def run(args) -> int:
    if args.fix:
        for line in fix_project(args.root):
            print(line)
    project, problems = load_project(args.root)
    if getattr(args, "files", None):
        return _only(args, problems)
    if problems.items:
        print(problems.report(), file=sys.stderr if problems else sys.stdout)
    if project is None:
        return 1
    assigned = [p for p in project.plans if p.index_assigned]
    if assigned:
        print(f"提醒:{len(assigned)} 条信息还没有写入索引号(生成网站时会临时编号);运行 gongkai validate --fix 写回文件,发布后不再改变。")
        for p in assigned:
            print(f"  {p.path}: {p.index_no}")
    print(f"检查通过:{len(project.departments)} 个发布机构,{len(project.plans)} 条信息。")
    return 0


def _only(args, problems) -> int:
    """Problems of the given files (relative or absolute paths); 0 when they have none."""
    wanted = set()
    for name in args.files:
        path = (Path.cwd() / name).resolve()
        try:
            wanted.add(path.relative_to(args.root).as_posix())
        except ValueError:
            wanted.add(Path(name).as_posix())
    mine = [p for p in problems.items if p.path in wanted or (p.path and any(w.startswith(p.path + "/") for w in wanted))]
    for p in sorted(mine):
        print(p, file=sys.stderr if not p.warning else sys.stdout)
    errors = sum(1 for p in mine if not p.warning)
    if errors:
        print(f"共发现 {errors} 处错误,请逐条修改后再提交。", file=sys.stderr)
        return 1
    print(f"检查通过:{len(wanted)} 个文件。")
    return 0
