"""The shipped CI files: pinned, using the README's commands, publishing only from the main branch."""
from __future__ import annotations

import re

import yaml

from conftest import ROOT
GITHUB = ROOT / ".github" / "workflows" / "publish.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
IMAGE = re.compile(r"^python:3\.11\.\d+-bookworm$")  # Debian 12 with Python 3.11, like the developers' machines


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_github_workflow_is_pinned_and_runs_make_test_and_build():
    wf = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as True
    assert set(on) >= {"push", "pull_request"} and on["push"]["branches"] == ["main"]
    build, pages = wf["jobs"]["build"], wf["jobs"]["pages"]
    assert IMAGE.match(build["container"])
    runs = [s["run"] for s in steps(build) if "run" in s]
    assert "make test" in runs and "make build" in runs and runs.index("make test") < runs.index("make build")
    uses = [s["uses"] for job in wf["jobs"].values() for s in steps(job) if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses
    # pull requests get a downloadable site; only main reaches GitHub Pages
    artifact = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert artifact["if"] == "github.event_name == 'pull_request'" and artifact["with"]["path"] == "site/"
    assert "refs/heads/main" in pages["if"] and pages["needs"] == "build"
    assert pages["permissions"] == {"pages": "write", "id-token": "write"} and wf["permissions"] == {"contents": "read"}


def test_gitlab_pipeline_publishes_pages_from_the_default_branch():
    ci = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert IMAGE.match(ci["image"])
    assert ci["test"]["script"][-2:] == ["make test", "make build"]
    assert ci["test"]["artifacts"]["paths"] == ["site/"]
    pages = ci["pages"]
    assert pages["artifacts"]["paths"] == ["public"] and "mv site public" in " ".join(pages["script"])
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


def test_the_publishing_guide_names_every_setting_to_change():
    guide = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    for setting in ("网站地址", "DEPLOY_TARGET", "DEPLOY_SSH_KEY", "GONGKAI_SITE_URL", "SOURCE_DATE_EPOCH",
                    ".github/workflows/publish.yml", ".gitlab-ci.yml", "gongkai rollback", "gongkai nginx"):
        assert setting in guide, setting
