"""The body after the header fields: numbered paragraphs, summary, signer."""

from __future__ import annotations

import re

from .types import Paragraph

PARA_RE = re.compile(
    r"^[ \t]*(?:(?P<pil>¶)[ \t]*)?(?P<num>\d{1,3})[ \t]*\.(?!\d)[ \t]*"
    r"(?:\((?P<cls>[A-Za-z]{1,4}(?:/[A-Za-z]{1,6}){0,2})\))?",
    re.M,
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
