"""A fuzz corpus derived from the real sample data, and a harness that runs it.

Every case is a deterministic function of ``(seed, number)``: it takes one of the
sample project's files (``data/`` mostly, plans most often) and applies one kind of
mistake an editor or a Windows machine makes — deleted lines, swapped types, wrong
indentation, tabs, BOM, CRLF, GBK and UTF-16, truncation, empty and binary files,
files over the size limit, deep nesting, duplicate keys, anchors, aliases, merge keys,
a billion-laughs file, non-string keys, impossible and full-width dates, bad names and
folders, symlinks out of the project, pages that collide with generated ones.

The harness applies a case to a scratch copy of the project, calls the one loader
(and, when the data is valid, the page generator) in-process, checks the invariants
and undoes the case. See tests/test_fuzz.py; ``make fuzz`` runs many more cases.

Usage (show what case N does, to reproduce a failure by hand):
    python tests/fuzz/corpus.py --seed 8 --case 123 [--write DIR]
"""
from __future__ import annotations

import argparse
import copy
import random
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

REPO = Path(__file__).resolve().parents[2]
COPIED = ("data", "content", "templates", "mkdocs.yml")

# (kind, relative path, payload): write bytes | remove | symlink to a target | mkdir
Op = tuple


@dataclass
class Case:
    number: int
    mutator: str
    target: str
    ops: list[Op] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.number}-{self.mutator}:{self.target}"


# --- the sample project -----------------------------------------------------------------


def sample_files(root: Path = REPO) -> dict[str, bytes]:
    """Every data file of the sample project, by posix path relative to the root."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*.yml"))}


def make_scratch(dest: Path, root: Path = REPO) -> Path:
    """A copy of the parts of the project the loader and generator read."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True)
        else:
            shutil.copy2(src, dest / name)
    return dest


@contextmanager
def applied(root: Path, case: Case) -> Iterator[None]:
    """Apply the case's operations under ``root`` and undo them afterwards."""
    saved: dict[Path, bytes | None] = {}
    made_dirs: list[Path] = []

    def remember(path: Path) -> None:
        if path not in saved:
            saved[path] = path.read_bytes() if path.is_file() and not path.is_symlink() else None

    def ensure_dir(path: Path) -> None:
        missing = []
        while not path.exists():
            missing.append(path)
            path = path.parent
        for d in reversed(missing):
            d.mkdir()
            made_dirs.append(d)

    try:
        for op in case.ops:
            kind, rel = op[0], op[1]
            path = root / rel
            remember(path)
            ensure_dir(path.parent)
            if path.is_symlink() or path.is_file():
                path.unlink()
            if kind == "write":
                path.write_bytes(op[2])
            elif kind == "symlink":
                path.symlink_to(op[2])
            elif kind == "mkdir":
                ensure_dir(path)
            elif kind != "remove":
                raise ValueError(kind)
        yield
    finally:
        for path, data in saved.items():
            if path.is_symlink() or path.is_file():
                path.unlink()
            elif path.is_dir() and path not in made_dirs:
                shutil.rmtree(path)
            if data is not None:
                path.write_bytes(data)
        for d in reversed(made_dirs):
            if d.exists():
                shutil.rmtree(d)


# --- values editors type ---------------------------------------------------------------

BAD_DATES = [
    "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "0000-00-00", "２０２４年３月１日", "2024年3月1日",
    "2024年03月01日", "2024/3/1", "2024.03.01", "2024-3-1", "20240301", "24-03-01", "2024-03-01T10:00",
    "2024-03-01 10:00", "２０２４－０３－０１", "", " ", "无", "9999-12-31", "1900-01-01", "2024-02-29",
]
BAD_TIMES = ["25:00", "10:0", "１０：００", "10:00:00", "10点", "", "9:30", "24:00", "23:60", 600, 10.5]
DOC_NUMBERS = [
    "广科〔2024〕3号", "广科[2024]3号", "广科【2024】3号", "广科(2024)3号", "广科〔24〕3号", "广科〔2024〕第3号",
    "广科〔2024〕03号", "广科〔２０２４〕３号", "〔2024〕3号", "广科〔2024〕0号", "广 科〔2024〕3号", "3号", "<b>1</b>",
]
INDEX_NUMBERS = [
    "11341700MB0A12342H/202403-00001", "11341700MB0A12342H/202403-1", "11341700mb0a12342h/202403-00001",
    "１１３４１７００ＭＢ０Ａ１２３４２Ｈ／２０２４０３－００００１", "11341700MB0A12342H\\202403-00001",
    "11341700MB0A12342H/2024-00001", "000014349/2024-00001", "x", "", "11341700MB0A12342H/202403-00001 ",
]
CODES = ["11341700MB0A12342H", "11341700MB0A12342X", "11341700MB0A1234", "１１３４１７００ＭＢ０Ａ１２３４２Ｈ",
         "11341700mb0a12342h", "IIIIIIIIIIIIIIIIII", "00325409-X", "003254090", "", "MB0A1234-2"]
SLUGS = ["CON", "con", "aux", "lpt1", "Gongzuo", "a b", "中文", "-x", "x-", "x--y", "..", ".", "a.b", "ａｂ",
         "cafe\u0301", "café", "x" * 200, "a\\b", "a\x01b", "nul", "2024", "fl", "zt", "nd", "index", "zhinan"]
STRINGS = ["", " ", "　", "\t", "x" * 20000, "１２３", "<script>alert(1)</script>", "${{ 7*7 }}", "{{ 7*7 }}",
           "{% raw %}", "@@GK_ROOT@@", "javascript:alert(1)", "../../etc/passwd", "C:\\Windows", "\ufeff名称",
           "名称\u200b", "e\u0301", "\U0001F600", "null", "~", "true", "no", "0x1F", "1e999", ".nan", "-.inf"]


def _swap_values(rng: random.Random) -> Any:
    pick = rng.randrange(14)
    if pick == 0:
        return rng.randint(-10**6, 10**6)
    if pick == 1:
        return rng.random() * 1e6
    if pick == 2:
        return int("9" * rng.choice([19, 40, 400, 4000]))
    if pick == 3:
        return rng.choice([True, False])
    if pick == 4:
        return None
    if pick == 5:
        return []
    if pick == 6:
        return {}
    if pick == 7:
        return [rng.choice(STRINGS), {"a": 1}, [1, [2]]]
    if pick == 8:
        return {"名称": "x", "1": [None]}
    if pick == 9:
        return rng.choice(BAD_DATES)
    if pick == 10:
        return rng.choice(DOC_NUMBERS + INDEX_NUMBERS + CODES)
    return rng.choice(STRINGS)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append(prefix + (k,))
            out += _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.append(prefix + (i,))
            out += _paths(v, prefix + (i,))
    return out


def _set(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _delete(data: Any, path: tuple) -> None:
    for part in path[:-1]:
        data = data[part]
    del data[path[-1]]


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data: Any) -> bytes:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6).encode("utf-8")


def _lines(raw: bytes) -> list[str]:
    return raw.decode("utf-8").split("\n")


# --- mutators: (rng, files, target) -> ops -----------------------------------------------

Mutator = Callable[[random.Random, dict[str, bytes], str], list[Op]]
MUTATORS: dict[str, tuple[int, Mutator]] = {}  # name -> (weight, function)


def mutator(weight: int) -> Callable[[Mutator], Mutator]:
    def register(fn: Mutator) -> Mutator:
        MUTATORS[fn.__name__] = (weight, fn)
        return fn
    return register


def _text_op(target: str, lines: list[str]) -> list[Op]:
    return [("write", target, "\n".join(lines).encode("utf-8"))]


@mutator(8)
def delete_lines(rng, files, target):
    lines = _lines(files[target])
    for _ in range(rng.randint(1, 3)):
        if lines:
            del lines[rng.randrange(len(lines))]
    return _text_op(target, lines)


@mutator(5)
def delete_span(rng, files, target):
    text = files[target].decode("utf-8")
    a = rng.randrange(len(text))
    b = min(len(text), a + rng.randint(1, 40))
    return [("write", target, (text[:a] + text[b:]).encode("utf-8"))]


@mutator(5)
def duplicate_line(rng, files, target):
    lines = _lines(files[target])
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines)), lines[i])
    return _text_op(target, lines)


@mutator(3)
def swap_lines(rng, files, target):
    lines = _lines(files[target])
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return _text_op(target, lines)


@mutator(8)
def reindent(rng, files, target):
    lines = _lines(files[target])
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        if rng.random() < 0.5:
            lines[i] = " " * rng.randint(1, 5) + lines[i]
        else:
            lines[i] = lines[i].lstrip(" ")[: len(lines[i])] if lines[i].startswith(" ") else lines[i]
            lines[i] = lines[i][rng.randint(0, 1):] if lines[i].startswith(" ") else lines[i]
    return _text_op(target, lines)


@mutator(4)
def tabs(rng, files, target):
    lines = _lines(files[target])
    i = rng.randrange(len(lines))
    choice = rng.randrange(3)
    if choice == 0:
        lines[i] = "\t" + lines[i].lstrip(" ")
    elif choice == 1:
        lines[i] = lines[i].replace(": ", ":\t", 1)
    else:
        lines = [ln.replace("  ", "\t") for ln in lines]
    return _text_op(target, lines)


@mutator(3)
def encoding(rng, files, target):
    text = files[target].decode("utf-8")
    choice = rng.choice(["bom", "crlf", "cr", "bom+crlf", "gbk", "gb18030", "utf-16", "utf-16-be", "utf-16-le", "utf-32", "latin1-mojibake"])
    if choice == "bom":
        raw = b"\xef\xbb\xbf" + text.encode("utf-8")
    elif choice == "crlf":
        raw = text.replace("\n", "\r\n").encode("utf-8")
    elif choice == "cr":
        raw = text.replace("\n", "\r").encode("utf-8")
    elif choice == "bom+crlf":
        raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    elif choice in ("gbk", "gb18030"):
        raw = text.encode(choice, errors="replace")
    elif choice == "latin1-mojibake":
        raw = text.encode("utf-8").decode("latin-1").encode("utf-8")
    else:
        raw = text.encode(choice)
    return [("write", target, raw)]


@mutator(5)
def truncate(rng, files, target):
    raw = files[target]
    return [("write", target, raw[: rng.randrange(len(raw))])]


@mutator(2)
def empty(rng, files, target):
    return [("write", target, rng.choice([b"", b" ", b"\n\n", b"# \xe5\x8f\xaa\xe6\x9c\x89\xe6\xb3\xa8\xe9\x87\x8a\n", b"---\n", b"~\n", b"[]\n", b"{}\n", b"\"\"\n", b"42\n"]))]


@mutator(2)
def binary(rng, files, target):
    choice = rng.randrange(4)
    if choice == 0:
        raw = rng.randbytes(rng.randint(1, 4096))
    elif choice == 1:
        raw = b"\x89PNG\r\n\x1a\n" + rng.randbytes(200)
    elif choice == 2:
        raw = b"PK\x03\x04" + rng.randbytes(200)  # a .docx
    else:
        raw = files[target] + b"\x00" + rng.randbytes(10)
    return [("write", target, raw)]


@mutator(1)
def too_large(rng, files, target):
    from gongkai.data.yamlio import MAX_BYTES
    pad = b"# " + b"x" * 1000 + b"\n"
    return [("write", target, files[target] + pad * (MAX_BYTES // len(pad) + 1))]


@mutator(1)
def large_ok(rng, files, target):
    """Just under the limit: must load (and generate) in bounded time."""
    if "/plans/" not in target:
        return [("write", target, files[target] + b"\n# " + b"x" * 100_000 + b"\n")]
    from gongkai.data.schema import MAX_BODY_CHARS
    data = yaml.safe_load(files[target])
    para = rng.choice(["一、抓好企业研发经费投入。" * 40, "- 列表项 " * 200, "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 50,
                       "**" * 300, "> - > - " * 100, "[a](b) <b>x</b> " * 50])
    limit = MAX_BODY_CHARS + rng.choice([-1000, 1000])  # just under (must render in time) or just over (an error)
    data["正文"] = "\n\n".join([para] * (limit // (len(para) + 2)))
    if rng.random() < 0.3:
        data["摘要"] = "摘要" * 200_000  # long plain text: escaped, not parsed
    return [("write", target, _dump(data))]


@mutator(3)
def deep_nesting(rng, files, target):
    n = rng.choice([21, 25, 200, 5000, 100_000])
    key = rng.choice(["正文", "关键词", "名称", "联系方式", "x"])
    style = rng.randrange(3)
    if style == 0:
        value = "[" * n + "]" * n
    elif style == 1:
        value = "{a: " * n + "1" + "}" * n
    else:
        value = "\n" + "".join("  " * (i + 1) + "a:\n" for i in range(min(n, 3000)))
    line = f"{key}: {value}"
    if "/vocab/" in target:
        line = "- " + line
    return [("write", target, files[target] + b"\n" + line.encode("utf-8") + b"\n")]


BILLION_LAUGHS = "\n".join(
    ["a: &a [\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\"]"]
    + [f"{c}: &{c} [{','.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
) + "\n"


@mutator(3)
def aliases(rng, files, target):
    choice = rng.randrange(5)
    text = files[target].decode("utf-8")
    if choice == 0:
        return [("write", target, BILLION_LAUGHS.encode("utf-8"))]
    if choice == 1:
        return [("write", target, (text + "\n" + BILLION_LAUGHS.replace("a:", "名称:", 1)).encode("utf-8"))]
    if choice == 2:  # anchor an existing value, refer to it from a new key
        lines = _lines(files[target])
        i = rng.randrange(len(lines))
        if ": " in lines[i]:
            k, v = lines[i].split(": ", 1)
            lines[i] = f"{k}: &x {v}"
        lines.append("摘要: *x")
        return _text_op(target, lines)
    if choice == 3:
        return [("write", target, (text + "\n基础: &base\n  来源: 示例\n合并:\n  <<: *base\n").encode("utf-8"))]
    return [("write", target, (text + "\n<<: {来源: 示例}\n").encode("utf-8"))]


@mutator(3)
def odd_yaml(rng, files, target):
    text = files[target].decode("utf-8")
    extra = rng.choice([
        "? [a, b]\n: c\n", "1: x\n", "null: y\n", "true: z\n", "{a: 1}: b\n", "? - x\n: y\n", "2024-01-01: d\n",
        "名称: !!python/object/apply:os.system [\"echo\"]\n", "名称: !!binary aGk=\n", "名称: !custom x\n",
        "关键词: !!set {a, b}\n", "---\n名称: 第二个文档\n", "名称：中文冒号\n", "名称: \"\\x07\"\n", "名称: \"\\u202e反转\"\n",
        "名称: a\x07b\n", "名称: \u202ex\n", "名称: '未闭合\n", "名称: \"\\ud800\"\n", "%YAML 1.1\n---\n名称: x\n",
        "名称: \"\\N\\_\\L\\P\"\n", "名称: |\n\t缩进\n", "正文: >-\n" + "  行\n" * 10, "名称: " + "9" * 5000 + "\n",
        "名称: 0x" + "f" * 100 + "\n", "名称: 1e99999\n", "名称: [\n", "名称: {\n", "- x\n", "名称: a: b\n",
    ])
    if rng.random() < 0.5:
        return [("write", target, (text + "\n" + extra).encode("utf-8"))]
    return [("write", target, (extra + text).encode("utf-8"))]


@mutator(10)
def swap_type(rng, files, target):
    data = yaml.safe_load(files[target])
    paths = _paths(data)
    if not paths:
        return [("write", target, _dump(_swap_values(rng)))]
    for _ in range(rng.randint(1, 2)):
        paths = _paths(data)
        if paths:
            _set(data, rng.choice(paths), _swap_values(rng))
    return [("write", target, _dump(data))]


@mutator(8)
def delete_key(rng, files, target):
    data = yaml.safe_load(files[target])
    paths = _paths(data)
    if paths:
        _delete(data, rng.choice(paths))
    return [("write", target, _dump(data))]


@mutator(3)
def unknown_key(rng, files, target):
    data = yaml.safe_load(files[target])
    if isinstance(data, list) and data:
        data = copy.deepcopy(data)
        item = rng.choice(data)
        item[rng.choice(["名 称", "标识 ", "title", "说明x", "1"])] = "x"
    elif isinstance(data, dict):
        data[rng.choice(["名 称", "发布日期 ", "title", "正 文", "索 引号", "<script>", "网站名"])] = rng.choice(STRINGS)
    return [("write", target, _dump(data))]


PLAN_FIELDS = {
    "生成日期": BAD_DATES, "发布日期": BAD_DATES, "发布时间": BAD_TIMES, "文号": DOC_NUMBERS, "索引号": INDEX_NUMBERS,
    "组配分类": ["规划计划", "规划 计划", "规划计划 ", "不存在", "政策法规", ""],
    "主题分类": ["科技、教育\\科技", "科技、教育/科技", "科技、教育／科技", "科技、教育", "科技", "其他", "综合政务\\不存在"],
    "有效性": ["有效", "已废止", "无效", "", "有 效"], "发布机构": ["skjj", "gdkjj", "nobody", "SKJJ", "../skjj"],
    "标识": SLUGS, "关键词": [["a", "a"], [], [None], "科技", [["x"]]],
    "相关文件": [
        [{"文件": "gdkjj/2024/gongzuo-jihua"}], [{"文件": "gdkjj/2024/nope"}], [{"文件": "../../etc/passwd"}],
        [{"文件": "skjj/2024/gongzuo-jihua-ba-xiang"}], [{"名称": "x"}], [{"名称": "x", "链接": "javascript:alert(1)"}],
        [{"名称": "x", "链接": "https://example.org/a b"}], [{"名称": "x", "链接": "https://example.org/\"><script>"}],
        [{"名称": "x", "链接": "data:text/html,<script>alert(1)</script>"}], [{"关系": "不存在", "文件": "gdkjj/2024/gongzuo-jihua"}],
        [{"文件": "gdkjj/2024/gongzuo-jihua"}, {"文件": "gdkjj/2024/gongzuo-jihua"}], [{}], ["x"], [None],
    ],
    "指标": [[{"编号": "a"}, {"编号": "a"}], [{"目标值": "x"}], ["x"], [{"编号": "A B"}]],
}
DEPT_FIELDS = {"标识": SLUGS, "统一社会信用代码": CODES, "组织机构代码": CODES,
               "组配分类": [["规划计划", "政策法规"], ["不存在"], [], ["规划计划", "规划计划"], "规划计划"]}
SITE_FIELDS = {
    "网站域名": ["kj.example.gov.cn", "https://kj.example.gov.cn", "KJ.example.gov.cn", "", "a b"],
    "网站地址": ["https://kj.example.gov.cn/", "javascript:alert(1)", "kj.example.gov.cn", "//evil.example/", "https://x/\"><svg onload=alert(1)>"],
    "找错链接": ["javascript:alert(1)", "https://x", "", "data:text/html,x"],
    "ICP备案链接": ["javascript:alert(1)", "HTTPS://X"], "网站标识码": ["3418820001", "341882000", "bm12345678", "３４１８８２０００１"],
    "党政机关网站标识": [{"图片": "assets/dzjg.png"}, {"图片": "../data/site.yml"}, {"图片": "/etc/hostname"},
                         {"图片": "assets/../../mkdocs.yml"}, {"图片": "assets\\dzjg.png"}, {"图片": "https://evil.example/x.png"},
                         {"图片": "assets/dzjg.png", "链接": "javascript:alert(1)"}, {"图片": ""}, {"链接": "https://x/"}],
    "索引号": [{"格式": "安徽"}, {"格式": "全国"}, {"格式": "广东", "序号周期": "月"}, {"格式": "x"}, {}, "安徽"],
    "联系方式": [{"电话": "1"}, {"邮编": "1"}, {}, "电话", [{"电话": "1"}]],
}


@mutator(12)
def editor_values(rng, files, target):
    data = yaml.safe_load(files[target])
    table = PLAN_FIELDS if "/plans/" in target else DEPT_FIELDS if "/departments/" in target else SITE_FIELDS if target.endswith("site.yml") else None
    if table is None or not isinstance(data, dict):
        return swap_type(rng, files, target)
    for _ in range(rng.randint(1, 3)):
        key = rng.choice(list(table))
        data[key] = copy.deepcopy(rng.choice(table[key]))
    return [("write", target, _dump(data))]


@mutator(6)
def bad_location(rng, files, target):
    """Plan or department files with names and folders that cannot become URLs."""
    plans = [f for f in files if f.startswith("data/plans/")]
    src = rng.choice(plans) if "/plans/" not in target else target
    dept, year, name = src.split("/")[2:5]
    choice = rng.randrange(8)
    if choice == 0:
        dest = f"data/plans/{dept}/{year}/{rng.choice(SLUGS)}.yml"
    elif choice == 1:
        dest = f"data/plans/{dept}/{rng.choice(['24', '２０２４', '2024a', '1899', '3000', '2024 '])}/{name}"
    elif choice == 2:
        dest = f"data/plans/{rng.choice(['nobody', 'SKJJ', 'con', '中文'])}/{year}/{name}"
    elif choice == 3:
        dest = rng.choice([f"data/plans/{dept}/{year}/sub/{name}", f"data/plans/{dept}/{name}", f"data/plans/{name}",
                           f"data/plans/{dept}/{year}/{name[:-4]}.yaml", f"data/plans/{dept}/{year}/{name[:-4]}.YML",
                           f"data/plans/{dept}/{year}/{name}.bak", f"data/plans/{dept}/{year}/{name[:-4]}"])
    elif choice == 4:  # a copy under another name: same 索引号 twice
        return [("write", f"data/plans/{dept}/{year}/copy-{rng.randrange(100)}.yml", files[src])]
    elif choice == 5:
        link = rng.choice(["/etc/passwd", "/etc/hostname", "../../../site.yml", "../../../../mkdocs.yml", "/nonexistent", "."])
        return [("symlink", f"data/plans/{dept}/{year}/link-{rng.randrange(10)}.yml", link)]
    elif choice == 6:
        dept_file = rng.choice([f for f in files if f.startswith("data/departments/")])
        new = rng.choice(SLUGS + ["SKJJ", "x"])
        return [("remove", dept_file), ("write", f"data/departments/{new}.yml", files[dept_file])]
    else:
        return [("remove", rng.choice(["data/site.yml", "data/vocab/topics.yml", "data/vocab/categories.yml", src]))]
    return [("remove", src), ("write", dest, files[src])]


@mutator(3)
def collisions(rng, files, target):
    """Hand-written pages and department names that would land on a generated page."""
    choice = rng.randrange(3)
    if choice == 0:
        page = rng.choice(["content/xxgk/index.md", "content/xxgk/skjj/index.md", "content/xxgk/skjj.md", "content/wzdt.md",
                           "content/xxgk/fl/ghjh.md", "content/xxgk/nd/2024/index.md", "content/xxgk/skjj/2024/gongzuo-jihua-ba-xiang.md"])
        return [("write", page, "# 手写页面\n".encode("utf-8"))]
    dept_file = rng.choice([f for f in files if f.startswith("data/departments/")])
    slug = rng.choice(["fl", "zt", "nd", "zhinan", "nianbao", "zhidu", "fdzdgknr", "index"])
    data = yaml.safe_load(files[dept_file])
    data["标识"] = slug
    old = dept_file.rsplit("/", 1)[1][:-4]
    ops: list[Op] = [("remove", dept_file), ("write", f"data/departments/{slug}.yml", _dump(data))]
    for f in files:
        if f.startswith(f"data/plans/{old}/"):
            ops += [("remove", f), ("write", f.replace(f"/{old}/", f"/{slug}/", 1), files[f])]
    return ops


def _choose_target(rng: random.Random, files: dict[str, bytes]) -> str:
    names = sorted(files)
    plans = [n for n in names if n.startswith("data/plans/")]
    return rng.choice(plans) if rng.random() < 0.6 else rng.choice(names)


def make_case(seed: int, number: int, files: dict[str, bytes]) -> Case:
    rng = random.Random(f"{seed}:{number}")
    names = sorted(MUTATORS)
    weights = [MUTATORS[n][0] for n in names]
    name = rng.choices(names, weights)[0]
    target = _choose_target(rng, files)
    ops = MUTATORS[name][1](rng, files, target)
    return Case(number, name, target, ops)


def cases(seed: int, count: int, files: dict[str, bytes], start: int = 0) -> Iterator[Case]:
    for n in range(start, start + count):
        yield make_case(seed, n, files)


# --- inputs of gongkai import: saved old-platform pages, catalogues, documents (issue 17) --------------
IMPORT_CORPUS = REPO / "tests" / "import_corpus"
_CHARSETS = [b"utf-8", b"gbk", b"gb2312", b"gb18030", b"big5", b"latin-1", b"x-unknown", b"utf-16", b""]


def import_samples() -> dict[str, bytes]:
    """The hand-written import corpus (tests/import_corpus/): pages, documents and an attachment."""
    return {p.name: p.read_bytes() for p in sorted(IMPORT_CORPUS.iterdir()) if p.is_file()}


def _catalogue_csv(rng: random.Random) -> bytes:
    header = rng.sample(["索引号", "标题", "名称", "文号", "发布机构", "成文日期", "发布日期", "信息分类", "主题分类", "链接", "URL", ""], 6)
    rows = [",".join(header)]
    values = ["11341700MB0A12342H/2023-00008", "2023年3月8日", "2023-02-30", "计划总结", "科技", "http://kjj.example.gov.cn/a.html",
              "/art/1.html", "示科〔2023〕5号", "\"引号,逗号\"", "", "=HYPERLINK(1)", "\u3000"]
    for _ in range(rng.randint(0, 6)):
        rows.append(",".join(rng.choice(values) for _ in header))
    text = "\n".join(rows)
    return text.encode(rng.choice(["utf-8", "utf-8-sig", "gb18030"]), errors="replace")


def make_import_case(seed: int, number: int, samples: dict[str, bytes]) -> tuple[str, str, bytes]:
    """(case id, file name, content): one import input broken the way files are broken in real life."""
    rng = random.Random(f"import-{seed}-{number}")
    name = rng.choice([n for n in samples if not n.endswith(".pdf")])
    raw = samples[name]
    kind = rng.choice(["truncate", "delete-lines", "shuffle-lines", "recode", "charset", "nul", "nest", "duplicate",
                       "strip-tags", "catalogue", "as-html", "empty-elements"])
    lines = raw.split(b"\n")
    if kind == "truncate":
        raw = raw[:rng.randint(0, len(raw))]
    elif kind == "delete-lines":
        for _ in range(rng.randint(1, max(1, len(lines) // 3))):
            if lines:
                del lines[rng.randrange(len(lines))]
        raw = b"\n".join(lines)
    elif kind == "shuffle-lines":
        rng.shuffle(lines)
        raw = b"\n".join(lines)
    elif kind == "recode":  # saved again by another tool in another encoding, declaration unchanged
        for enc in ("utf-8", "gb18030", "big5"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            text = raw.decode("latin-1")
        raw = text.encode(rng.choice(["utf-8", "gb18030", "utf-16", "big5"]), errors="replace")
    elif kind == "charset":
        raw = b'<meta charset="' + rng.choice(_CHARSETS) + b'">' + raw
    elif kind == "nul":
        at = rng.randint(0, len(raw))
        raw = raw[:at] + b"\x00" * rng.randint(1, 50) + raw[at:]
    elif kind == "nest":
        depth = rng.choice([100, 1000, 5000])
        raw = rng.choice([b"<div>", b"<table><tr><td>", b"<span>", b"<p>"]) * depth + raw
    elif kind == "duplicate":
        raw = raw + raw
    elif kind == "strip-tags":
        raw = raw.replace(b"</", b"<")
    elif kind == "catalogue":
        name, raw = rng.choice(["目录.csv", "catalogue.csv"]), _catalogue_csv(rng)
    elif kind == "as-html":  # a text document renamed to .html
        name = name.rsplit(".", 1)[0] + ".html"
    elif kind == "empty-elements":
        raw = raw.replace(b"<td>", b"<td></td><td>").replace(b"<p>", b"<p></p><p>")
    return f"import-{number}-{kind}:{name}", name, raw


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--case", type=int, required=True)
    p.add_argument("--write", type=Path, help="write a scratch project with the case applied into this folder")
    args = p.parse_args(argv)
    case = make_case(args.seed, args.case, sample_files())
    print(case.id)
    for op in case.ops:
        print(" ", op[0], op[1], repr(op[2][:200]) if len(op) > 2 else "")
    if args.write:
        root = make_scratch(args.write)
        ctx = applied(root, case)
        ctx.__enter__()  # leave it applied
        print(f"已写入 {root}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "site_hooks"))
    sys.exit(main())
