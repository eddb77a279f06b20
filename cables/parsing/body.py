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


_HEADING_MAX = 80
_MARKER_WORDS = frozenset(
    {"SIPDIS", "NOFORN", "EXDIS", "NODIS", "LIMDIS", "CONFIDENTIAL", "SECRET", "UNCLASSIFIED"}
)
_SENTENCE_END = (".", "!", "?", ":", '."', ".'", ".)", ")")


def _heading_line(line: str) -> bool:
    """A section heading: one short line in capitals (``NEW BMD ARCHITECTURE IN
    EUROPE``, ``GROUND BASED INTERCEPTORS``), not a sentence, a marker or a list item."""
    line = line.strip()
    if not 3 <= len(line) <= _HEADING_MAX or line != line.upper():
        return False
    if line.endswith((".", ",", ";", ":")) or line.startswith(("-", "(", "END ", "BEGIN ")):
        return False
    words = line.split()
    if len(words) < 2 or any(w.strip("/") in _MARKER_WORDS for w in words):
        return False  # a one-word line is a name or a marker more often than a heading
    return any(len(w) >= 3 and w.isalpha() for w in words)


def split_heading(text: str) -> tuple[str, str | None]:
    """``(text, heading)``: a heading line that ends a paragraph of mixed-case text (on
    its own line, after a sentence) taken off it; ``(text, None)`` when there is none.
    An all-capitals paragraph is left whole (there every line looks like a heading)."""
    cut = text.rfind("\n")
    if cut <= 0:
        return text, None
    last = text[cut + 1 :]
    before = text[:cut].rstrip()
    if not before or not _heading_line(last) or not any(c.islower() for c in before):
        return text, None
    if not before.endswith(_SENTENCE_END):
        return text, None
    return before, last.strip()


def build_paragraphs(
    body: str, start: int, end: int, matches: list[re.Match[str]]
) -> tuple[tuple[Paragraph, ...], bool]:
    paragraphs: list[Paragraph] = []
    first = matches[0].start() if matches else end
    lead = body[start:first].strip()
    if lead:
        lead, heading = split_heading(lead)
        paragraphs.append(Paragraph(number=None, classification=None, text=lead))
        if heading:
            paragraphs.append(Paragraph(None, None, heading, heading=True))
    numbers = [int(m.group("num")) for m in matches]
    fixed = renumber_lost_pilcrow(numbers, body)
    for i, match in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else end
        text = body[match.end() : max(stop, match.end())].strip()
        cls = match.group("cls")
        text, heading = split_heading(text)
        paragraphs.append(
            Paragraph(
                number=fixed[i] if fixed else numbers[i],
                classification=cls.upper() if cls else None,
                text=text,
            )
        )
        if heading:
            paragraphs.append(Paragraph(None, None, heading, heading=True))
    return tuple(paragraphs), fixed is not None
