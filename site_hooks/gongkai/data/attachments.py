"""附件: the files a plan lists under ``附件``, stored in ``data/plans/<机构>/<年度>/<文件名>/附件/``.

Each listed file is checked before it reaches the site: it exists (a regular file, not a link), its
name is safe on every system and in a URL, its size is under :data:`MAX_BYTES`, and its type is read
from its content (:func:`sniff`), not from its extension: PDF, OFD (a ZIP with ``OFD.xml``), Word and
Excel (OOXML: a ZIP with ``[Content_Types].xml``; the old binary formats and WPS: an OLE compound file),
ZIP, JPG, PNG. The extension must agree with the content. Office files that carry macros (VBA) are
an error: a government site must not hand visitors documents that run code; save them as
.docx/.xlsx/.pdf instead (docs/data-format.md).

The build copies each attachment to a stable URL under its plan's page (:func:`gongkai.data.urls.attachment_url`).
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import olefile

from gongkai.data import schema, urls
from gongkai.data.checker import FileChecker, relpath

MAX_BYTES = schema.ATTACHMENT_MAX_MB * 1024 * 1024
FOLDER = "附件"  # data/plans/<机构>/<年度>/<文件名>/附件/
EXTENSIONS = {".pdf": "PDF", ".ofd": "OFD", ".doc": "DOC", ".docx": "DOCX", ".xls": "XLS", ".xlsx": "XLSX",
              ".wps": "WPS", ".zip": "ZIP", ".jpg": "JPG", ".jpeg": "JPG", ".png": "PNG"}
MACRO_EXTENSIONS = {".docm", ".dotm", ".xlsm", ".xltm", ".xlsb", ".pptm"}
SUGGESTED_EXT = {"PDF": ".pdf", "OFD": ".ofd", "DOC": ".doc", "DOCX": ".docx", "XLS": ".xls", "XLSX": ".xlsx",
                 "WPS": ".wps", "ZIP": ".zip", "JPG": ".jpg", "PNG": ".png"}
_UNSAFE = re.compile(r'[/\\<>:"|?*\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069#%]')
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Sniffed:
    kind: str  # PDF, OFD, DOC (a Word binary: .doc or .wps), DOCX, XLS, XLSX, ZIP, JPG, PNG, EXE, or "" (unknown)
    macros: bool = False
    broken: str = ""  # why a file that starts like a known type cannot be read


def _sniff_zip(path: Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            types = z.read("[Content_Types].xml").decode("utf-8", "replace") if "[Content_Types].xml" in names else None
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError, ValueError) as exc:
        return Sniffed("ZIP", broken=f"压缩包无法打开（{type(exc).__name__}）")
    if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
        return Sniffed("OFD")
    if types is None:
        return Sniffed("ZIP")
    macros = any(PurePosixPath(n).name.lower() == "vbaproject.bin" for n in names) or "macroenabled" in types.lower()
    if any(n.startswith("word/") for n in names):
        return Sniffed("DOCX", macros)
    if any(n.startswith("xl/") for n in names):
        return Sniffed("XLSX", macros)
    return Sniffed("ZIP", macros)  # another Office Open XML file (e.g. .pptx): not an accepted type


def _sniff_ole(path: Path) -> Sniffed:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            entries = ["/".join(e) for e in ole.listdir(streams=True, storages=True)]
    except (OSError, ValueError, IndexError, TypeError, RuntimeError) as exc:  # olefile raises plain errors on damage
        return Sniffed("DOC", broken=f"Office 文件已损坏（{type(exc).__name__}）")
    tops = {e.split("/")[0].lower() for e in entries}
    macros = bool(tops & {"macros", "_vba_project_cur", "vba"}) or any(e.lower().endswith("/vba") for e in entries)
    if "worddocument" in tops:
        return Sniffed("DOC", macros)
    if tops & {"workbook", "book"}:
        return Sniffed("XLS", macros)
    return Sniffed("OLE", macros)


def sniff(path: Path) -> Sniffed:
    """The type of the file at ``path``, read from its first bytes (and, for ZIP and OLE, its table of contents)."""
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(b"%PDF-"):
        return Sniffed("PDF")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path)
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("JPG")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("PNG")
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        return Sniffed("EXE")
    return Sniffed("")


def name_problem(name: str) -> tuple[str, str] | None:
    """Why ``name`` is not a safe attachment file name (message, hint), or None."""
    fix = "请把文件改名，只用汉字、字母、数字、下划线、连字符、括号和点，例如“2024年工作要点.pdf”"
    if name != unicodedata.normalize("NFC", name):
        return "文件名含有组合字符", fix
    if "/" in name or "\\" in name:
        return f"“{name}”含有文件夹分隔符", "只写文件名：文件放在本计划的“附件”文件夹里"
    if _UNSAFE.search(name):
        bad = _UNSAFE.search(name).group()  # type: ignore[union-attr]
        shown = bad if bad.isprintable() else f"U+{ord(bad):04X}"
        return f"文件名含有不能用的字符“{shown}”", fix
    if name.startswith((".", "-", " ")) or name.endswith((".", " ")) or name != name.strip():
        return "文件名不能以点、连字符或空格开头，也不能以点或空格结尾", fix
    if len(name) > schema.ATTACHMENT_NAME_MAX:
        return f"文件名太长（{len(name)}个字，上限{schema.ATTACHMENT_NAME_MAX}个）", "请缩短文件名，完整的标题可以写在“名称”里"
    if not PurePosixPath(name).suffix:
        return "文件名没有扩展名", "请加上扩展名，例如 .pdf、.docx"
    return None


def size_text(size: int) -> str:
    """A file size as the page shows it: 856 B, 35 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@dataclass
class Attachment:
    file: str  # the file name in the plan's 附件 folder
    name: str  # what the page shows
    kind: str  # PDF, DOCX … (schema.ATTACHMENT_TYPES)
    size: int  # bytes
    source: Path  # the file itself
    url: str  # site-relative URL the build copies it to

    @property
    def size_text(self) -> str:
        return size_text(self.size)


def folder(root: Path, dept: str, year: int | str, slug: str) -> Path:
    return root / "data" / "plans" / dept / str(year) / slug / FOLDER


def check_entry(c: FileChecker, i: int, entry: dict, base: Path, rel_base: str, plan_url: str) -> Attachment | None:
    """Check the ``i``-th entry of ``附件``; report through ``c``; the attachment or None."""
    where = ("附件", i, "文件")
    name = str(entry.get("文件") or "").strip()
    if not name:
        return None  # the schema reported it
    bad = name_problem(name)
    if bad:
        c.error(where, *bad)
        return None
    ext = PurePosixPath(name).suffix.lower()
    if ext in MACRO_EXTENSIONS:
        c.error(where, f"“{name}”是带宏的 Office 文件（{ext}），宏可以在访问者的电脑上运行程序",
                "请在 Office 或 WPS 中“另存为” .docx、.xlsx 或 PDF（不含宏）后再发布")
        return None
    if ext not in EXTENSIONS:
        c.error(where, f"不能发布 {ext} 类型的附件", "可用的类型：" + "、".join(schema.ATTACHMENT_TYPES) + "；其他文件请转为 PDF 或压缩成 ZIP")
        return None
    path = base / name
    rel = f"{rel_base}/{name}"
    if path.is_symlink():
        c.error(where, f"附件 {rel} 是符号链接（快捷方式）", "请把文件本身放在“附件”文件夹里")
        return None
    if not path.is_file():
        c.error(where, f"找不到附件文件 {rel}", f"请把“{name}”放进 {rel_base}/，或检查文件名（包括扩展名）")
        return None
    size = path.stat().st_size
    if size > MAX_BYTES:
        c.error(where, f"附件“{name}”太大（{size_text(size)}，上限 {schema.ATTACHMENT_MAX_MB} MB）",
                "请压缩图片或拆分文件；很大的文件请放在专门的下载服务上，在“相关文件”里写链接")
        return None
    if size == 0:
        c.error(where, f"附件“{name}”是空文件", "请重新保存这个文件")
        return None
    try:
        found = sniff(path)
    except OSError as exc:
        c.error(where, f"附件“{name}”读不出来（{exc.strerror or exc}）", "请检查文件的权限")
        return None
    want = EXTENSIONS[ext]
    if found.broken:
        c.error(where, f"附件“{name}”已损坏：{found.broken}", "请用原来的程序重新保存这个文件")
        return None
    if found.macros:
        c.error(where, f"“{name}”含有宏（VBA 代码），宏可以在访问者的电脑上运行程序",
                "请在 Office 或 WPS 中删除宏，或“另存为” .docx、.xlsx 或 PDF 后再发布")
        return None
    kind = found.kind
    if kind == "DOC" and want == "WPS":
        kind = "WPS"  # WPS 文字 files are Word binaries inside
    if kind == "EXE":
        c.error(where, f"附件“{name}”的内容是可执行程序，不是 {want} 文件", "不能发布程序；请换成真正的文档")
        return None
    if kind in ("", "OLE"):
        c.error(where, f"附件“{name}”的内容不是 {want} 文件（无法识别的格式）",
                "请用原来的程序重新保存为 " + "、".join(schema.ATTACHMENT_TYPES) + " 之一")
        return None
    if kind != want:
        c.error(where, f"附件“{name}”的扩展名是 {ext}，内容却是 {kind} 文件",
                f"请把文件改名为“{PurePosixPath(name).stem}{SUGGESTED_EXT.get(kind, '')}”，并修改这一行")
        return None
    title = str(entry.get("名称") or "").strip() or PurePosixPath(name).stem
    return Attachment(name, title, kind, size, path, urls.attachment_url(plan_url, name))


def check(c: FileChecker, root: Path, dept: str, year: int | str, slug: str, plan_url: str,
          has_folder: bool | None = None) -> list[Attachment]:
    """Every entry of the plan's ``附件`` checked; files in the folder that are not listed are a warning.
    ``has_folder``: whether the plan's attachment folder exists, if the caller knows (else asked of the disk)."""
    entries = c.doc.data.get("附件") or []
    base = folder(root, dept, year, slug)
    out: list[Attachment] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        name = str(entry.get("文件") or "").strip()
        key = name.lower()
        if name and key in seen:
            c.error(("附件", i, "文件"), f"附件“{name}”重复列出", f"与第{seen[key] + 1}项相同，请删除一项")
            continue
        seen[key] = i
        att = check_entry(c, i, entry, base, relpath(root, base), plan_url)
        if att is not None:
            out.append(att)
    if base.is_dir() if has_folder is None else has_folder:
        for path in sorted(base.iterdir()):
            if path.name.startswith(".") or path.name.lower() in seen:
                continue
            c.problems.warn(c.rel, c.doc.line(("附件",)) if entries else 1, "附件",
                            f"“附件”文件夹里的 {path.name} 没有列在“附件”中，不会发布",
                            f"要发布它，请在“附件”下加一项“- 文件: {path.name}”；不发布请把它移走")
    return out
