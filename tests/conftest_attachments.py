"""Real attachment files for the 附件 tests: a PDF with Chinese text, DOCX (python-docx), a macro-enabled
DOCX, OLE files with and without a VBA storage (olefile cannot write, so a minimal compound file is
built here), an OFD, a ZIP, PNG and JPG headers.

``make_pdf`` writes a one-page PDF whose text uses the Adobe-GB1 CJK font (no glyphs embedded) with a
ToUnicode map, so viewers show it and text extractors (pypdf) read it back as the original Chinese.
"""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path


def make_pdf(text: str) -> bytes:
    """A valid one-page PDF showing ``text`` (one line; any BMP characters)."""
    chars = list(dict.fromkeys(text))
    code = {ch: i + 1 for i, ch in enumerate(chars)}
    shown = "".join(f"{code[ch]:04X}" for ch in text)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
            "/CMapName /Gongkai-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange "
            f"{len(chars)} beginbfchar "
            + " ".join(f"<{code[ch]:04X}> <{ord(ch):04X}>" for ch in chars)
            + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    content = f"BT /F1 18 Tf 72 720 Td <{shown}> Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 8 0 R >>",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(paragraphs: list[str]) -> bytes:
    """A real .docx written by python-docx."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_docm(paragraphs: list[str]) -> bytes:
    """A macro-enabled Word file: the python-docx package plus word/vbaProject.bin and the macro content type."""
    src = zipfile.ZipFile(io.BytesIO(make_docx(paragraphs)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
            out.writestr(item, data)
        out.writestr("word/vbaProject.bin", make_ole(["VBA", "PROJECT"]))
    return buf.getvalue()


def make_ole(names: list[str]) -> bytes:
    """A minimal OLE compound file (512-byte sectors) whose root storage holds empty streams named ``names``
    (a name ending in "/" is a storage), enough for a reader to list them: WordDocument → a .doc,
    Workbook → a .xls, Macros/ or _VBA_PROJECT_CUR/ → VBA macros."""
    entries = [("Root Entry", 5)] + [(n.rstrip("/"), 1 if n.endswith("/") else 2) for n in names]
    # directory: a right-leaning chain of siblings under the root (valid red-black tree: all black)
    dir_bytes = b""
    for i, (name, kind) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        left, right, child = 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF
        if i == 0:
            child = 1 if len(entries) > 1 else 0xFFFFFFFF
        elif i + 1 < len(entries):
            right = i + 1
        start = 0xFFFFFFFE if kind == 5 else 0  # ENDOFCHAIN for the empty mini stream
        dir_bytes += struct.pack("<64sHBBIII16sIQQIIxxxx", raw.ljust(64, b"\x00"), len(raw), kind, 1, left, right,
                                 child, b"\x00" * 16, 0, 0, 0, start, 0)
    dir_bytes = dir_bytes.ljust(-(-len(dir_bytes) // 512) * 512, b"\x00")
    dir_sectors = len(dir_bytes) // 512
    # sector 0: the FAT; sectors 1..: the directory
    fat = [0xFFFFFFFD] + [i + 2 for i in range(dir_sectors - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x00" * 16, 0x3E, 3,
                         0xFFFE, 9, 6, b"\x00" * 6, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", 0xFFFFFFFF) * 108
    return header + struct.pack("<128I", *fat) + dir_bytes


def make_ofd() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>')
        z.writestr("Doc_0/Document.xml", "<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"/>")
    return buf.getvalue()


def make_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("说明.txt", "附件说明")
    return buf.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\x00" * 17
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode."


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path
