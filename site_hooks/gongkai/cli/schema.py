"""gongkai schema: write the editor's JSON Schema files (for VS Code autocompletion) into schema/."""
from __future__ import annotations

import json
import sys

from gongkai.data.loader import load_project
from gongkai.data.schema import SCHEMAS, editor_schema


def register(sub):
    p = sub.add_parser("schema", help="生成编辑器用的 JSON Schema", description="把数据格式写成 schema/*.schema.json，供 VS Code 自动补全和检查。")
    p.add_argument("--check", action="store_true", help="只检查 schema/ 是否为最新，不写文件（用于 CI 和提交前检查）")
    return p


def render(root) -> dict[str, str]:
    """File name → text of every editor schema, with today's vocabularies."""
    project, _ = load_project(root)
    vocab = {}
    if project is not None:
        from gongkai.problems import Problems
        from gongkai.data.targets import load_vocab

        targets_vocab = load_vocab(root, Problems(), needed=False)
        vocab = {"组配分类": [c.name for c in project.categories], "主题分类": [t.name for t in project.topics],
                 "有效性": [v.name for v in project.validity],
                 "指标": list(targets_vocab.indicators), "单位": list(targets_vocab.units)}
    return {f"{kind}.schema.json": json.dumps(editor_schema(kind, vocab), ensure_ascii=False, indent=2) + "\n" for kind in SCHEMAS}


def run(args) -> int:
    out = args.root / "schema"
    files = render(args.root)
    if getattr(args, "check", False):
        stale = [name for name, text in files.items()
                 if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text]
        for name in stale:
            print(f"schema/{name} 不是最新的：请运行 gongkai schema（或 make schema）后一起提交", file=sys.stderr)
        return 1 if stale else 0
    out.mkdir(exist_ok=True)
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        print(f"已写入 {path.relative_to(args.root)}")
    return 0
