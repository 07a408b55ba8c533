"""The web editor at /admin/ (Decap CMS): its config.yml generated from the one schema, and its page.

:func:`cms_config` walks :data:`gongkai.data.schema.PLAN` (and the department and vocabulary schemas), so
a field added to the schema appears in the editor with its Chinese title and help text and no other change.
What JSON Schema says is turned into what the form enforces before saving: ``required`` → required
fields, ``pattern`` → pattern, ``enum`` and ``x-vocab`` → selects filled from ``data/``, ``minLength`` /
``maxLength`` → a length pattern, ``minItems`` → ``min``. What only the validator knows (发布日期 before
生成日期, duplicate 文号, 索引号) is reported by ``gongkai validate`` on the merge request and by the
preview server.

The engine puts these files into the site (``make serve``, or ``extra.editor.with_public_site``) and
``gongkai build`` writes them into ``site-admin/`` for an intranet host; ``gongkai cms`` writes config.yml
alone. The Decap CMS JavaScript comes from the npm registry (``make cms-deps``, sha256-checked) into
``.deps/decap-cms/`` of the source tree: :func:`vendor_files` lists it.
"""
from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

import yaml

from gongkai.data import schema
from gongkai.data.model import Project
from gongkai.runtime.paths import SOURCE_ROOT

CMS_DIR = SOURCE_ROOT / ".deps" / "decap-cms"
CMS_SCRIPT = "decap-cms.js"
ADMIN_DIR = "admin"
LOCAL_BACKEND_PORT = 8081  # decap-server, started by `gongkai serve` (--cms-port, GONGKAI_CMS_PORT)


def local_backend_url() -> str:
    port = os.environ.get("GONGKAI_CMS_PORT", "").strip() or str(LOCAL_BACKEND_PORT)
    return f"http://127.0.0.1:{port}/api/v1"

# The header every plan file starts with (the same lines as `gongkai new`, gongkai.editors.planfile.HEADER):
# Decap writes a field's `comment` above it, so each save regenerates it above 标识 / 名称.
PLAN_HEADER = [
    "政府信息公开条目（工作计划）。渲染模板：templates/components/plan_page（由 site_hooks/gongkai/pages/generate.py 调用）。",
    "修改后运行：make validate（或 .venv/bin/gongkai validate），再用 make serve 预览。",
]
# Markdown toolbar: only what the body's safe subset (gongkai.markup.body.ALLOWED_TAGS) keeps; no images.
BODY_BUTTONS = ["bold", "italic", "heading-two", "heading-three", "heading-four", "quote", "bulleted-list",
                "numbered-list", "link"]
DEFAULT_BACKEND = {"name": "gitlab", "repo": "xxgk/site", "branch": "main"}


def editor_option(config: Any) -> dict[str, Any]:
    """mkdocs.yml ``extra.editor``: ``with_public_site`` (default false) and the Git ``backend``."""
    option = dict((config.get("extra") or {}).get("editor") or {})
    option["with_public_site"] = bool(option.get("with_public_site", False))
    return option


def read_editor_option(root: Path) -> dict[str, Any]:
    """:func:`editor_option` read straight from ``root/mkdocs.yml`` (for ``gongkai cms``, outside MkDocs)."""
    try:
        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        config = {}
    return editor_option(config if isinstance(config, dict) else {})


def _vocab_options(project: Project | None, root: Path | None) -> dict[str, list[dict[str, str]]]:
    """x-vocab name → select options, taken from data/ (the same lists the validator checks against)."""
    if project is None:
        return {}
    from gongkai.data.targets import load_vocab
    from gongkai.problems import Problems

    used = {c for d in project.departments.values() for c in d.categories}
    options = {
        "组配分类": [{"label": c.name, "value": c.name} for c in project.categories if c.name in used],
        "主题分类": [{"label": t.text, "value": t.name} for t in project.topics],
        "有效性": [{"label": v.name, "value": v.name} for v in project.validity],
        "发布机构": [{"label": f"{d.full_name}({d.slug})", "value": d.slug} for d in project.departments.values()],
    }
    if root is not None:
        vocab = load_vocab(root, Problems(), needed=False)
        options["指标"] = [{"label": f"{name}({i.unit})" if i.unit else name, "value": name}
                          for name, i in vocab.indicators.items()]
        options["单位"] = [{"label": name, "value": name} for name in vocab.units]
    return options


def _length_pattern(node: dict[str, Any]) -> list[str] | None:
    low, high = node.get("minLength"), node.get("maxLength")
    if low is None and high is None:
        return None
    low = low or 0
    text = f"最多 {high} 个字" if high else f"至少 {low} 个字"
    return [f"^[\\s\\S]{{{low},{high if high else ''}}}$", text]


def field_spec(name: str, node: dict[str, Any], required: bool, options: dict[str, list[dict[str, str]]],
               path: tuple[str, ...] = ()) -> dict[str, Any]:
    """One Decap field from one schema property (recursing into objects and lists)."""
    path = (*path, name)
    spec: dict[str, Any] = {"name": name, "label": node.get("title", name), "required": required}
    if node.get("description"):
        spec["hint"] = node["description"]
    types = node.get("type")
    types = types if isinstance(types, list) else [types]
    check, vocab = node.get("x-check"), node.get("x-vocab")
    if path == ("发布机构",):
        vocab = "发布机构"
    if "array" in types:
        items = node.get("items", {})
        spec["widget"] = "list"
        if node.get("minItems"):
            spec["min"] = node["minItems"]
        if items.get("type") == "object":
            spec["fields"] = object_fields(items, options, path)
            spec["summary"] = "{{fields." + next(iter(items["properties"])) + "}}"
            spec["add_to_top"] = False
        elif items.get("x-vocab") in options:
            spec.update(widget="select", multiple=True, options=options[items["x-vocab"]])
        else:
            spec["field"] = {"name": "项", "label": spec["label"], "widget": "string"}
        return spec
    if "object" in types:
        spec.update(widget="object", fields=object_fields(node, options, path))
        return spec
    if "boolean" in types:
        spec.update(widget="boolean", default=False)
        return spec
    if "number" in types:
        spec.update(widget="number", value_type="float")
        return spec
    if path == ("相关文件", "文件"):
        # A relation to the other plans: the entry's slug is its path under data/plans (机构/年度/文件名).
        spec.update(widget="relation", collection="plans", value_field="{{slug}}", search_fields=["名称"],
                    display_fields=["名称"])
        return spec
    if node.get("enum"):
        spec.update(widget="select", options=list(node["enum"]))
        return spec
    if vocab and vocab in options:
        spec.update(widget="select", options=options[vocab])
        return spec
    if check == "date":
        spec.update(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD", time_format=False)
        return spec
    if check == "time":
        spec.update(widget="datetime", format="HH:mm", date_format=False, time_format="HH:mm")
        return spec
    if path == ("正文",):
        spec.update(widget="markdown", buttons=BODY_BUTTONS, editor_components=[], modes=["rich_text", "raw"])
    else:
        spec["widget"] = "text" if name in ("摘要", "原文", "失效说明", "简介", "说明") else "string"
    if node.get("pattern") == schema.SLUG_PATTERN:
        spec["pattern"] = [node["pattern"], "格式不对：只用半角的小写字母、数字和连字符，例如 gongzuo-jihua"]
    elif node.get("pattern"):
        spec["pattern"] = [node["pattern"], f"格式不对：{node.get('description', '')}"]
    elif (length := _length_pattern(node)) is not None:
        spec["pattern"] = length
    return spec


def object_fields(node: dict[str, Any], options: dict[str, list[dict[str, str]]],
                  path: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    required = set(node.get("required", []))
    return [field_spec(name, prop, name in required, options, path) for name, prop in node.get("properties", {}).items()]


def plan_fields(options: dict[str, list[dict[str, str]]]) -> list[dict[str, Any]]:
    """Every field of the plan schema, in its order; 标识 and 发布机构 are required here (they name the file)."""
    fields = object_fields(schema.PLAN, options)
    for spec in fields:
        if spec["name"] in ("标识", "发布机构"):
            spec["required"] = True  # they name the file: data/plans/<发布机构>/<年度>/<标识>.yml
            spec["hint"] = {"标识": "文件名：只用小写字母、数字和连字符，例如 gongzuo-jihua；发布后不要修改（网址用它）。",
                            "发布机构": "选择发布机构；文件保存在它的文件夹下。"}[spec["name"]]
        if spec["name"] == "索引号":
            spec["hint"] += " 在网页编辑器中新建时请留空：合并到主分支后由 CI 自动编号。"
    fields[0]["comment"] = "\\n".join(PLAN_HEADER)
    return fields


def cms_config(project: Project | None, root: Path | None, *, local: bool,
               backend: dict[str, Any] | None = None, workflow: bool = True) -> dict[str, Any]:
    """The whole config.yml: plans, departments and vocabularies, in 简体中文."""
    options = _vocab_options(project, root)
    vocab_files = []
    for kind, label in (("categories", "组配分类"), ("topics", "主题分类"), ("validity", "有效性"),
                        ("units", "计量单位"), ("indicators", "指标")):
        node = schema.SCHEMAS[kind]
        vocab_files.append({
            "name": kind, "label": f"{label}词表", "file": f"data/vocab/{kind}.yml",
            "fields": [{"name": "items", "label": node["title"], "widget": "list", "root": True,
                        "fields": object_fields(node["items"], {}, (kind,)),
                        "summary": "{{fields.名称}}"}],
        })
    config: dict[str, Any] = {
        "backend": dict(backend or DEFAULT_BACKEND),
        "locale": "zh_Hans",
        "load_config_file": False,
        "site_url": project.site.base_url if project is not None else "",
        "media_folder": "content/assets/uploads",
        "public_folder": "/assets/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [
            {
                "name": "plans", "label": "政府信息公开条目", "label_singular": "条目",
                "description": "计划、总结等。保存后写入 data/plans/<机构>/<年度>/<标识>.yml；年度为新建时的年份。",
                "folder": "data/plans", "extension": "yml", "format": "yaml", "create": True,
                "identifier_field": "名称", "summary": "{{名称}}({{生成日期}})",
                "slug": "{{标识}}", "path": "{{发布机构}}/{{year}}/{{slug}}",
                "sortable_fields": ["生成日期", "名称"],
                "fields": plan_fields(options),
            },
            {
                "name": "departments", "label": "发布机构（管理员）", "label_singular": "发布机构",
                "description": "只有管理员能合并对发布机构和词表的修改（见 docs/editor.md）。",
                "folder": "data/departments", "extension": "yml", "format": "yaml", "create": True,
                "identifier_field": "全称", "slug": "{{标识}}",
                "fields": object_fields(schema.DEPARTMENT, options),
            },
            {"name": "vocab", "label": "词表（管理员）", "files": vocab_files},
        ],
    }
    if workflow and not local:
        config["publish_mode"] = "editorial_workflow"
    if local:
        config["local_backend"] = {"url": local_backend_url(), "allowed_hosts": ["127.0.0.1"]}
        config["backend"] = {"name": "git-gateway"} if backend is None else config["backend"]
    return config


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def config_yaml(config: dict[str, Any]) -> str:
    head = "# 由 gongkai cms 根据 site_hooks/gongkai/data/schema.py 生成，不要手工修改。\n"
    return head + yaml.dump(config, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=1000)


def index_html(csp_meta: str, css_href: str, departments: dict[str, str] | None = None) -> str:
    """The editor's page: no inline script or style (its CSP is :func:`gongkai.publish.csp.admin_policy`)."""
    return (
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"{csp_meta}\n"
        "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<meta name=\"gongkai-preview-css\" content=\"{html.escape(css_href)}\">\n"
        f"<meta name=\"gongkai-departments\" content=\"{html.escape(json.dumps(departments or {}, ensure_ascii=False))}\">\n"
        "<title>网页编辑器 · 政府信息公开</title>\n"
        "<link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">\n"
        "</head>\n<body>\n"
        f"<script src=\"{CMS_SCRIPT}\"></script>\n"
        "<script src=\"preview.js\"></script>\n"
        "</body>\n</html>\n"
    )


def vendor_files() -> list[Path]:
    """The Decap CMS scripts installed by ``make cms-deps`` (empty when they are not installed)."""
    if not (CMS_DIR / CMS_SCRIPT).is_file():
        return []
    return sorted(p for p in CMS_DIR.iterdir() if p.name.endswith(".js") or p.name.endswith(".LICENSE.txt"))


PREVIEW_JS = Path(__file__).resolve().parent / "admin_preview.js"
