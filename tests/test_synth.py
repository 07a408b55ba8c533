"""The one synthetic project generator (gongkai bench, scripts/bench_search.py): deterministic, valid, sampled from the sample data."""
from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.rules import codes
from gongkai.data.loader import load_project
from gongkai.bench.synth import make_departments, read_sample, write_synthetic_project


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "data").rglob("*.yml"))}


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    write_synthetic_project(tmp_path / "a", 30, seed=7)
    write_synthetic_project(tmp_path / "b", 30, seed=7)
    write_synthetic_project(tmp_path / "c", 30, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_project_validates_and_samples_the_sample_text(tmp_path):
    root = tmp_path / "p"
    write_synthetic_project(root, 60, seed=1, departments=12)
    project, problems = load_project(root)
    assert project is not None, problems.report()
    assert len(project.plans) == 60
    assert not problems.warnings
    with_doc_no = [p for p in project.plans if p.doc_no]
    assert 10 <= len(with_doc_no) <= 50
    assert len({p.doc_no for p in with_doc_no}) == len(with_doc_no)  # unique 文号
    assert len({p.index_no for p in project.plans}) == 60
    sizes = [len(p.body.encode()) for p in project.plans]
    assert min(sizes) >= 2000 and max(sizes) <= 9000
    assert sum("高新技术企业" in p.body for p in project.plans) > 10  # the sample plans' vocabulary
    for name in ("mkdocs.yml", "content/index.md", "templates/main.html", "site_hooks/hooks.py", "data/site.yml"):
        assert (root / name).exists(), name


def test_departments_have_valid_codes():
    for dept in make_departments(40, seed=3, sample=read_sample()):
        assert codes.check_uscc(dept.uscc) == dept.uscc


def test_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(FileExistsError):
        write_synthetic_project(tmp_path, 5, seed=1)
