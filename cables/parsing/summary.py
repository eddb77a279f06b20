"""The summary: the text between SUMMARY and END SUMMARY.

The summary starts with a label at the start of a paragraph (``¶1. (C) Summary:``,
``SUMMARY.``, ``BEGIN SUMMARY``, ``Summary and Comment:``, ``Introduction and
Summary:``) or with a heading line (``Summary``, ``SUMMARY AND INTRODUCTION``, underlined
with dashes or equals signs), also run into the Classified By line by the archive
(``... 1.4 (b), (d) 1. (C) Summary: ...``). It ends at ``END SUMMARY`` in its spellings
(``End summary.``, ``END OF SUMMARY``, ``(END SUMMARY)``, ``END SUMMARY AND COMMENT``);
without one, the summary is the rest of its paragraph (for a heading, the first
paragraph under it). "A summary of the talks" in prose is not a summary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_LABEL = (
    r"(?:BEGIN\s+)?(?:(?:INTRODUCTION|INTRO|OVERVIEW)\s+AND\s+)?SUMMARY"
    r"(?:\s*(?:,|/|\s(?:AND|&))\s*(?:AND\s+)?(?:COMMENTS?|INTRODUCTION|ACTION\s+REQUESTS?|"
    r"RECOMMENDATIONS?|BACKGROUND|OVERVIEW|TABLE\s+OF\s+CONTENTS|KEY\s+[A-Z]+|ANALYSIS|"
    r"CONCLUSIONS?)){0,3}"
)
_MARKING = r"\(?[A-Z][A-Za-z/ ]{0,20}\)"
# At the start of a line, after a paragraph number and marking. The blanks are
# possessive (``*+``): what follows them never starts with a blank, and ``1`` then a long
# run of blanks made two adjacent ``\s*`` try every split of the run (quadratic).
_LINE_START_RE = re.compile(
    rf"^[ \t\\]*+(?P<prefix>(?:¶\s*+)?(?:\d{{1,2}}\s*+\.?\s*+)?(?:{_MARKING}\s*+)?(?:-+\s*+)?)"
    rf"(?P<label>{_LABEL})\b(?P<after>[ \t\\]*+(?:[:.\-]|\n|$))?",
    re.M | re.I,
)
# Run into a line: "... (d) 1. (C) Summary: ...", "... (d)  ------- Summary -------".
_MID_LINE_RE = re.compile(
    rf"[ \t](?P<prefix>\d{{1,2}}\s?\.\s?{_MARKING}\s*|-{{3,}}\s*|)"
    rf"(?P<label>{_LABEL})\b(?(prefix)(?P<after>[ \t]*(?:[:.\-]|\n|$))|[ \t]+-{{3,}})",
    re.I,
)
_END_BEFORE_RE = re.compile(r"END\s*(?:OF\s*)?(?:INTRODUCTION\s+AND\s+)?$", re.I)
END_SUMMARY_RE = re.compile(
    r"\(?\bEND\s+(?:OF\s+)?(?:(?:INTRODUCTION|INTRO|COMMENTS?)\s+AND\s+)?SUMMARY"
    r"(?:\s+(?:AND|&)\s+(?:COMMENTS?|INTRODUCTION))?\b",
    re.I,
)
_LEADING_PARA_RE = re.compile(
    r"^(?:[-=\s]+)?(?:¶\s*)?(?:\d{1,3}\s*\.\s*)?(?:\([A-Za-z/]{1,8}\)\s*)?(?:[:.\-]\s*)?"
)
# The end of a paragraph: a blank line (backslash debris counts as blank) or the next
# numbered paragraph, on a new line or run into the line.
_PARA_END_RE = re.compile(
    r"\n[ \t\\]*\n|\n[ \t]*(?:¶\s*\d|\d{1,2}\s?\.\s?\(|-{3,})"
    r"|[ \t](?:¶\s*\d|\d{1,2}\s?\.\s?\([A-Z]{1,3}(?:/[A-Z ]{1,12})?\)[ \t])"  # run on
)
# The underline and blank lines under a heading (possessive blanks: two adjacent runs of
# them tried every split of a long run).
_UNDERLINE_RE = re.compile(r"(?:[ \t\\]*+(?:[-=]{3,}|- (?:- )+-?)?[ \t\\]*+\n)*")
_SCAN = 60_000
_MAX_SUMMARY = 20_000


class _Ahead:
    """What ``pattern.search(body, pos, stop)`` finds, for a ``pos`` that only grows,
    from one lazy ``finditer``: the text is scanned once, not once per search (the
    reader looks for a label up to 20 times, each search up to 60,000 characters ahead:
    a cable of 1,000 ``END SUMMARY`` lines cost 4.6 ms per KB). Where the stream cannot
    say (``pos`` inside a match or moving back, a match past ``stop``) it searches."""

    def __init__(self, pattern: re.Pattern[str], body: str) -> None:
        self._pattern, self._body = pattern, body
        self._matches: Iterator[re.Match[str]] | None = None
        self._match: re.Match[str] | None = None
        self._pos = -1

    def search(self, pos: int, stop: int) -> re.Match[str] | None:
        if self._matches is None:
            self._matches = self._pattern.finditer(self._body, pos)
            self._match = next(self._matches, None)
        elif pos < self._pos:
            return self._pattern.search(self._body, pos, stop)
        self._pos = pos
        match = self._match
        while match is not None and match.start() < pos:
            if match.end() > pos:  # a search from inside a match may find another
                return self._pattern.search(self._body, pos, stop)
            match = self._match = next(self._matches, None)
        if match is None or match.start() >= stop:
            return None
        if match.end() > stop:  # cut by the window: what the window holds
            return self._pattern.search(self._body, pos, stop)
        return match


def _find_start(body: str, start: int, lines: _Ahead) -> re.Match[str] | None:
    stop = min(len(body), start + _SCAN)
    line = lines.search(start, stop)
    mid = _MID_LINE_RE.search(body, start, line.start() if line else stop)
    return mid or line


def _drop_line_end_backslashes(text: str) -> str:
    """A backslash ending a line (blanks around it) removed: what
    ``re.sub(r"[ \t]*\\[ \t]*(?=\n|$)", "", text)`` does, line by line in linear time
    (the expression, tried from every blank of a long run, was quadratic)."""
    if "\\" not in text:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        kept = line.rstrip(" \t")
        if kept.endswith("\\"):
            lines[i] = kept[:-1].rstrip(" \t")
    return "\n".join(lines)


def _normalise(text: str) -> str | None:
    text = _drop_line_end_backslashes(text)  # "\" at line ends
    text = text.replace("<br>", " ")
    text = " ".join(text.split()).rstrip(" (-")
    text = re.sub(r"\s*¶\s*(?=\d)", " ", text).strip()
    text = _LEADING_PARA_RE.sub("", text)  # "-------- 1. (U) Public sector ..."
    return text.strip() or None


def find_summary(body: str, start: int) -> str | None:
    pos = start
    lines, ends = _Ahead(_LINE_START_RE, body), _Ahead(END_SUMMARY_RE, body)
    para_ends = _Ahead(_PARA_END_RE, body)
    for _ in range(20):  # a label not followed by a summary: look further
        match = _find_start(body, pos, lines)
        if match is None:
            return None
        pos = match.end()
        if _END_BEFORE_RE.search(body[max(0, match.start() - 20) : match.start("label")]):
            continue  # "End\nSummary."
        text_start = match.end()
        if match.group("after") is None and match.re is _LINE_START_RE:
            # "¶1. (C) SUMMARY During their trip ...": a paragraph's first word, and an
            # END SUMMARY must follow
            if not re.search(r"[\d¶(]", match.group("prefix")) or match.group("label")[0] != "S":
                continue
            end = ends.search(text_start, text_start + _MAX_SUMMARY)
            text = _normalise(body[text_start : end.start()]) if end else None
            if text:
                return text
            continue
        after = (match.group("after") or "-").replace("\\", "").strip()
        heading = after in ("", "-") or body[match.end() : match.end() + 1] in ("\n", "")
        end = ends.search(text_start, text_start + _MAX_SUMMARY)
        if end:
            text = _normalise(body[text_start : end.start()])
            if text:
                return text
            continue
        if heading:
            # the first paragraph under the heading: skip the underline and blank lines
            under = _UNDERLINE_RE.match(body, text_start)
            text_start = under.end() if under else text_start
            first = _LEADING_PARA_RE.match(body, text_start)
            if first:
                text_start = first.end()
        para_end = para_ends.search(text_start, text_start + _MAX_SUMMARY)
        stop = para_end.start() if para_end else min(len(body), text_start + _MAX_SUMMARY)
        text = _normalise(body[text_start:stop])
        if text:
            return text
    return None
