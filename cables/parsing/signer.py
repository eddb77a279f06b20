"""The signer: the closing name(s) at the end of the body."""

from __future__ import annotations

import re

_NOT_SIGNER_RE = re.compile(
    r"^(?:END|NNNN|BT|SIPDIS|NOFORN|UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|SENSITIVE|"
    r"NOTE|COMMENT|SUMMARY|END SUMMARY|END COMMENT|END NOTE|PAGE|VISIT|XXXXXXXXXXXX)\b",
    re.I,
)
_SIGNER_RE = re.compile(r"^[A-Za-z][A-Za-z.'`-]*(?:[ ,]+[A-Za-z][A-Za-z.'`-]*){0,3}$")
_TAIL_SIGNER_RE = re.compile(r"[.!?\")]\s{2,}(?P<name>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,2})\s*$")
_TRAILER_RE = re.compile(
    r"^\s*(?:NNNN|BT|=+|-+|\*+|#+|END\s+TEXT|Visit .*|.*classified website.*|"
    r"(?:UN)?CLASSIFIED|CONFIDENTIAL|SECRET|(?:S E C R E T|C O N F I D E N T I A L)[^\n]*|"
    r"NOFORN|SIPDIS|\(?END\)?)\s*$",
    re.I,
)


def find_signer(body: str) -> tuple[str | None, int]:
    """The closing name and the offset where it starts (``len(body)`` if none)."""
    end = len(body)
    tail = body[-4000:]
    base = len(body) - len(tail)
    lines = tail.split("\n")
    pos = len(tail)
    for _ in range(6):
        while lines and not lines[-1].strip():
            pos -= len(lines.pop()) + 1
        if not lines:
            return None, end
        line = lines[-1]
        stripped = line.strip()
        if _TRAILER_RE.match(stripped) and len(lines) > 1:
            pos -= len(lines.pop()) + 1
            continue
        line_start = base + pos - len(line)
        if (
            len(stripped) <= 40
            and _SIGNER_RE.match(stripped)
            and not _NOT_SIGNER_RE.match(stripped)
            and len(stripped) >= 3
        ):
            return stripped.rstrip(","), line_start
        tail_name = _TAIL_SIGNER_RE.search(stripped)
        if tail_name and not _NOT_SIGNER_RE.match(tail_name.group("name")):
            offset = line.rfind(tail_name.group("name"))
            return tail_name.group("name"), line_start + max(offset, 0)
        return None, end
    return None, end
