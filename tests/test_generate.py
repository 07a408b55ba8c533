"""The plain generator: relative links and page set, without MkDocs."""
import pytest

from gongkai.pages.generate import generate
from gongkai.data.urls import rel, src_of
from gongkai.data.loader import load_project
from gongkai.pages.components import make_env


@pytest.mark.parametrize(
    "page, target, expected",
    [
        ("xxgk/gdkjj/2024/gongzuo-jihua/", "xxgk/gdkjj/ghjh/", "../../ghjh/"),
        ("xxgk/gdkjj/2024/gongzuo-jihua/", "", "../../../../"),
        ("xxgk/", "xxgk/", "./"),
        ("xxgk/", "xxgk/zhinan/", "zhinan/"),
        ("", "xxgk/", "xxgk/"),
        ("wzdt/", "", "../"),
        ("xxgk/gdkjj/", "xxgk/gdkjj/2/", "2/"),
        ("xxgk/gdkjj/2/", "xxgk/gdkjj/", "../"),
        ("xxgk/gdkjj/", "xxgk/gdkjj/#gk-dept-cats", "./#gk-dept-cats"),
        ("a/", "b/c.html", "../b/c.html"),
        ("xxgk/", "https://www.gov.cn/", "https://www.gov.cn/"),
    ],
)
def test_rel(page, target, expected):
    assert rel(page, target) == expected


def test_generate_is_a_plain_function_with_unique_outputs(repo_root):
    project, problems = load_project(repo_root)
    pages = generate(project, make_env(repo_root / "templates"))
    uris = [p.src_uri for p in pages]
    assert len(uris) == len(set(uris))
    assert all(src_of(p.url) == p.src_uri for p in pages)
    plans = [p for p in pages if p.kind == "plan"]
    assert len(plans) == len(project.plans)
    assert all(p.edit_path and p.edit_path.startswith("data/plans/") for p in plans)
    assert {"xxgk/index.md", "wzdt/index.md", "xxgk/gdkjj/index.md", "xxgk/gdkjj/ghjh/index.md"} <= set(uris)
