"""The SUBJECT line."""

from __future__ import annotations

import re

from .fields import FIELD_SCAN
from .pagebreaks import PAGE_MARKER_RE

# -------------------------------------------------------------------- SUBJECT
SUBJECT_RE = re.compile(r"^[ \t]*SUBJ(?:ECT)?\b[ \t]*[:.]?[ \t]*(?P<subject>[^\n]*)", re.M | re.I)
_SUBJECT_STOP_RE = re.compile(
    r"^\s*(?:REF\b|REFS\b|REFTEL|REFERENCE|CLASSIFIED\s+BY|\(U\)\s*CLASSIFIED|¶|\d+\s*\.\s|"
    r"E\.?\s?O\.?\s*\d|TAGS\b|SUMMARY\b|-{3,}|PAGE\s+\d)",
    re.I,
)
_INLINE_REF_RE = re.compile(r"\s+(?:REF|REFS|REFTEL)\s*:\s")
_INLINE_CLASSIFIED_RE = re.compile(r"\s+Classified\s+By\s*:", re.I)
_SUBJECT_MARK_RE = re.compile(r"^\((?P<mark>[A-Za-z/ ]{1,10})\)\s*")


def parse_subject(text: str) -> tuple[str | None, str | None, str | None, int]:
    """``(subject, subject_classification, inline REF text, end offset)``."""
    match = SUBJECT_RE.search(text, 0, FIELD_SCAN)
    if not match:
        return None, None, None, -1
    lines = [match.group("subject")]
    end = match.end()
    while end < len(text) and len(lines) < 8:
        nl = text.find("\n", end + 1)
        nl = len(text) if nl < 0 else nl
        line = text[end + 1 : nl]
        if not line.strip() or _SUBJECT_STOP_RE.match(line):
            break
        lines.append(line)
        end = nl
    subject = " ".join(" ".join(lines).split())
    inline_ref = None
    ref = _INLINE_REF_RE.search(subject)
    if ref:
        inline_ref = subject[ref.end() :]
        subject = subject[: ref.start()]
    classified = _INLINE_CLASSIFIED_RE.search(subject)
    if classified:
        subject = subject[: classified.start()]
    subject = PAGE_MARKER_RE.sub(" ", subject)
    if inline_ref:
        inline_ref = " ".join(PAGE_MARKER_RE.sub(" ", inline_ref).split())
    subject = " ".join(subject.split())
    mark = None
    marked = _SUBJECT_MARK_RE.match(subject)
    if marked:
        mark = marked.group("mark").upper().replace(" ", "")
        subject = subject[marked.end() :]
    return subject or None, mark, inline_ref, end
