"""gongkai validate: check all data and print every problem as `path:line: 字段: 问题 — 怎么改`.

``--format github`` adds GitHub Actions annotations, ``--format gitlab-codequality`` prints a
GitLab Code Quality report on stdout (the text goes to stderr); ``--base REF`` (merge requests)
also reports 索引号 that the base branch had and this change modified or removed.
"""
from __future__ import annotations

import sys
from pathlib import Path

from gongkai.data.loader import load_project
from gongkai.editors.fix import fix_project
from gongkai.editors.numbering import published_problems
from gongkai.problems import Problem, codequality, github_commands

FORMATS = ("text", "github", "gitlab-codequality")


def register(sub):
    p = sub.add_parser("validate", help="检查全部数据", description="检查 data/ 下的全部文件，一次列出所有问题。")
    p.add_argument("--fix", action="store_true", help="自动修正能修正的问题：写回新分配的索引号、把 GBK 文件转为 UTF-8")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="输出格式：text（默认）；github（另加 GitHub Actions 注释 ::error file=…）；"
                        "gitlab-codequality（标准输出为 GitLab Code Quality 报告 JSON，文字提示改到标准错误）")
    p.add_argument("--base", default="", metavar="REF",
                   help="合并请求用：与 REF（如 origin/main）的共同祖先比较，已发布的索引号不得修改或删除")
    p.add_argument("files", nargs="*", help="只报告这些文件的问题（提交前检查用）；整个项目仍一起检查")
    return p


def run(args) -> int:
    fmt = getattr(args, "format", "text")
    text_out = sys.stderr if fmt == "gitlab-codequality" else sys.stdout
    if args.fix:
        for line in fix_project(args.root):
            print(line, file=text_out)
    project, problems = load_project(args.root)
    if getattr(args, "base", "") and project is not None:
        published_problems(args.root, args.base, project.plans, problems)
    assigned = [p for p in project.plans if p.index_assigned] if project is not None else []
    if getattr(args, "files", None):
        wanted = _wanted(args)
        items = [p for p in problems.items if p.path in wanted or (p.path and any(w.startswith(p.path + "/") for w in wanted))]
        assigned = [p for p in assigned if p.path in wanted]
        code = _report_files(items, len(wanted), text_out if fmt != "text" else None)
    else:
        items = problems.items
        code = _report_all(project, problems, assigned, text_out)
    notices = [Problem(p.path, p.line_of.get(("名称",), 1), "索引号", f"新信息还没有索引号，预览中临时为 {p.index_no}",
                       "合并到主分支后由 CI 自动编号并写回文件，不必手工填写") for p in assigned]
    if fmt == "github":
        for line in github_commands(items, notices):
            print(line)
    elif fmt == "gitlab-codequality":
        print(codequality(items, notices))
    return code


def _report_all(project, problems, assigned, out) -> int:
    if problems.items:
        print(problems.report(), file=sys.stderr if problems else out)
    if project is None or problems:
        return 1
    if assigned:
        print(f"提醒：{len(assigned)} 条信息还没有写入索引号（预览和生成网站时临时编号）；合并到主分支后 CI 会自动编号并写回文件"
              "（也可以运行 gongkai validate --fix），发布后不再改变。", file=out)
        for p in assigned:
            print(f"  {p.path}: {p.index_no}", file=out)
    print(f"检查通过：{len(project.departments)} 个发布机构，{len(project.plans)} 条信息。", file=out)
    return 0


def _wanted(args) -> set[str]:
    """The given files as paths relative to the project (relative or absolute arguments)."""
    wanted = set()
    for name in args.files:
        path = (Path.cwd() / name).resolve()
        try:
            wanted.add(path.relative_to(args.root).as_posix())
        except ValueError:
            wanted.add(Path(name).as_posix())
    return wanted


def _report_files(mine, count: int, out=None) -> int:
    """Problems of the given files; 0 when they have none."""
    for p in sorted(mine):
        print(p, file=sys.stderr if not p.warning else (out or sys.stdout))
    errors = sum(1 for p in mine if not p.warning)
    if errors:
        print(f"共发现 {errors} 处错误，请逐条修改后再提交。", file=sys.stderr)
        return 1
    print(f"检查通过：{count} 个文件。", file=out or sys.stdout)
    return 0
