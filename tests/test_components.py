"""Every component: documented params, the conventions, and golden HTML for every named example.

Regenerate the golden files with `make golden` (pytest --update-golden) and review the diff.
"""
from __future__ import annotations

import re

import pytest
import yaml
from markupsafe import Markup

from gongkai.pages.components import component, make_env

from conftest import ROOT
COMPONENTS = ROOT / "templates" / "components"
NAMES = sorted(p.name for p in COMPONENTS.iterdir() if p.is_dir())


def spec(name: str) -> dict:
    return yaml.safe_load((COMPONENTS / name / f"{name}.yml").read_text(encoding="utf-8"))


def trusted(params):
    """Mark `*_html` values as trusted HTML, as the generator does; everything else stays text."""
    if isinstance(params, dict):
        return {k: Markup(v) if k.endswith("_html") and isinstance(v, str) else trusted(v) for k, v in params.items()}
    if isinstance(params, list):
        return [trusted(v) for v in params]
    return params


EXAMPLES = [(name, ex["name"], ex["params"]) for name in NAMES for ex in spec(name)["examples"]]


@pytest.mark.parametrize("name", NAMES)
def test_component_folder_follows_the_convention(name):
    folder = COMPONENTS / name
    assert {"macro.html", "template.html", f"{name}.yml"} <= {p.name for p in folder.iterdir()}
    assert f"macro gk_{name}(params)" in (folder / "macro.html").read_text(encoding="utf-8")
    documented = {p["name"] for p in spec(name)["params"]}
    used = set(re.findall(r"params\.([a-zA-Z_]\w*)", (folder / "template.html").read_text(encoding="utf-8")))
    assert used <= documented, f"undocumented params: {used - documented}"
    for param in documented:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", param), f"{param}: params are snake_case"
        assert param not in {"items", "keys", "values"}, f"{param}: Jinja reads it as a dict method"
    assert spec(name)["examples"], "every component documents at least one example"


@pytest.mark.parametrize("name, example, params", EXAMPLES, ids=[f"{n}-{e}" for n, e, _ in EXAMPLES])
def test_component_example_matches_golden(name, example, params, golden):
    golden(f"components/{name}/{example}.html", str(component(make_env(ROOT / "templates"), name)(trusted(params))))


def test_text_params_are_escaped_and_html_params_are_not():
    env = make_env(ROOT / "templates")
    crumbs = component(env, "breadcrumb")({"crumbs": [{"text": "<b>首页</b>", "href": "./"}]})
    assert "&lt;b&gt;首页&lt;/b&gt;" in crumbs and "<b>" not in crumbs
    page = component(env, "plan_page")({
        "breadcrumb": {"crumbs": []}, "metadata": {"rows": []}, "title": "<i>标题</i>",
        "info": {"published_text": "", "datetime": "", "source": ""}, "body_html": Markup("<p>正文</p>"),
        "related": {"links": []},
    })
    assert "&lt;i&gt;标题&lt;/i&gt;" in page and "<p>正文</p>" in page


@pytest.mark.parametrize("name", NAMES)
def test_the_macro_is_compiled_with_its_template_written_in(name):
    """ComponentLoader puts template.html into macro.html (no include per call); only the component's own."""
    env = make_env(ROOT / "templates")
    source = env.loader.get_source(env, f"components/{name}/macro.html")[0]
    own = (COMPONENTS / name / "template.html").read_text(encoding="utf-8").removesuffix("\n")
    assert f'components/{name}/template.html"' not in source
    assert own in source
    assert "include" not in (COMPONENTS / name / "macro.html").read_text(encoding="utf-8").replace(
        f'{{% include "components/{name}/template.html" %}}', "")
