"""The SUBJECT line.

``SUBJECT:``, ``Subject:``, ``SUBJ:`` (any case), at the start of a line or run into
the TAGS line (``TAGS: PREL UK SUBJECT: ...``). The subject runs over its lines up to a
blank line or the next header label, even one run into the same line (``...ELECTIONREF:
A. LIMA 1234``, ``...CAIROClassified By: ...``). Page breaks of both telegram formats
(``CONFIDENTIAL`` / ``PAGE 02 ROME 03067 211833Z``, ``CAIRO 00002027 001.2 OF 003``) are
skipped. A leading marking ``(C)``, ``(SBU)``, ``(C/NF)`` is the subject's
classification; HTML character references are decoded.
"""

from __future__ import annotations

import html
import re

from .fields import FIELD_SCAN
from .pagebreaks import (
    PAGE_LINE_START_RE,
    page_line_rest,
    strip_page_markers,
    strip_trailing_class,
)

MAX_LINES = 12  # a subject is a few lines; a longer run is body text
MAX_LINE = 2_000  # characters of one line looked at

# A label at the start of a line: any case, colon optional for the upper-case form.
_LABEL_LINE_RE = re.compile(
    r"^[ \t¶]*(?:SUBJ(?:ECT)?[ \t]*[:.;-]|Subj(?:ect)?[ \t]*:|subj(?:ect)?[ \t]*:"
    r"|SUBJ(?:ECT)?(?=[ \t]+(?!TO\b|OF\b|LINE\b|MATTER\b|AREA\b)[(\"'A-Z0-9]))",
    re.M,
)
# A label run into an earlier line ("... AF UK SUBJECT: ..."): colon required.
_LABEL_RUNIN_RE = re.compile(r"(?<![A-Za-z])(?:SUBJ(?:ECT)?|Subject)[ \t]*:")
RUNIN_SCAN = 3_000  # a run-in label is looked for this far into the fields region

# Where a subject stops inside a line: the next header label or text run into it.
_STOP_IN_LINE_RE = re.compile(
    r"(?:(?i:\bref(?:s|tels?|erences?|\(s\))?)|(?:REF|Ref)(?:S|s|TELS?|tels?|\(S\)|\(s\))?)[ \t]*:"
    r"|(?:\bREF(?:TELS?)?|\bREFS)[ \t]+(?:\(?A[.)][ \t]|\d)"
    r"|Classified[ \t]+[Bb]y\b|CLASSIFIED[ \t]+BY\b|(?i:\bderived[ \t]+from[ \t]*:)"
    r"|\bE\.[ \t]?O\.[ \t]?\d{5}[ \t]*:|\bTAGS[ \t]*:"
    r"|(?i:\bsensitive[ \t]+but[ \t]+unclassified)"
    r"|\bC[ ]O[ ]N[ ]F[ ]I[ ]D|\bS[ ]E[ ]C[ ]R[ ]E[ ]T\b"
    r"|\bUNCLAS[ \t]+(?:SECTION|[A-Z]+[ \t]+\d{6})"
    r"|(?<![\w.])\d{1,2}[ \t]*\.[ \t]*\((?:U|C|S|SBU|TS)(?:/[A-Z]{1,6})?\)"
    r"|(?<![\w.])\d{1,2}\.[ \t]+(?:SUMMARY|Summary)\b"
    r"|¶",
)
# A line that starts something else than the subject.
_STOP_LINE_RE = re.compile(
    r"^[ \t]*(?:REF(?:S|TELS?|ERENCES?|\(S\))?\b|CLASSIFIED[ \t]+BY|Classified[ \t]+[Bb]y"
    r"|\(U\)[ \t]*CLASSIFIED|DERIVED[ \t]+FROM|Derived[ \t]+[Ff]rom"
    r"|¶|\d{1,2}[ \t]*\.[ \t]*[(\s]|\d{1,2}[ \t]*\.$"
    r"|\(?[A-Z]{1,3}(?:/[A-Z]{1,6})?\)[ \t]+SUMMARY"
    r"|E\.?[ \t]?O\.?[ \t]*\d{5}[ \t]*:|TAGS\b|SUMMARY\b|Summary\b|-{3,}|_{3,}|={3,}|INDEX[ \t]*:"
    r"|SENSITIVE[ \t]+BUT|Sensitive[ \t]+but|FOR[ \t]+OFFICIAL[ \t]+USE|NOFORN\b|SIPDIS\b"
    r"|C[ ]O[ ]N[ ]F|S[ ]E[ ]C[ ]R|U[ ]N[ ]C[ ]L|UNCLAS\b|FROM[ \t]+AMBASSADOR|PASS[ \t]+TO\b"
    r"|DEPT[ \t]+FOR\b|STATE[ \t]+FOR\b)",
)
# Old telegram page break: a classification line, then "PAGE 02 ROME 03067 211833Z".
_CLASS_LINE_RE = re.compile(
    r"^[ \t]*(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED[ \t]+OFFICIAL[ \t]+USE|UNCLAS)"
    r"(?:[ \t]+[A-Z/]+)?[ \t]*$"
)
# What ends a REF block run on from the subject line.
_REF_STOP_RE = re.compile(
    r"(?i:classified[ \t]+by)\b|(?i:sensitive[ \t]+but[ \t]+unclassified)"
    r"|(?<![\w.])\d{1,2}[ \t]*\.[ \t]*\((?:U|C|S|SBU|TS)(?:/[A-Z]{1,6})*\)"
    r"|\bE\.[ \t]?O\.[ \t]?\d{5}[ \t]*:|¶[ \t]*\d"
)
_ITEM_RE = re.compile(r"^[ \t]*+¶?[ \t]*+\(?[A-Z][.):]")  # (possessive: no split of a run tried)
_MARK_RE = re.compile(
    r"^\((?P<mark>(?:U|C|S|TS|SBU|CUI|LOU|FOUO|S[ ]?B[ ]?U)"
    r"(?:[ \t]*/{1,2}[ \t]*[A-Z]{1,8}){0,3})\)[ \t]*[-:.]?[ \t]*",
    re.I,
)


def _lines_after(text: str, pos: int):
    """``(line, end offset)`` for each line after offset ``pos`` (which is a line end)."""
    length = len(text)
    while pos < length:
        nl = text.find("\n", pos + 1)
        nl = length if nl < 0 else nl
        yield text[pos + 1 : nl][:MAX_LINE], nl
        pos = nl


def _find_label(text: str, limit: int) -> re.Match | None:
    line = _LABEL_LINE_RE.search(text, 0, limit)
    runin = _LABEL_RUNIN_RE.search(text, 0, min(limit, RUNIN_SCAN))
    if runin and (line is None or runin.start() < line.start()):
        return runin
    return line


def parse_subject(text: str) -> tuple[str | None, str | None, str | None, int]:
    """``(subject, subject_classification, inline REF text, end offset)``."""
    match = _find_label(text, FIELD_SCAN)
    if not match:
        return None, None, None, -1
    found = _read_subject(text, match)
    subject, end = found[0], found[3]
    if subject and subject.endswith(("...", "…")) and end >= 0:
        # Some mirrors print a truncated header ("SUBJECT: RUSSIAN SCIEN...") and then
        # the whole header again: the full subject is the one that goes on.
        prefix = " ".join(subject.rstrip(".… ").split()).upper()
        again = _LABEL_LINE_RE.search(text, end, min(len(text), end + RUNIN_SCAN))
        again = again or _LABEL_RUNIN_RE.search(text, end, min(len(text), end + RUNIN_SCAN))
        if again:
            full = _read_subject(text, again)
            if full[0] and " ".join(full[0].split()).upper().startswith(prefix):
                return full
    return found


def _read_subject(text: str, match: re.Match) -> tuple[str | None, str | None, str | None, int]:
    nl = text.find("\n", match.end())
    nl = len(text) if nl < 0 else nl
    first = text[match.end() : nl][:MAX_LINE]
    end = nl
    parts: list[str] = []
    rest = None  # text after a stop inside a line
    lines = [first]
    if not first.strip(" \t\\"):
        lines = []  # "SUBJECT:" alone on its line: the subject is on the next one
        for line, line_end in _lines_after(text, end):
            if line.strip(" \t\\"):
                if _STOP_LINE_RE.match(line) or len(line) > 400:
                    return None, None, None, end
                lines = [line]
                end = line_end
                break
            if line_end - nl > 8:  # more than a blank line or two
                return None, None, None, match.end()
    if not lines:
        return None, None, None, match.end()
    gen = _lines_after(text, end)
    pending: str | None = lines[0]
    while pending is not None:
        line = strip_page_markers(pending).rstrip(" \t\\")
        line = strip_trailing_class(line)
        pending = None
        stop = _STOP_IN_LINE_RE.search(line)
        if stop:
            # a label run into the line ends the subject (the text after it may be REF)
            rest = line[stop.start() :]
            line = line[: stop.start()]
        parts.append(line)
        if stop or len(parts) >= MAX_LINES:
            break
        for line, line_end in gen:
            if _CLASS_LINE_RE.match(line):
                peek = next(gen, None)
                if peek is None or page_line_rest(peek[0]) is None:
                    break
                line, line_end = peek  # "CONFIDENTIAL" / "PAGE 02 ROME 03067 211833Z"
            page_rest = page_line_rest(line)
            if page_rest is not None:
                end = line_end
                if page_rest:
                    pending = page_rest  # text run in after the page header
                    if _STOP_LINE_RE.match(page_rest):
                        pending = None
                        break
                    break
                continue
            if not line.strip(" \t\\"):
                if parts and end < line_end and PAGE_LINE_START_RE.match(text, end + 1):
                    end = line_end  # blank line right after a page header
                    continue
                break
            if _STOP_LINE_RE.match(line):
                break
            if not strip_page_markers(line).strip():
                end = line_end  # a page marker line: "THE HAGUE 00001001 001.2 OF 002"
                continue
            pending = line
            end = line_end
            break
    subject = " ".join(" ".join(parts).split())
    inline_ref = None
    if rest:
        label = re.match(r"(?:REF(?:S|TELS?|ERENCES?|\(S\))?)", rest.lstrip(), re.I)
        if label and "CLASSIFIED" not in rest[:12].upper():
            inline_ref = rest.lstrip()[label.end() :]
            cut = _STOP_IN_LINE_RE.search(inline_ref, 1)
            while cut and re.match(r"REF", cut.group(0), re.I):
                cut = _STOP_IN_LINE_RE.search(inline_ref, cut.end())
            if cut:
                inline_ref = inline_ref[: cut.start()]
            else:
                # the REF block goes on over the next lines ("B. LIMA 1240")
                more = [inline_ref]
                for line, line_end in gen:
                    if not line.strip() or len(more) > 40:
                        break
                    line = strip_page_markers(line)
                    cut = _REF_STOP_RE.search(line)
                    if cut:
                        more.append(line[: cut.start()])
                        end = line_end
                        break
                    if _STOP_LINE_RE.match(line) and not _ITEM_RE.match(line):
                        break
                    more.append(line)
                    end = line_end
                inline_ref = "\n".join(more)
            inline_ref = inline_ref.strip(" \t\n:.") or None
    if "&" in subject:
        subject = html.unescape(subject)
    mark = None
    marked = _MARK_RE.match(subject)
    if marked:
        mark = re.sub(r"\s+", "", marked.group("mark").upper())
        subject = subject[marked.end() :]
    subject = subject.strip()
    return subject or None, mark, inline_ref, end
