"""The command line speaks Chinese: every --help and argparse's own errors (issue 19); make's targets say in
Chinese which step failed, and make serve takes PORT= (issue 22)."""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import main, parser
from gongkai.cli.argparse_zh import chinese_message

from conftest import ROOT, copy_project

ENGLISH = re.compile(r"usage:|options:|positional arguments|show this help|error:|unrecognized|required|invalid|"
                     r"expected|choose from|ambiguous", re.I)
# ASCII punctuation touching Chinese text (headings such as "选项:", "默认:", "(默认 …)", "计划;目标"); checked
# on the text with argparse's line wrapping undone. Values such as "100,1000,10000" and "::error" stay ASCII.
CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”]"
ASCII_BESIDE_CJK = re.compile(rf"{CJK}[,;:!?()]|[,;:!?(]{CJK}|\){CJK}")


def _ascii_punctuation(text: str) -> list[str]:
    flat = re.sub(r"\n\s*", "", text)
    return [flat[max(m.start() - 12, 0):m.end() + 12] for m in ASCII_BESIDE_CJK.finditer(flat)]


def _subcommands() -> list[str]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


@pytest.mark.parametrize("argv", [["--help"]] + [[name, "--help"] for name in _subcommands()],
                         ids=lambda argv: " ".join(argv))
def test_every_help_is_chinese(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert out.startswith("用法：gongkai") and "显示本帮助并退出" in out and "\n选项：\n" in out
    assert not ENGLISH.search(out), out
    assert not _ascii_punctuation(out), _ascii_punctuation(out)


def _required(name: str) -> list[str]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return [a.dest for a in sub.choices[name]._actions if a.required and a.nargs not in ("*", "?")]


@pytest.mark.parametrize("name", [n for n in _subcommands() if _required(n)])
def test_a_missing_argument_is_reported_in_chinese(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([name])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.startswith(f"用法：gongkai {name}") and f"gongkai {name}：错误：缺少必需的参数：" in err, err
    assert not ENGLISH.search(err.split("\n", 1)[1]) and not _ascii_punctuation(err), err


@pytest.mark.parametrize("text, found", [
    ("选项:\n  -h", 1), ("显示(默认 3)", 1), ("默认 3)", 0), ("默认 3;小规模", 1), ("(config.yml)重新", 1), ("计划,目标", 1),
    ("选项：\n  -h", 0), ("计划数，逗号分隔（默认 100,1000,10000）", 0), ("注释 ::error file=…", 0),
    ("示科〔2025〕3号；没有可不填", 0), ("（默认 1000；0 表示不测）", 0),
])
def test_the_punctuation_check(text, found):
    assert len(_ascii_punctuation(text)) == found, _ascii_punctuation(text)


def test_an_unknown_message_keeps_its_text_after_the_chinese_lead():
    assert chinese_message("argument --x: something new") == "参数 --x：something new"
    assert chinese_message("something new") == "something new"


# --- make: the editors' commands (issue 22) --------------------------------------------------------

MAKEFILE = ROOT / "Makefile"
CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _make(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "LC_ALL": "C.UTF-8", "MAKEFLAGS": ""}
    return subprocess.run(["make", "--no-print-directory", "-f", str(MAKEFILE), *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, env=env, timeout=120)


def test_a_failing_make_target_says_so_in_chinese_before_makes_own_line(tmp_path):
    project = copy_project(tmp_path / "proj")
    plan = next((project / "data" / "plans").rglob("*.yml"))
    plan.write_text(plan.read_text(encoding="utf-8") + "名称: [\n", encoding="utf-8")  # broken YAML
    bin_dir = Path(sys.executable).parent  # this venv's gongkai; STAMP= skips the install step
    proc = _make("validate", f"BIN={bin_dir}", "STAMP=", cwd=project)
    assert proc.returncode != 0
    lines = proc.stderr.splitlines()
    ours = [i for i, line in enumerate(lines) if line.startswith("make validate 失败：数据检查没有完成")]
    makes = [i for i, line in enumerate(lines) if re.match(r"make(\[\d+\])?: \*\*\*", line)]  # make[1]: under make test
    assert ours and makes and ours[0] < makes[0], proc.stderr
    assert "YAML" in proc.stderr and plan.name in proc.stderr, "gongkai validate 的问题报告仍在上面"
    assert "Traceback" not in proc.stdout + proc.stderr


def _recipe_lines() -> list[str]:
    """The Makefile's recipe lines, continuation lines joined."""
    out, current = [], ""
    for line in MAKEFILE.read_text(encoding="utf-8").splitlines():
        if current:
            current += " " + line.strip()
        elif line.startswith("\t"):
            current = line[1:]
        else:
            continue
        if not current.endswith("\\"):
            out.append(current)
            current = ""
    return out


def test_every_make_recipe_line_reports_its_failure_in_chinese():
    lines = _recipe_lines()
    assert len(lines) > 30
    for line in lines:
        if line in ("touch $@", "@$(PYC)") or line.startswith(("@echo ", "@grep ")):
            continue  # cannot fail in a way an editor can fix (PYC ends in "|| true") / prints the help
        own = re.search(r'\|\| \{ echo "([^"]*)" >&2; exit 2; \}$', line)
        if own:
            assert CJK_CHAR.search(own.group(1)), line
            continue
        called = re.search(r"\$\(call FAIL,([^)]*)\)$", line)
        assert called and CJK_CHAR.search(called.group(1)), f"这一行失败时没有中文说明：{line}"


def test_make_compiles_gongkai_before_running_it():
    """PYTHONDONTWRITEBYTECODE (set on CI machines) would otherwise compile ~100 modules at every start."""
    for target, command in (("build", "gongkai build"), ("validate", "gongkai validate"), ("serve", "gongkai serve")):
        dry = _make("-n", target, "STAMP=", "CMS_STAMP=", "CMS_SERVER_STAMP=")
        assert dry.returncode == 0, dry.stderr
        compile_at = dry.stdout.find("-m compileall -qq site_hooks")
        assert 0 <= compile_at < dry.stdout.find(command), dry.stdout


def test_make_serve_takes_the_port_and_make_help_says_so():
    default = _make("-n", "serve", "STAMP=", "CMS_STAMP=", "CMS_SERVER_STAMP=")
    assert default.returncode == 0, default.stderr
    assert 'gongkai serve --addr "127.0.0.1:8000"' in default.stdout
    other = _make("-n", "serve", "PORT=8001", "STAMP=", "CMS_STAMP=", "CMS_SERVER_STAMP=")
    assert 'gongkai serve --addr "127.0.0.1:8001"' in other.stdout
    assert parser().parse_args(["serve", "--addr", "127.0.0.1:8001"]).addr == "127.0.0.1:8001"
    help_ = _make("help")
    assert help_.returncode == 0 and help_.stdout.startswith("用法：make")
    serve = next(line for line in help_.stdout.splitlines() if line.strip().startswith("make serve"))
    assert "make serve PORT=8001" in serve
    assert "make serve PORT=8001" in (ROOT / "README.md").read_text(encoding="utf-8")
    for line in help_.stdout.splitlines():  # full-width punctuation in the Chinese descriptions
        assert not re.search(r"[\u4e00-\u9fff][,;()]|[,;()][\u4e00-\u9fff]|[\u4e00-\u9fff]:(?!/)", line), line


@pytest.mark.parametrize("argv, named", [
    (["build"], "build"),
    (["--root", "build", "validate"], "validate"),  # --root's value is no command
    (["--root=x", "import", "a.docx"], "import"),  # the module is import_.py
    (["build", "--help"], "build"),
    (["--help", "build"], None),  # the top-level help lists every command
    (["-h"], None),
    (["bild"], None),  # a mistyped command: the message lists every command
    ([], None),
])
def test_the_named_command_is_found_in_the_arguments(argv, named):
    from gongkai.cli import named_command

    assert named_command(argv) == named


def test_a_command_imports_only_its_own_module():
    """`gongkai build` does not import the portal, the importers, the bench or boto3 to build its parser."""
    code = ("import sys\nfrom gongkai.cli import main\ntry:\n    main(['build', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith(('gongkai.', 'boto3')))), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    loaded = set(done.stderr.split())
    assert "gongkai.cli.build" in loaded, done.stderr
    assert not {m for m in loaded if m.startswith(("gongkai.cli.portal", "gongkai.cli.bench", "gongkai.portal",
                                                   "gongkai.bench", "gongkai.editors", "gongkai.publish.deploy", "boto3"))}


def test_the_console_script_ends_with_main_s_code_and_all_its_output(tmp_path):
    """entry() ends the process without freeing its objects (os._exit): the output is flushed first, the exit
    code is main's, argparse's errors keep theirs, and a closed pipe is no traceback."""
    exe = Path(sys.executable).with_name("gongkai")
    if not exe.exists():
        pytest.skip("gongkai is not installed into this environment")
    helped = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and helped.stdout.rstrip().endswith(_subcommands_help_tail()), helped.stdout[-300:]
    wrong = subprocess.run([str(exe), "bild"], capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 2 and "'bild' 不是可选的值" in wrong.stderr
    piped = subprocess.run(f"'{exe}' --help | head -c 20", shell=True, capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0 and piped.stdout.startswith("用法") and "Traceback" not in piped.stderr
    project = copy_project(tmp_path / "proj")
    built = subprocess.run([str(exe), "--root", str(project), "validate"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=120)
    assert built.returncode == 0 and built.stdout.rstrip().splitlines()[-1].startswith("检查通过"), built.stdout[-500:]


def _subcommands_help_tail() -> str:
    return parser().format_help().rstrip()[-40:]
