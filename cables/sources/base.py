from __future__ import annotations

from dataclasses import dataclass

from cables.parsing.types import Metadata

# The largest real cable is 66 KB; anything past this is not one cable.
MAX_CABLE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class SourceItem:
    source: str  # the file
    row: int | None  # the row for CSV dumps, else None
    text: str
    metadata: Metadata | None = None
    note: str | None = None  # something worth telling (e.g. "decoded as cp1252")

    @property
    def location(self) -> str:
        return f"{self.source}:{self.row}" if self.row is not None else self.source


@dataclass(frozen=True)
class SourceError:
    source: str
    row: int | None
    reason: str

    @property
    def location(self) -> str:
        return f"{self.source}:{self.row}" if self.row is not None else self.source


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
