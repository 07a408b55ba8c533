"""The shipped CI files: pinned, using the README's commands, publishing only from the main branch."""
from __future__ import annotations

import re
from pathlib import Path

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


# ---------------------------------------------------------------- review before publishing (issue 16)

def _github() -> dict:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


def _gitlab() -> dict:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))


def test_github_numbers_on_main_in_its_own_job_and_builds_that_commit():
    wf = _github()
    jobs = wf["jobs"]
    number, build = jobs["number"], jobs["build"]
    assert number["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    # the only job that may write to the repository; the one running merge-request code may not
    assert number["permissions"] == {"contents": "write"}
    assert [name for name, job in jobs.items() if "write" in str(job.get("permissions", {}).get("contents", ""))] == ["number"]
    checkout = steps(number)[0]
    assert checkout["with"]["fetch-depth"] == 0 and "secrets.INDEX_DEPLOY_KEY" in checkout["with"]["ssh-key"]
    assign = next(s for s in steps(number) if s.get("id") == "assign")
    assert "make index-numbers" in assign["run"] and '>> "$GITHUB_OUTPUT"' in assign["run"]
    assert number["outputs"]["commit"] == "${{ steps.assign.outputs.commit }}"
    # build waits for the numbers (skipped on merge requests) and checks out the commit that holds them
    assert build["needs"] == "number" and "needs.number.result == 'skipped'" in build["if"]
    assert "!cancelled()" in build["if"] and "failure" not in build["if"]
    assert steps(build)[0]["with"] == {"fetch-depth": 0, "ref": "${{ needs.number.outputs.commit }}"}
    # git inside the container: the checkout belongs to another user
    for job in (number, build):
        assert any('safe.directory "$GITHUB_WORKSPACE"' in s.get("run", "") for s in steps(job)[1:3])
    runs = [s.get("run", "") for s in steps(build)]
    assert runs.index('git config --global --add safe.directory "$GITHUB_WORKSPACE"') < runs.index("make test")


def test_github_merge_requests_are_validated_with_annotations_against_their_base():
    build = _github()["jobs"]["build"]
    pr = next(s for s in steps(build) if s.get("if") == "github.event_name == 'pull_request'" and "run" in s)
    main = next(s for s in steps(build) if s.get("if") == "github.event_name != 'pull_request'" and "run" in s)
    assert pr["run"] == "make validate FORMAT=github BASE=origin/${{ github.base_ref }}"
    assert main["run"] == "make validate FORMAT=github"
    runs = [s.get("run") for s in steps(build)]
    assert runs.index(pr["run"]) < runs.index("make test")


def test_gitlab_numbers_first_on_the_default_branch_and_reports_code_quality():
    test = _gitlab()["test"]
    script = test["script"]
    assert script[0] == "make install"
    numbering = next(i for i, line in enumerate(script) if "make index-numbers" in line)
    validate = next(i for i, line in enumerate(script) if "gongkai validate" in line)
    assert numbering < validate < script.index("make test") < script.index("make build")
    report = test["artifacts"]["reports"]["codequality"]
    assert script[validate].endswith(f"> {report}") and test["artifacts"]["when"] == "always"
    assert _gitlab()["variables"]["GIT_DEPTH"] == "0"


# --- every command the templates run exists: make targets (make -n) and gongkai/script arguments (argparse)

SAMPLE_ENV = {  # values CI would give; ${VAR:-}, ${VAR#*@} are expanded with the same values
    "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main", "INDEX_PUSH_TOKEN": "glpat-x",
    "CI_SERVER_PROTOCOL": "https", "CI_REPOSITORY_URL": "https://gitlab-ci-token:x@gitlab.example.gov.cn/kj/site.git",
    "CI_MERGE_REQUEST_DIFF_BASE_SHA": "0123abcd", "GITHUB_WORKSPACE": "/__w/site/site", "GITHUB_OUTPUT": "/tmp/out",
}
SHELL_WORDS = {";", "&&", "||", "|", ">", ">>", "<", "then", "fi", "do", "done", "else", "(", ")"}


def _expand(line: str) -> str:
    line = re.sub(r"\$\{\{[^}]*\}\}", "main", line)  # GitHub expressions
    line = re.sub(r"\$\{(\w+)(?::-|#\*@)?\}", lambda m: SAMPLE_ENV.get(m[1], "x"), line)
    return re.sub(r"\$(\w+)", lambda m: SAMPLE_ENV.get(m[1], "x"), line)


def _commands(shell: str) -> list[list[str]]:
    """Simple commands of a script (one per ; && || | or line), as argument lists."""
    import shlex

    out: list[list[str]] = []
    for line in shell.splitlines():
        lexer = shlex.shlex(_expand(line), posix=True, punctuation_chars=";&|<>()")
        lexer.whitespace_split = True
        current: list[str] = []
        for token in [*lexer, ";"]:
            if token in SHELL_WORDS:
                if current:
                    out.append(current)
                current = []
                if token in (">", ">>", "<"):
                    current = ["#redirect"]
            elif current[:1] == ["#redirect"]:
                current = []
            else:
                current.append(token)
    commands = []
    for c in out:
        if c[0] == "if":  # `if CMD; then`: CMD is a command too
            c = c[1:]
        if c and c[0] not in ("[", "test", "#redirect"):  # conditions and redirect targets are not
            commands.append(c)
    return commands


def _template_commands() -> list[list[str]]:
    lines = [s["run"] for job in _github()["jobs"].values() for s in steps(job) if "run" in s]
    lines += [line for job in _gitlab().values() if isinstance(job, dict) and "script" in job for line in job["script"]]
    return [c for line in lines for c in _commands(line)]


def _check_program(argv: list[str]) -> str | None:
    """Parse a gongkai or scripts/*.py command line with the real parser; returns what it is."""
    import importlib.util

    from gongkai.cli import parser

    if argv[0].endswith("bin/gongkai"):
        try:
            args = parser().parse_args(argv[1:])
        except SystemExit as exc:  # argparse: unknown subcommand or option
            raise AssertionError(f"gongkai 不接受 {argv[1:]}") from exc
        assert getattr(args, "run", None), argv
        return f"gongkai {args.command}"
    if argv[0].endswith("bin/python") and argv[1].startswith("scripts/"):
        spec = importlib.util.spec_from_file_location("template_script", ROOT / argv[1])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        try:
            module.build_parser().parse_args(argv[2:])
        except SystemExit as exc:
            raise AssertionError(f"{argv[1]} 不接受 {argv[2:]}") from exc
        return argv[1]
    return None


def test_every_make_target_and_gongkai_command_in_the_templates_exists():
    import shlex
    import subprocess

    seen = set()
    for argv in _template_commands():
        if argv[0] == "make":
            done = subprocess.run(["make", "-n", "-C", str(ROOT), *argv[1:]], capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, f"make {argv[1:]}: {done.stderr}"
            seen.add(f"make {argv[1]}")
            for printed in done.stdout.splitlines():
                words = shlex.split(printed) if printed.startswith(".venv/bin/") else []
                if "||" in words:  # the Makefile's $(call FAIL,…): the Chinese line printed when the step fails
                    words = words[:words.index("||")]
                if words and (what := _check_program(words)):
                    seen.add(what)
                    if argv[1:3] == ["validate", "FORMAT=github"]:
                        assert words[2:4] == ["--format", "github"]
        elif argv[0] == "git":
            assert argv[1] in ("config", "remote"), argv
        elif argv[0] not in ("echo", "rm", "mv"):
            what = _check_program(argv)
            assert what, f"模板里有不认识的命令:{argv}"
            seen.add(what)
    assert seen == {"make install", "make index-numbers", "make validate", "make test", "make build",
                    "gongkai validate", "gongkai build", "scripts/assign_index_numbers.py"}, seen


def test_the_gitlab_numbering_snippet_pushes_with_the_token_only_on_the_default_branch(tmp_path):
    import os
    import subprocess

    snippet = next(line for line in _gitlab()["test"]["script"] if "make index-numbers" in line)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "make").write_text(f'#!/bin/sh\necho "$@" >> "{tmp_path}/make.log"\n')
    (bin_dir / "make").chmod(0o755)
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "remote", "add", "origin", SAMPLE_ENV["CI_REPOSITORY_URL"]], check=True)

    def run(**env):
        full = dict(os.environ, **{k: SAMPLE_ENV[k] for k in ("CI_SERVER_PROTOCOL", "CI_REPOSITORY_URL")}, **env)
        full["PATH"] = f"{bin_dir}:{full['PATH']}"
        subprocess.run(["bash", "-euc", snippet], cwd=repo, env=full, check=True)
        push = subprocess.run(["git", "-C", str(repo), "remote", "get-url", "--push", "origin"], capture_output=True, text=True)
        log = tmp_path / "make.log"
        return push.stdout.strip(), log.read_text().splitlines() if log.exists() else []

    assert run(CI_COMMIT_BRANCH="cms/a", CI_DEFAULT_BRANCH="main") == (SAMPLE_ENV["CI_REPOSITORY_URL"], [])
    url, calls = run(CI_COMMIT_BRANCH="main", CI_DEFAULT_BRANCH="main", INDEX_PUSH_TOKEN="glpat-secret")
    assert url == "https://oauth2:glpat-secret@gitlab.example.gov.cn/kj/site.git" and calls == ["index-numbers BRANCH=main"]


# --- CODEOWNERS and the merge-request templates

CODEOWNERS = ROOT / "CODEOWNERS"
OWNER = re.compile(r"^(@[A-Za-z0-9][\w.-]*(/[\w.-]+)*|[^@\s]+@[^@\s]+\.[a-z]+)$")


def _owner_rules() -> list[tuple[str, list[str]]]:
    rules = []
    for line in CODEOWNERS.read_text(encoding="utf-8").splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        # one syntax for both platforms: no GitLab [sections] (GitHub skips them and their rules change meaning)
        assert not line.startswith(("[", "^[")), line
        pattern, *owners = line.split()
        assert owners and all(OWNER.match(o) for o in owners), line
        assert pattern == "*" or pattern.startswith("/"), line  # anchored paths: the two platforms agree
        rules.append((pattern, owners))
    return rules


def _owners_of(path: str) -> list[str]:
    """The last matching rule wins, on both GitHub and GitLab."""
    found: list[str] = []
    for pattern, owners in _owner_rules():
        p = pattern.lstrip("/")
        if pattern == "*" or (p.endswith("/") and path.startswith(p)) or path == p:
            found = owners
    return found


def test_codeowners_is_where_both_platforms_read_it_and_names_reviewers_for_every_department():
    # GitHub reads .github/CODEOWNERS before the root one, GitLab the root one first: keep only the root file
    assert CODEOWNERS.is_file()
    assert not (ROOT / ".github" / "CODEOWNERS").exists() and not (ROOT / ".gitlab" / "CODEOWNERS").exists()
    assert not (ROOT / "docs" / "CODEOWNERS").exists()
    departments = sorted(p.stem for p in (ROOT / "data" / "departments").glob("*.yml"))
    assert departments
    admins = _owners_of("data/site.yml")
    for slug in departments:
        owners = _owners_of(f"data/plans/{slug}/2025/gongzuo-jihua.yml")
        assert owners and owners != admins and slug in " ".join(owners), (slug, owners)
        assert _owners_of(f"data/departments/{slug}.yml") == admins
    others = {tuple(_owners_of(f"data/plans/{slug}/x.yml")) for slug in departments}
    assert len(others) == len(departments)  # each department its own reviewers
    assert _owners_of("data/vocab/topics.yml") == admins and _owners_of("README.md") == admins
    assert _owners_of("CODEOWNERS") == admins


def _checklist(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        elif line.startswith("- [ ] "):
            sections.setdefault(current, []).append(line[6:].strip())
    return sections


def test_the_merge_request_templates_carry_the_same_review_and_secrecy_checklist():
    github = _checklist(ROOT / ".github" / "pull_request_template.md")
    gitlab = _checklist(ROOT / ".gitlab" / "merge_request_templates" / "审核.md")
    assert github == gitlab
    review = next(items for title, items in github.items() if title.startswith("审核"))
    secrecy = next(items for title, items in github.items() if title.startswith("保密审查"))
    assert len(review) >= 5 and len(secrecy) >= 6
    for words in ("国家秘密", "个人隐私", "商业秘密", "工作秘密", "附件"):
        assert any(words in item for item in secrecy), words
    assert any("预览" in item for item in review) and any("自动检查通过" in item for item in review)


def test_the_guides_explain_review_numbering_and_branch_protection():
    guide = (ROOT / "docs" / "editing-guide.md").read_text(encoding="utf-8")
    section = guide[guide.index("## 审核与发布"):]
    for words in ("草稿", "审核", "保密审查", "合并", "::error", "代码质量", "索引号", "审核.md"):
        assert words in section, words
    publishing = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    for words in ("CODEOWNERS", "INDEX_DEPLOY_KEY", "INDEX_PUSH_TOKEN", "make index-numbers", "Require review from Code Owners",
                  "scripts/assign_index_numbers.py", "[skip ci]"):
        assert words in publishing, words
