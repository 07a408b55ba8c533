"""The web editor's config.yml, generated from the one schema (issue 16), and where /admin/ is deployed.

Iterates data/schema.py, so a field added there is checked here (and shown in the editor) with no other
change; the browser round trip is tests/test_cms_browser.py.
"""
from __future__ import annotations

import copy
import re

import pytest
import yaml

from conftest_editors import run_cli
from conftest_publish import build, copy_project, html_pages
from gongkai.data import schema
from gongkai.data.loader import load_project
from gongkai.pages import admin
from gongkai.publish import csp
from gongkai.runtime.paths import SOURCE_ROOT

needs_cms = pytest.mark.skipif(not admin.vendor_files(), reason="Decap CMS 未安装:请先运行 make test-deps")


@pytest.fixture(scope="module")
def config():
    project, problems = load_project(SOURCE_ROOT)
    assert project is not None, problems.report()
    return admin.cms_config(project, SOURCE_ROOT, local=False)


def collection(config, name):
    return next(c for c in config["collections"] if c["name"] == name)


def walk_schema(node, path=()):
    """(path, property schema, required) for every property of ``node``, into objects and lists of objects."""
    required = set(node.get("required", []))
    for name, prop in node.get("properties", {}).items():
        yield (*path, name), prop, name in required
        inner = prop.get("items") if prop.get("type") == "array" else prop
        if isinstance(inner, dict) and inner.get("properties"):
            yield from walk_schema(inner, (*path, name))


def find_field(fields, path):
    spec = None
    for name in path:
        spec = next((f for f in fields if f["name"] == name), None)
        assert spec is not None, f"字段 {'.'.join(path)} 不在编辑器配置中"
        fields = spec.get("fields", [])
    return spec


@pytest.mark.parametrize("path, prop, required", list(walk_schema(schema.PLAN)),
                         ids=lambda v: ".".join(v) if isinstance(v, tuple) else None)
def test_every_plan_field_is_in_the_form_with_its_label_hint_and_rules(config, path, prop, required):
    spec = find_field(collection(config, "plans")["fields"], path)
    assert spec["label"] == prop["title"]
    if path[-1] not in ("标识", "发布机构"):  # these two name the file: required and re-explained in the form
        assert spec["hint"] == prop["description"] + (" 在网页编辑器中新建时请留空：合并到主分支后由 CI 自动编号。"
                                                    if path == ("索引号",) else "")
        assert spec["required"] is required
    else:
        assert spec["required"] is True
    if prop.get("pattern") and spec["widget"] == "select":  # 发布机构: every choice matches the pattern
        assert spec["options"] and all(re.search(prop["pattern"], o["value"]) for o in spec["options"])
    elif prop.get("pattern") and spec["widget"] == "relation":  # 相关文件.文件: only existing plans
        assert spec["value_field"] == "{{slug}}"
    elif prop.get("pattern"):
        assert spec["pattern"][0] == prop["pattern"]
    if prop.get("enum"):
        assert spec["widget"] == "select" and spec["options"] == prop["enum"]
    if prop.get("maxLength"):
        low, high = prop.get("minLength", 0), prop["maxLength"]
        assert spec["pattern"][0] == f"^[\\s\\S]{{{low},{high}}}$"
    if prop.get("minItems"):
        assert spec["min"] == prop["minItems"]
    if prop.get("x-check") == "date":
        assert (spec["widget"], spec["format"], spec["time_format"]) == ("datetime", "YYYY-MM-DD", False)
    if prop.get("x-check") == "time":
        assert (spec["widget"], spec["format"], spec["date_format"]) == ("datetime", "HH:mm", False)


def test_a_field_added_to_the_schema_appears_in_the_editor(monkeypatch):
    plan = copy.deepcopy(schema.PLAN)
    plan["properties"]["成文日期"] = {"type": "string", "title": "成文日期", "description": "签发的日期。", "x-check": "date"}
    plan["required"] = [*plan["required"], "成文日期"]
    monkeypatch.setattr(schema, "PLAN", plan)
    fields = collection(admin.cms_config(None, None, local=True), "plans")["fields"]
    spec = find_field(fields, ("成文日期",))
    assert (spec["label"], spec["hint"], spec["required"], spec["widget"]) == ("成文日期", "签发的日期。", True, "datetime")


def test_selects_are_filled_from_data(config):
    project, _ = load_project(SOURCE_ROOT)
    fields = collection(config, "plans")["fields"]
    options = lambda name: [o["value"] for o in find_field(fields, (name,))["options"]]  # noqa: E731
    assert options("发布机构") == sorted(project.departments) or set(options("发布机构")) == set(project.departments)
    assert set(options("组配分类")) == {c for d in project.departments.values() for c in d.categories}
    topics = options("主题分类")
    assert "科技、教育\\科技" in topics and "科技、教育" in topics  # both levels
    assert options("有效性") == [v.name for v in project.validity]
    indicators = find_field(fields, ("指标", "指标"))["options"]
    assert {"label": "高新技术企业数量(家)", "value": "高新技术企业数量"} in indicators
    assert "亿元" in [o["value"] for o in find_field(fields, ("指标", "单位"))["options"]]
    related = find_field(fields, ("相关文件", "文件"))
    assert (related["widget"], related["collection"], related["value_field"]) == ("relation", "plans", "{{slug}}")
    body = find_field(fields, ("正文",))
    assert body["widget"] == "markdown" and body["editor_components"] == [] and "image" not in body["buttons"]


def test_plan_files_go_where_the_validator_looks(config):
    plans = collection(config, "plans")
    assert (plans["folder"], plans["extension"], plans["format"]) == ("data/plans", "yml", "yaml")
    assert plans["path"] == "{{发布机构}}/{{year}}/{{slug}}" and plans["slug"] == "{{标识}}"
    assert config["locale"] == "zh_Hans" and config["publish_mode"] == "editorial_workflow"
    departments = collection(config, "departments")
    assert departments["folder"] == "data/departments"
    assert {f["name"] for f in departments["fields"]} == set(schema.DEPARTMENT["properties"])
    vocab = {f["file"]: f for f in collection(config, "vocab")["files"]}
    assert set(vocab) == {f"data/vocab/{k}.yml" for k in ("categories", "topics", "validity", "units", "indicators")}
    topics = vocab["data/vocab/topics.yml"]["fields"][0]
    assert topics["root"] is True and find_field(topics["fields"], ("子类", "标识"))["pattern"][0] == schema.SLUG_PATTERN


def test_local_config_talks_only_to_127_0_0_1(monkeypatch):
    monkeypatch.setenv("GONGKAI_CMS_PORT", "8123")
    config = admin.cms_config(None, None, local=True)
    assert config["local_backend"]["url"] == "http://127.0.0.1:8123/api/v1"
    assert "publish_mode" not in config  # decap-server's file mode writes straight to the working tree


def test_gongkai_cms_prints_the_config_without_yaml_aliases(capsys):
    code, out, err = run_cli(SOURCE_ROOT, "cms", capsys=capsys)
    assert code == 0, err
    assert out.startswith("# 由 gongkai cms") and "&id" not in out and "*id" not in out
    loaded = yaml.safe_load(out)
    assert [c["name"] for c in loaded["collections"]] == ["plans", "departments", "vocab"]
    assert loaded["backend"]["name"] == "gitlab"  # from mkdocs.yml extra.editor.backend


def test_admin_policy_allows_only_the_site_and_its_backend():
    text = csp.admin_policy(("http://127.0.0.1:8081",))
    directives = dict(part.split(" ", 1) for part in text.split("; "))
    assert directives["script-src"] == "'self' 'unsafe-eval'"  # no other origin, no inline script
    assert directives["connect-src"] == "'self' http://127.0.0.1:8081"
    assert "http" not in text.replace("http://127.0.0.1:8081", "")
    assert "unsafe" not in csp.policy().replace("wasm-unsafe-eval", "")  # the public pages' policy is unchanged


@pytest.mark.parametrize("value, ok", [
    ("gongzuo-jihua", True), ("jihua2025", True), ("Gongzuo-Jihua", False), ("ｇｏｎｇｚｕｏ", False),
    ("gongzuo_jihua", False), ("gongzuo--jihua", False), ("-jihua", False), ("工作计划", False), ("２０２５", False),
])
def test_the_form_slug_pattern_is_the_validators(config, value, ok):
    """Decap tests the pattern with JavaScript's RegExp; this one means the same in Python and JS."""
    pattern = find_field(collection(config, "plans")["fields"], ("标识",))["pattern"][0]
    assert pattern == schema.SLUG_PATTERN
    assert bool(re.fullmatch(pattern.strip("^$"), value, re.ASCII)) is ok


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("cms")
    build(copy_project(base / "kj"), base / "site")
    return base


@needs_cms
def test_by_default_the_editor_is_not_in_the_public_site_but_in_site_admin(built):
    site, site_admin = built / "site", built / "site-admin" / "admin"
    assert not (site / "admin").exists()
    for page in html_pages(site):
        assert "/admin/" not in (site / page).read_text(encoding="utf-8"), page
    html = (site_admin / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert csp.admin_policy(("https://git.example.gov.cn",), meta=True) in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and "style=" not in html  # no inline script/style
    assert (site_admin / "decap-cms.js").is_file() and (site_admin / "site.css").read_bytes() == \
        (site / "assets" / "gongkai" / "site.css").read_bytes()
    assert yaml.safe_load((site_admin / "config.yml").read_text(encoding="utf-8"))["locale"] == "zh_Hans"
    assert (built / "site-admin" / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"


@needs_cms
def test_with_public_site_the_editor_is_deployed_under_admin(tmp_path):
    project = copy_project(tmp_path / "kj")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "    with_public_site: false\n" in text
    (project / "mkdocs.yml").write_text(text.replace("    with_public_site: false\n", "    with_public_site: true\n"),
                                        encoding="utf-8")
    build(project, tmp_path / "site")
    html = (tmp_path / "site" / "admin" / "index.html").read_text(encoding="utf-8")
    assert 'content="noindex, nofollow"' in html and "Content-Security-Policy" in html
    css = re.search(r'name="gongkai-preview-css" content="\.\./(assets/gongkai/site\.[0-9a-f]{8}\.css)"', html)
    assert css and (tmp_path / "site" / css.group(1)).is_file()
    assert "Disallow: /admin/" in (tmp_path / "site" / "robots.txt").read_text(encoding="utf-8")


def test_nginx_serves_admin_with_its_own_meta_policy_and_no_indexing():
    from gongkai.publish.hosting import server_block

    conf = server_block("/srv/www/kj/current", brotli=False)
    block = re.search(r"location \^~ /admin/ \{(.*?)\n    \}", conf, re.S).group(1)
    assert "Content-Security-Policy" not in block  # a header would be combined with the page's <meta> and block it
    assert 'X-Robots-Tag "noindex, nofollow"' in block and "X-Content-Type-Options" in block
    public = re.search(r"location / \{(.*?)\n    \}", conf, re.S).group(1)
    assert csp.policy() in public  # the public pages keep the strict header
