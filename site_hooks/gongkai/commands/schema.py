"""gongkai schema: write the editor's JSON Schema files (for VS Code autocompletion) into schema/."""
from __future__ import annotations

import json

from ..loader import load_project
from ..schema import SCHEMAS, editor_schema


def register(sub):
    p = sub.add_parser("schema", help="生成编辑器用的 JSON Schema", description="把数据格式写成 schema/*.schema.json,供 VS Code 自动补全和检查。")
    return p


def run(args) -> int:
    project, _ = load_project(args.root)
    vocab = {}
    if project is not None:
        vocab = {"组配分类": [c.name for c in project.categories], "主题分类": [t.name for t in project.topics],
                 "有效性": [v.name for v in project.validity]}
    out = args.root / "schema"
    out.mkdir(exist_ok=True)
    for kind in SCHEMAS:
        path = out / f"{kind}.schema.json"
        path.write_text(json.dumps(editor_schema(kind, vocab), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"已写入 {path.relative_to(args.root)}")
    return 0
