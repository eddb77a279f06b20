"""The body after the header fields: numbered paragraphs, summary, signer."""

from __future__ import annotations

import re

from .types import Paragraph

PARA_RE = re.compile(
    r"^[ \t]*(?:(?P<pil>¶)[ \t]*)?(?P<num>\d{1,3})[ \t]*\.(?!\d)[ \t]*"
    r"(?:\((?P<cls>[A-Za-z]{1,4}(?:/[A-Za-z]{1,6}){0,2})\))?",
    re.M,
)
SUMMARY_RE = re.compile(r"\bSUMMARY\b(?:\s+AND\s+COMMENT\b)?\s*[:.\-]*\s*", re.I)
_LEADING_PARA_RE = re.compile(r"^(?:-+\s*)?(?:\d{1,3}\s*\.\s*)?(?:\([A-Za-z/]{1,8}\)\s*)?")
END_SUMMARY_RE = re.compile(r"\bEND\s+(?:OF\s+)?SUMMARY\b", re.I)
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


def find_paragraphs(body: str, start: int) -> list[re.Match[str]]:
    """Paragraph starts at line starts after ``start``, in a plausible sequence."""
    accepted: list[re.Match[str]] = []
    last = 0
    for match in PARA_RE.finditer(body, start):
        num = int(match.group("num"))
        marked = bool(match.group("pil") or match.group("cls"))
        if not accepted:
            ok = num == 1 or (marked and 1 <= num <= 40)
        else:
            ok = last < num <= last + 2 or (marked and last < num <= last + 6)
        if ok:
            accepted.append(match)
            last = num
    return accepted


def renumber_lost_pilcrow(numbers: list[int], text: str) -> list[int] | None:
    """The seed's ``11. (C)``, ``12. (C)`` ... are paragraphs 1, 2 ... whose pilcrow was
    rendered as "1": return the fixed numbering, or ``None`` when it does not apply."""
    if len(numbers) < 2 or numbers[0] != 11 or "¶" in text:
        return None
    digits = [str(n) for n in numbers]
    if not all(d.startswith("1") and len(d) > 1 for d in digits):
        return None
    fixed = [int(d[1:]) for d in digits]
    return fixed if fixed == list(range(1, len(fixed) + 1)) else None


def build_paragraphs(
    body: str, start: int, end: int, matches: list[re.Match[str]]
) -> tuple[tuple[Paragraph, ...], bool]:
    paragraphs: list[Paragraph] = []
    first = matches[0].start() if matches else end
    lead = body[start:first].strip()
    if lead:
        paragraphs.append(Paragraph(number=None, classification=None, text=lead))
    numbers = [int(m.group("num")) for m in matches]
    fixed = renumber_lost_pilcrow(numbers, body)
    for i, match in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else end
        text = body[match.end() : max(stop, match.end())].strip()
        cls = match.group("cls")
        paragraphs.append(
            Paragraph(
                number=fixed[i] if fixed else numbers[i],
                classification=cls.upper() if cls else None,
                text=text,
            )
        )
    return tuple(paragraphs), fixed is not None


def find_summary(body: str, start: int) -> str | None:
    for match in SUMMARY_RE.finditer(body, start, start + 60_000):
        before = body[max(0, match.start() - 8) : match.start()].upper()
        if re.search(r"END\s*(?:OF\s*)?$", before):
            continue
        end = END_SUMMARY_RE.search(body, match.end(), match.end() + 20_000)
        if not end:
            return None
        text = " ".join(body[match.end() : end.start()].split()).rstrip(" (-")
        text = re.sub(r"\s*¶\s*(?=\d)", " ", text).strip()
        text = _LEADING_PARA_RE.sub("", text)  # "-------- 1. (U) Public sector ..."
        return text or None
    return None


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
