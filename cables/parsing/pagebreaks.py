"""Page breaks of the telegram formats, removed before any field is read.

Three forms occur in the release, all printed by the telegram system, none written by
the drafter:

- the old format's page header: a classification line (often run on to the end of the
  last line of the page), blank lines, then ``PAGE 02  ROME  03067  01 OF 02  211833Z``
  with the next page's text sometimes run on after the time;
- the restart of a later section in the old format: ``PAGE 01`` with the whole routing
  block again (ACTION, INFO, the date-time group, FM, TO), the section banner
  ``C O N F I D E N T I A L SECTION 02 OF 03 ROME 003639`` and the repeated SIPDIS,
  E.O., TAGS and SUBJECT lines;
- the newer page marker on a line of its own (``CAIRO 00002027 001.2 OF 003``) and the
  section banner repeated on a later page.

:func:`strip_page_breaks` returns the text with these removed (the stored body stays
verbatim; only what the field readers see is cleaned). It scans line by line: linear in
the length of the text, every pattern anchored and bounded.
"""

from __future__ import annotations

import re

from .stations import station_from_text

PAGE_LINE_START_RE = re.compile(r"^[ \t]*PAGE[ \t]+\d+\b")
_DTG_RE = re.compile(r"\b\d{6}Z\b")
# "... HARARE 5346  CONFIDENTIAL": the old format's page-break classification run in
# (kept for reference; :func:`strip_trailing_class` is its linear-time equivalent)
TRAILING_CLASS_RE = re.compile(
    r"[ \t]{2,}(?:CONFIDENTIAL|SECRET|UNCLASSIFIED|LIMITED[ \t]+OFFICIAL[ \t]+USE)[ \t]*$"
)
_TRAILING_LEVELS = ("CONFIDENTIAL", "SECRET", "UNCLASSIFIED")


def _cut_word(text: str, word: str, blanks: int) -> str | None:
    """``text`` without ``word`` at its end and at least ``blanks`` spaces or tabs before
    it (all of them cut), or ``None`` when it does not end so."""
    if not text.endswith(word):
        return None
    head = text[: len(text) - len(word)]
    kept = head.rstrip(" \t")
    return kept if len(head) - len(kept) >= blanks else None


def strip_trailing_class(line: str) -> str:
    """``line`` without the classification run on to its end by a page break (``... IS
    CONFIDENTIAL``, two blanks or more before it): ``TRAILING_CLASS_RE.sub("", line)``
    for a line without a newline, in linear time (the regular expression, searched from
    every blank of a long run of them, was quadratic)."""
    text = line.rstrip(" \t")
    for level in _TRAILING_LEVELS:
        cut = _cut_word(text, level, 2)
        if cut is not None:
            return cut
    cut = _cut_word(text, "USE", 1)
    cut = _cut_word(cut, "OFFICIAL", 1) if cut is not None else None
    cut = _cut_word(cut, "LIMITED", 2) if cut is not None else None
    return line if cut is None else cut


def page_line_rest(line: str) -> str | None:
    """For an old-format page header ``PAGE 02 ROME 01196 01 OF 02 082030Z  B. ROME
    1098`` the text run in after it (``""`` when none); ``None`` for other lines."""
    if not PAGE_LINE_START_RE.match(line):
        return None
    dtg = _DTG_RE.search(line)
    if dtg is None:
        return None
    return line[dtg.end() :].strip()


# Newer page marker: "CAIRO 00002027 001.2 OF 003" (its own line or run into one).
PAGE_NUMBERS_RE = re.compile(r"\b\d{8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}\b")
_WORD_BEFORE_RE = re.compile(r"[A-Z][A-Z.'-]*[ \t]*$")


def strip_page_markers(line: str) -> str:
    """Remove ``CAIRO 00002027 001.2 OF 003`` page markers (the station and the
    numbers; the words before the station stay)."""
    if "OF" not in line:
        return line
    out = []
    pos = 0
    for match in PAGE_NUMBERS_RE.finditer(line):
        start = match.start()
        # the station before the numbers: up to four words, the longest that is one
        head = line[pos:start]
        cut = len(head)
        words = []
        end = len(head)
        window = max(0, end - 120)  # the station is a few words: never scan further back
        for _ in range(4):
            word = _WORD_BEFORE_RE.search(head, window, end)
            if not word:
                break
            words.append(word.start())
            end = word.start()
        for word_start in reversed(words):  # longest first
            if station_from_text(head[word_start:]):
                cut = word_start
                break
        else:
            if words:
                cut = words[0]  # an unknown or truncated station: one word
        out.append(head[:cut])
        pos = match.end()
    if not out:
        return line
    out.append(line[pos:])
    return " ".join(out)


_MAX_LINE = 4000  # a longer line is never a page break (nor joined to one): not even looked at

_PAGE_RE = re.compile(
    r"[ \t]*PAGE[ \t]+(?P<page>\d{1,3})[ \t]+[A-Z][A-Z .]{0,24}?[ \t]+\d{3,6}[ \t]+"
    r"(?:\d{2}[ \t]+OF[ \t]+\d{2}[ \t]+)?\d{6}Z\b(?:[ \t]+/?\d{1,3}\b)?[ \t]*"
)
_LEVEL = (
    r"(?:UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|TOP[ \t]+SECRET|LIMITED[ \t]+OFFICIAL[ \t]+USE|"
    r"C[ \t]O[ \t]N[ \t]F[ \t]I[ \t]D[ \t]E[ \t]N[ \t]T[ \t]I[ \t]A[ \t]L|"
    r"S[ \t]E[ \t]C[ \t]R[ \t]E[ \t]T|U[ \t]N[ \t]C[ \t]L[ \t]A[ \t]S)"
)
# A line that is only a classification, maybe with a telegram number ("PTQ4581").
_LEVEL_LINE_RE = re.compile(rf"[ \t]*{_LEVEL}(?:[ \t]+[A-Z]{{2,4}}\d{{3,6}})?[ \t]*", re.I)
# The classification run on to the end of the last line of a page: "... IS  CONFIDENTIAL"
# (only looked for on the line just before a PAGE line).
_LEVEL_TAIL_RE = re.compile(rf"[ \t]+{_LEVEL}[ \t]*$")
_SECTION_BANNER_RE = re.compile(
    rf"[ \t]*{_LEVEL}[ \t]+(?:[A-Z/]+[ \t]+)?SECTION[ \t]+(?P<section>\d{{1,3}})"
    r"[ \t]+OF[ \t]+\d{1,3}\b",
    re.I,
)
_REPEATED_FIELD_RE = re.compile(
    r"[ \t]*(?:SIPDIS|NOFORN|E\.?[ \t]?O\.?[ \t]*\d{5}|TAGS?\b|SUBJ(?:ECT)?\b)", re.I
)
# Anything the scanner below would remove starts with one of these.
_ANY_BREAK_RE = re.compile(
    r"^[ \t]*PAGE[ \t]+\d|\d{8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}"
    r"|SECTION[ \t]+0*[2-9]\d{0,2}[ \t]+OF[ \t]+\d|SECTION[ \t]+0*1\d{1,2}[ \t]+OF[ \t]+\d",
    re.M,
)
_RESTART_SPAN = 60  # lines from a mid-text "PAGE 01" to its section banner, at most


def strip_page_breaks(text: str) -> str:
    """``text`` without the telegram's page breaks and section restarts."""
    if not any(word in text for word in ("PAGE", " OF 0", "SECTION")) or not _ANY_BREAK_RE.search(
        text
    ):
        return text  # most cables: one scan in C, nothing to remove
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if len(line) > _MAX_LINE or not (
            "PAGE" in line or " OF " in line or "SECTION" in line or "ection" in line
        ):
            out.append(line)  # the common line: three substring tests, no regex
            i += 1
            continue
        page = _PAGE_RE.match(line)
        if page and out:
            _drop_level_lines(out)
            rest = line[page.end() :]
            if page.group("page") in ("1", "01", "001"):
                end = _section_restart_end(lines, i)
                if end is not None:
                    i = end
                    continue
            if rest.strip() and not rest.lstrip().startswith("ACTION "):
                _join(out, rest.strip())
                i += 1
            else:
                i = _close_gap(out, lines, i + 1)
            continue
        if " OF " in line and PAGE_NUMBERS_RE.search(line):
            line = strip_page_markers(line)  # on its own line or run into the text
            if not line.strip():
                i = _close_gap(out, lines, i + 1)
                continue
        section = _SECTION_BANNER_RE.match(line)
        if section and int(section.group("section")) > 1:
            i = _close_gap(out, lines, _skip_repeated_fields(lines, i + 1))
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _drop_level_lines(out: list[str]) -> None:
    """Remove the classification line(s) at the foot of the page just ended (a line
    longer than ``_MAX_LINE`` is text: the scan stops there, so that thousands of page
    headers after one long line do not each look at it again)."""
    while (
        out
        and len(out[-1]) <= _MAX_LINE
        and (not out[-1].strip() or _LEVEL_LINE_RE.fullmatch(out[-1]))
    ):
        out.pop()
    if out and len(out[-1]) <= _MAX_LINE:
        last = out[-1]
        tail = _LEVEL_TAIL_RE.search(last[-80:])  # bounded: the footer is short
        if tail:
            out[-1] = last[: len(last) - len(last[-80:]) + tail.start()]


_SENTENCE_END = (".", "!", "?", ":", ";", '"', "'", ")")
_GAP_LOOKBACK = 12  # blank lines looked back over, at most (keeps the scan linear)


def _close_gap(out: list[str], lines: list[str], i: int) -> int:
    """After a break removed at ``lines[i - 1]``: when the text before it stops in mid
    sentence and the text after it goes on in lower case, the blank lines around the
    break go too, so the sentence runs on (``forces,`` / ``territory``); otherwise one
    blank line stays between the two blocks. Returns where the scan goes on."""
    k = len(out)
    while k and len(out) - k < _GAP_LOOKBACK and not out[k - 1].strip():
        k -= 1
    if k == 0 or not out[k - 1].strip() or len(out[k - 1]) > _MAX_LINE:
        return i
    j, n = i, len(lines)
    while j < n and j - i < _GAP_LOOKBACK and not lines[j].strip():
        j += 1
    if j >= n or not lines[j].strip():
        return i
    after = lines[j].lstrip()
    if out[k - 1].rstrip().endswith(_SENTENCE_END) or not after[:1].islower():
        # no sentence running on: one blank line between the two blocks where the
        # break left blank lines on both sides of it, else the lines as they were
        if k < len(out) and j > i:
            del out[k + 1 :]
            return j
        return i
    del out[k:]
    return j


def _join(out: list[str], rest: str) -> None:
    """The next page's text run on after the page header continues the last line (not a
    line longer than ``_MAX_LINE``: joining to it again and again would copy it each time)."""
    last = out[-1] if out else ""
    if len(last) <= _MAX_LINE and last.strip() and not last.rstrip().endswith((".", ":")):
        out[-1] = last.rstrip() + " " + rest
    else:
        out.append(rest)


def _section_restart_end(lines: list[str], start: int) -> int | None:
    """The index after a later section's repeated routing block and banner, or None."""
    for j in range(start + 1, min(len(lines), start + _RESTART_SPAN)):
        section = _SECTION_BANNER_RE.match(lines[j]) if len(lines[j]) <= _MAX_LINE else None
        if section and int(section.group("section")) > 1:
            return _skip_repeated_fields(lines, j + 1)
    return None


def _skip_repeated_fields(lines: list[str], i: int) -> int:
    """Skip SIPDIS, E.O., TAGS and a SUBJECT (to its blank line) repeated after a
    section banner."""
    n = len(lines)
    while i < n and len(lines[i]) <= _MAX_LINE:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if not _REPEATED_FIELD_RE.match(line):
            break
        subject = re.match(r"[ \t]*SUBJ", line, re.I) is not None
        i += 1
        if subject:
            while i < n and lines[i].strip() and len(lines[i]) <= _MAX_LINE:
                i += 1
    return i
