"""Text exports → cleaned lines.

Undoes what the PDF-to-text step did to the disclosures: text drawn twice for bold
(`合计合计`, `1234.561234.56`, `第一部分 概况第一部分 概况`), watermark and page furniture lines
(`仅供内部审核`, `-- 6`, `预算公开表1`), odd encodings (GB18030/GBK). Table rows keep their
cells separated by tabs; space-separated exports keep their spaces (the table parser splits them).
Hard-wrapped narrative lines are rejoined later, by the parser, which knows what is a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.model import Line

_FURNITURE = [
    re.compile(r"^\s*仅供内部审核\s*$"),
    re.compile(r"^\s*--\s*\d+\s*$"),  # page numbers drawn as "-- 6"
    re.compile(r"^\s*-?\s*\d{1,3}\s*-?\s*$"),  # bare page numbers
    re.compile(r"^\s*第\s*\d+\s*页\s*(共\s*\d+\s*页)?\s*$"),
    re.compile(r"^\s*[!?？]+\S{0,6}\s*$"),  # stray glyph garbage left by the exporter ("3?", "!!Dâ↑▲▲")
    re.compile(r"^\s*\d\?\s*$"),
]

TRUNCATED_UTF8 = "utf-8（末尾不完整）"
TRUNCATED_UTF16 = "utf-16（末尾不完整）"

# A run of text drawn twice: a decimal number (1234.56) or 2+ non-digit, non-space characters.
_DOUBLED_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d+)\1")
_DOUBLED_TEXT = re.compile(r"([^\s\d]{2,}?(?:\d+[^\s\d]+)?)\1")


@dataclass
class LoadedText:
    """A decoded, cleaned text export: lines numbered 1… as in the cleaned text, and the encoding used."""

    path: Path
    lines: list[Line]
    encoding: str
    sha256: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Bytes → (text, encoding): UTF-16 with its BOM, UTF-8 (with or without BOM), then GB18030 (a
    superset of GBK). A UTF-8 text cut inside its last character is decoded as `utf-8（末尾不完整）`."""
    if not data.strip():
        raise IngestError(path, "文件是空的", "请检查导出是否完整，然后重新导入")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return data[: len(data) - len(data) % 2].decode("utf-16", errors="replace"), TRUNCATED_UTF16
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        # A file cut mid-way usually ends inside a 2–4 byte character: the rest is sound UTF-8.
        if error.reason == "unexpected end of data" and len(data) - error.start < 4:
            return data[: error.start].decode("utf-8-sig"), TRUNCATED_UTF8
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(path, "无法识别文件编码", "请把文件另存为 UTF-8 后重新导入")
    return str(best), best.encoding


def undouble(text: str) -> str:
    """Undo bold-by-drawing-twice: whole lines, repeated tokens and doubled runs inside tokens.

    Pure-digit runs (科目编码 such as 2101101) are never touched; a decimal number is undoubled
    only when it is its exact double (1234.561234.56 → 1234.56).
    """
    stripped = text.strip()
    if not stripped:
        return text
    half = _exact_half(stripped)
    if half is not None:
        return half
    tokens = re.split(r"( +|\t)", text)
    # Doubled runs inside a word are undone only on a line that shows bold doubling elsewhere:
    # a catalog name such as 体（美）育教育教学服务 repeats 教育 legitimately.
    bold_line = bool(_DOUBLED_NUMBER.search(text)) or any(_exact_half(t.strip()) for t in tokens if t.strip())
    out: list[str] = []
    previous_word = ""
    for token in tokens:
        if token.strip() == "" and token:
            out.append(token)
            continue
        token = _undouble_token(token, bold_line)
        # "第二部分 第二部分": the same heading word repeated as two tokens (numbers may repeat legitimately).
        separator = out[-1] if out else ""
        if token and token == previous_word and "\t" not in separator and not re.search(r"\d", token):
            while out and out[-1].strip() == "":
                out.pop()
            continue
        if token:
            previous_word = token
        out.append(token)
    return "".join(out)


def _exact_half(text: str) -> str | None:
    """`第一部分 概况第一部分 概况` → `第一部分 概况`; None when the text is not a doubled string."""
    n = len(text)
    if n >= 4 and n % 2 == 0 and text[: n // 2] == text[n // 2 :] and not text.isdigit():
        half = text[: n // 2]
        if re.search(r"[^\d\s.,]", half) or "." in half:
            return half
    # "第三部分 第三部分 2024年度…说明2024年度…说明" handled token-wise by the caller.
    return None


def _undouble_token(token: str, bold_line: bool) -> str:
    if not token:
        return token
    half = _exact_half(token)
    if half is not None:
        return half
    token = _DOUBLED_NUMBER.sub(r"\1", token)
    return _DOUBLED_TEXT.sub(_keep_if_bold_run, token) if bold_line else token


def _keep_if_bold_run(match: re.Match[str]) -> str:
    unit = match.group(1)
    # Real Chinese repeats short words ("研究研究") only in speech, never in these documents, but a
    # doubled run of punctuation or a single reduplicated character is left alone.
    if len(re.sub(r"[^\u4e00-\u9fff]", "", unit)) < 2:
        return match.group(0)
    return unit


def is_furniture(text: str) -> bool:
    """Watermarks, page numbers and exporter garbage that are not part of the document."""
    return any(pattern.match(text) for pattern in _FURNITURE)


def clean_lines(raw_lines: list[str], page: int | None = None, start: int = 1) -> list[Line]:
    """Raw lines → cleaned, numbered lines (blank lines kept: they separate blocks)."""
    lines: list[Line] = []
    number = start
    for raw in raw_lines:
        # Full-width and no-break spaces are spaces; `**` is markdown bold left by some exporters.
        text = raw.replace("\u3000", " ").replace("\xa0", " ").replace("**", "").rstrip("\r\n")
        if is_furniture(text):
            text = ""
        text = undouble(text.rstrip())
        lines.append(Line(number=number, text=text, page=page))
        number += 1
    return lines


def load_text_file(path: Path) -> LoadedText:
    """Read a text export and return its cleaned lines. Line numbers are those of the original file."""
    import hashlib

    data = path.read_bytes()
    text, encoding = decode(data, path)
    raw_lines = text.splitlines()
    warnings = []
    if encoding in (TRUNCATED_UTF8, TRUNCATED_UTF16):
        warnings.append(
            f"{path.name} 末尾有半个字符：文件在写入或复制时被截断了，已读出截断前的内容；请找到完整的文件重新导入"
        )
    return LoadedText(
        path=path,
        lines=clean_lines(raw_lines),
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=warnings,
    )
