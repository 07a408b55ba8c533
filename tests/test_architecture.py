"""The package layout of docs/architecture.md, read from the source with ``ast`` as a linter would.

Every import counts: at the top of a module, deferred into a function, or under ``TYPE_CHECKING``.
A failure names the module, the line and the import, and says which rule it breaks.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from gongkai.runtime.paths import SOURCE_ROOT

PACKAGE = SOURCE_ROOT / "site_hooks" / "gongkai"
HOOKS = SOURCE_ROOT / "site_hooks" / "hooks.py"

# layer → the layers of ours it may import (itself always). The order of docs/architecture.md, bottom up.
ALLOWED: dict[str, set[str]] = {
    "problems": set(),
    "runtime": {"problems"},
    "rules": set(),
    "markup": {"rules", "runtime"},
    "data": {"markup", "rules", "runtime", "problems"},
    "pages": {"data", "markup", "rules", "runtime", "problems"},
    "publish": {"runtime", "problems"},
    "editors": {"data", "markup", "rules", "runtime", "problems"},
    "engine": {"pages", "publish", "data", "markup", "rules", "runtime", "problems"},
    "portal": {"pages", "publish", "data", "markup", "rules", "runtime", "problems"},
    "bench": {"data", "rules", "runtime", "problems"},
    "cli": {"portal", "engine", "editors", "publish", "pages", "data", "markup", "rules", "runtime", "problems", "bench"},
}
ENTRY_OF_ENGINE = {"gongkai.engine.build"}  # what the CLI may use of the engine; the adapter is the hooks file's


@dataclass(frozen=True)
class Import:
    source: str  # importing module, e.g. gongkai.data.loader
    target: str  # imported module, e.g. gongkai.rules.codes
    names: tuple[str, ...]  # names taken from it ("" for a plain `import x` / `from pkg import module`)
    line: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line} imports {self.target}" + (f" ({', '.join(self.names)})" if any(self.names) else "")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [Import(name, a.name, ("",), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:  # from gongkai.data import loader: the module itself
                    out.append(Import(name, sub, ("",), node.lineno))
                else:
                    out.append(Import(name, target, (alias.name,), node.lineno))
    return out


@pytest.fixture(scope="module")
def graph() -> dict[str, list[Import]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def layer(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def ours(imp: Import) -> bool:
    return imp.target == "gongkai" or imp.target.startswith("gongkai.")


def test_every_module_is_in_a_layer(graph):
    stray = [m for m in graph if m != "gongkai" and layer(m) not in ALLOWED]
    assert not stray, f"modules outside the layers of docs/architecture.md: {stray}"


def test_imports_only_run_downward(graph):
    wrong = []
    for module, found in graph.items():
        if module == "gongkai":
            continue
        for imp in filter(ours, found):
            here, there = layer(module), layer(imp.target)
            if there and there != here and there not in ALLOWED[here]:
                wrong.append(f"{imp}: {here}/ may not import {there}/")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle(graph):
    """No strongly connected component of more than one module (Tarjan's algorithm)."""
    edges = {m: sorted({i.target for i in found if i.target in graph and i.target != m}) for m, found in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert not cycles, "import cycles: " + "; ".join(" ↔ ".join(c) for c in cycles)


def test_no_private_name_crosses_a_module(graph):
    wrong = [str(i) for found in graph.values() for i in found
             if ours(i) and any(n.startswith("_") and not n.startswith("__") for n in i.names)]
    assert not wrong, "make the name public or move it:\n" + "\n".join(wrong)


def test_private_attribute_of_our_module_is_not_used():
    """``loader._parse_all`` reaches in just as ``from loader import _parse_all`` does."""
    mods = modules()
    wrong = []
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gongkai"):
                for a in node.names:
                    if f"{node.module}.{a.name}" in mods:
                        aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                wrong.append(f"{name}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    assert not wrong, "\n".join(wrong)


def test_only_the_engine_knows_mkdocs(graph):
    wrong = [str(i) for m, found in graph.items() for i in found
             if i.target.split(".")[0] in ("mkdocs", "material") and layer(m) != "engine"]
    assert not wrong, "only gongkai/engine/ may import MkDocs:\n" + "\n".join(wrong)


def test_the_engine_adapter_is_entered_only_through_the_hooks_file_and_the_build(graph):
    wrong = [str(i) for m, found in graph.items() for i in found
             if layer(i.target) == "engine" and layer(m) != "engine" and i.target not in ENTRY_OF_ENGINE
             and not (i.target == "gongkai.engine" and i.names == ("build",))]
    assert not wrong, "outside engine/, only gongkai.engine.build is used:\n" + "\n".join(wrong)
    hooks = imports_of("hooks", HOOKS, set(graph))
    assert any(i.target.startswith("gongkai.engine") for i in hooks), "site_hooks/hooks.py forwards to gongkai.engine"
    assert all(layer(i.target) == "engine" for i in hooks if ours(i)), [str(i) for i in hooks]


def test_the_benchmark_is_reached_only_from_its_command(graph):
    wrong = [str(i) for m, found in graph.items() for i in found
             if layer(i.target) == "bench" and layer(m) != "bench" and m != "gongkai.cli.bench"]
    assert not wrong, "\n".join(wrong)


def test_each_package_says_what_it_owns_and_may_import():
    for package in sorted(ALLOWED):
        init = PACKAGE / package / "__init__.py"
        if package == "problems":
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc) > 80 and "import" in doc.lower(), f"{init}: the docstring says what it owns and what it may import"


def test_the_rules_catch_what_they_are_for(tmp_path):
    """The checks above fail on a cycle, an upward import and a private reach (so they can fail)."""
    (tmp_path / "a.py").write_text("from gongkai.b import _hidden\n", encoding="utf-8")
    found = imports_of("gongkai.data.a", tmp_path / "a.py", {"gongkai.b"})
    assert found == [Import("gongkai.data.a", "gongkai.b", ("_hidden",), 1)]
    (tmp_path / "c.py").write_text("def f():\n    from . import d\n", encoding="utf-8")
    assert imports_of("gongkai.pages.c", tmp_path / "c.py", {"gongkai.pages.d"}) == [
        Import("gongkai.pages.c", "gongkai.pages.d", ("",), 2)]
    assert "pages" not in ALLOWED["data"] and "engine" not in ALLOWED["pages"]


def test_every_test_file_is_filed_under_a_package_in_the_architecture_document():
    doc = (SOURCE_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = doc[doc.index("## 测试（Tests）"):]
    missing = [p.name for p in sorted((SOURCE_ROOT / "tests").glob("test_*.py")) if f"`{p.name}`" not in table]
    assert not missing, f"add these to the tests table of docs/architecture.md: {missing}"


def test_every_attribute_taken_from_a_module_of_ours_exists():
    """``targets.body_map`` after body_map moved to markup/anchors fails only when that line runs; find it here."""
    import importlib

    mods = modules()
    wrong = []
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gongkai"):
                for a in node.names:
                    if f"{node.module}.{a.name}" in mods:
                        aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                target = importlib.import_module(aliases[node.value.id])
                if not hasattr(target, node.attr):
                    wrong.append(f"{name}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}, which does not exist")
    assert not wrong, "\n".join(wrong)


# --- the test suite's own "one of each" ----------------------------------------------------------

def _test_sources() -> dict[str, str]:
    tests = SOURCE_ROOT / "tests"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(tests.glob("*.py")) if p.name != "test_architecture.py"}


@pytest.mark.parametrize("what, pattern, allowed", [
    ("a Chromium launcher", r"chromium\.launch\(", {"conftest.py"}),
    ("a Playwright start", r"sync_playwright\(\)", {"conftest.py"}),
    ("a free-port helper", r"^def free_port\(", {"conftest.py"}),
    ("a repository root computed from __file__", r"Path\(__file__\)", {"conftest.py"}),
    ("a golden-file writer", r"golden[\w.]*\.write_text\(|GOLDEN\b.*write_text", {"conftest.py"}),
    ("a whitespace normaliser for HTML", r"^def normali[sz]e", {"conftest.py"}),
])
def test_the_suite_has_one_of_each(what, pattern, allowed):
    """One sample-site build, one browser, one port helper, one golden system (see docs/architecture.md)."""
    found = sorted(name for name, text in _test_sources().items() if re.search(pattern, text, re.M))
    assert set(found) <= allowed, f"{what} outside {sorted(allowed)}: {found} — use the one in tests/conftest.py"


def test_the_sample_site_is_built_once():
    """Only conftest.py's session fixture builds the unchanged sample project (tests that change data
    build their own copy)."""
    builders = sorted(name for name, text in _test_sources().items()
                      if re.search(r"build_site\(\s*(ROOT|REPO|SOURCE_ROOT)\b|cli_build\(\s*(ROOT|REPO)\b", text))
    assert builders == [], f"these build the sample site again: {builders} — use the sample_site fixture"


def test_chinese_numerals_are_read_in_one_place():
    """一 → 1, 二十三 → 23 is rules/numerals.cn_to_int; a second table of 一二三… drifts from it (issue 23)."""
    pattern = re.compile(r'partition\("十"\)|enumerate\(CN_DIGITS\)|"一二三四五六七八九')
    others = sorted(str(p.relative_to(SOURCE_ROOT)) for p in (SOURCE_ROOT / "site_hooks" / "gongkai").rglob("*.py")
                    if p.name != "numerals.py" and pattern.search(p.read_text(encoding="utf-8")))
    assert others == [], f"these read Chinese numerals themselves: {others} — use gongkai.rules.numerals"
