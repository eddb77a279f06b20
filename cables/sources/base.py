from __future__ import annotations

from dataclasses import dataclass

from cables.parsing.types import Metadata

# The largest real cable is 66 KB; anything past this is not one cable.
MAX_CABLE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class _Located:
    """Where something read comes from: the file and, in a CSV dump, the row."""

    source: str  # the file
    row: int | None  # the row for CSV dumps, else None

    @property
    def location(self) -> str:
        return f"{self.source}:{self.row}" if self.row is not None else self.source


@dataclass(frozen=True)
class SourceItem(_Located):
    text: str
    metadata: Metadata | None = None
    note: str | None = None  # something worth telling (e.g. "decoded as cp1252")


@dataclass(frozen=True)
class SourceError(_Located):
    reason: str


@dataclass(frozen=True)
class SourceNote(_Located):
    """Something worth telling about the inputs that is neither a cable nor a failure
    (a metadata file decoded as cp1252, a directory symlink loop not followed)."""

    note: str


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str, *, backslash: bool = True) -> str:
    """``text`` safe to print on one line of a report, as ``ls -b`` writes file names:
    every character that is not printable (newlines, terminal escapes, line and
    paragraph separators, bytes of a name that is not UTF-8) written as an escape
    (``\\n``, ``\\x1b``, ``\\u2028``; an undecodable byte as ``\\xff``), and, with
    ``backslash`` (paths), a backslash as ``\\\\`` so that no name can pass for an
    escape. Printable text, accents and other scripts included, is left as it is."""
    if text.isprintable() and (not backslash or "\\" not in text):
        return text
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\" if backslash else char)
        elif char.isprintable():
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        else:
            code = ord(char)
            if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
                code -= 0xDC00
            if code <= 0xFF:
                out.append(f"\\x{code:02x}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    return "".join(out)


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode cable bytes: UTF-8 (with or without BOM), else cp1252, the encoding old
    mirrors used. Returns the text and a note when it was not UTF-8. Raises ValueError
    for binary data."""
    if b"\x00" in data:  # anywhere: the database refuses NUL in text
        raise ValueError("binary file (contains NUL bytes), not cable text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not text: neither UTF-8 nor cp1252 ({exc.reason})") from exc
    return text, "decoded as cp1252 (not valid UTF-8)"
