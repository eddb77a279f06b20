"""The Classified By line: who classified the cable (name and title) and the reasons.

The line is found at the start of a line (also after a paragraph number and marking,
``¶1. (U) CLASSIFIED BY ...``) or run into the line before it (``REF: STATE 1234
Classified By: ...``, where the archive joined the header lines). What follows the label
is cut at the reasons (``for reasons 1.4 (b)``, ``Reason:``, ``per 1.4``, ``E.O. 12958``,
also when the line wrap broke the word: ``Re asons``, ``f or``), and the rest is split
into the person's name and the title with the vocabulary of ``titles.py``: the name is
the run of name-like words (capitalised words, initials, particles such as ``van``,
suffixes ``Jr.``/``III``) that is not a title word, before or after the title
(``Ambassador Gene Cretz``, ``Gene A. Cretz, Ambassador, Embassy Tripoli``).
"""

from __future__ import annotations

import re

from .fields import FIELD_SCAN
from .titles import AFTER_TITLE, CONNECTORS, PARTICLES, SUFFIXES, fold, is_title_word
from .types import ClassifiedBy

# -------------------------------------------------------------- CLASSIFIED BY
_LABEL_RE = re.compile(r"\bCLASSIFIED[ \t]{0,3}\n?[ \t\n]{0,4}BY\b", re.I)
# What may stand before the label on its line: a paragraph number and marking, quotes.
_LINE_PREFIX_RE = re.compile(
    r"[ \t\"'\u2028¶-]*(?:\d{1,2}[ \t]?\.?[ \t]*)?(?:\([A-Z/]{1,6}\)[ \t]*)?[\"']?[ \t]*",
    re.I,
)
_REASONS_AHEAD_RE = re.compile(r"R ?E ?A ?S ?O ?N|\b1 ?\. ?[456]\b", re.I)
# Repeated labels and a stray "by" after the label: "Classified By: Classified by: ...".
_LABEL_AGAIN_RE = re.compile(
    r"^[\s:\"'\u2028]*(?:(?:CLASSIFIED\s+)?BY\b\s*:?\s*)*(?:\([A-Z]{1,3}\)\s*)?", re.I
)
# A continuation line that is a new part of the cable, not the rest of the line.
_NEW_PART_RE = re.compile(
    r"^\s*(?:¶|\d{1,2}\s*[.)]|\([A-Z/]{1,6}\)|-{3,}|=|SUMMARY\b|BEGIN\b|E\.?\s?O\.?\s*\d|"
    r"TAGS\b|SUBJECT\b|REF\b|DECL\b)",
    re.I,
)
_REASON_LINE_RE = re.compile(
    r"[\s()\[\],.;:&/\\+-]*(?:(?:\d(?: ?\. ?\d)?[a-h]?|\d{5}|[a-h]|and|nd|d|or|s|ns|ons|sons|asons|"
    r"easons|reasons?|sections?|e\.?o)\b[\s()\[\],.;:&/\\+-]*)*",
    re.I,
)
# Where a line that holds the whole header runs on into the first paragraph.
_RUN_ON_RE = re.compile(
    r"[ \t](?=¶|\d{1,2} ?\. ?\([A-Z]{1,3}(?:/[A-Z]{1,3})?\)|-{3,}|SUMMARY\b)", re.I
)
# A line that starts with the rest of the reasons and runs on: "(d).  This message ..."
_REASON_LINE_START_RE = re.compile(r"\s*(?:(?:and|or|&|nd)\s+\(?[a-h]\)?|\(?[a-h]\)?\s*[.;])", re.I)

_R = r"R ?E ?A ?S ?O ?N(?: ?S)?\b"
_FOR = r"(?:F ?O ?R?|PER|UNDER|BY|BASED\s+(?:UPON|ON))"
_EO = r"E\s?\.?\s?O\s?\.?\s*\d{5}"
_BOUNDARY_RE = re.compile(
    rf"[,;:]?\s*\b(?:{_FOR}\s+)?(?:{_EO}\s*[,;.]?\s*)?{_R}"  # for reasons, E.O. 12958 reasons
    rf"|[,;.:]?\s*\b{_FOR}\s+(?=(?:{_EO}\s*,?\s*)?(?:SECTIONS?\s*)?\(?1\s?[./]\s?[4-6])"
    rf"|[,;.:]?\s*\b{_EO}"
    r"|[,;.:(]\s*(?=1\s?\.\s?[4-6]\b)|\s(?=1\.[4-6]\s?\(?[A-H]\b)"
    r"|\s(?=\d{1,2}\s?\.\s?\([A-Z]{1,3}(?:/[A-Z]{1,3})?\)|¶)"  # a paragraph run on
    r"|(?:^|\s)(?=-{3,}|(?:BEGIN\s+)?SUMMARY\b|DERIVED\s+FROM\b|DECL\b)"
    r"|\.{3}",  # the end of a partial extract's text
    re.I,
)
_REASON_SPLIT_RE = re.compile(rf"\b{_R}\s*(?:\(S\))?\s*[:\-]?\s*", re.I)


_MAX_PREFIX = 30  # what may stand before the label on its line, at most


def _find_label(text: str) -> tuple[re.Match[str], bool] | None:
    """The Classified By label and whether a paragraph number stands before it."""
    for match in _LABEL_RE.finditer(text, 0, FIELD_SCAN):
        # what stands before the label on its line, when that is short: looking back to
        # the line start from every label of a long line of them was quadratic
        lookback = max(0, match.start() - _MAX_PREFIX - 1)
        nl = text.rfind("\n", lookback, match.start())
        prefix = text[nl + 1 : match.start()] if nl >= 0 or lookback == 0 else None
        line_end = text.find("\n", match.end(), match.end() + 400)
        rest = text[match.end() : line_end if line_end >= 0 else match.end() + 400]
        if rest.lstrip()[:4].upper() == "LINE":  # "(ADDED CLASSIFIED BY LINE)"
            continue
        colon = rest.lstrip().startswith(":")
        reasons = bool(_REASONS_AHEAD_RE.search(rest[:300]))
        at_line_start = (
            prefix is not None
            and len(prefix) <= _MAX_PREFIX
            and _LINE_PREFIX_RE.fullmatch(prefix) is not None
        )
        if at_line_start and (colon or reasons or match.group()[0] == "C"):
            return match, bool(re.search(r"\d|¶", prefix or ""))
        if colon or reasons:
            return match, False
    return None


def parse_classified_by(text: str) -> tuple[ClassifiedBy | None, str | None, int]:
    """``(ClassifiedBy, reasons, end offset)``; ``(None, None, -1)`` without the line.

    The end offset is where the header may end: the end of the line (and of its
    continuation lines), or the start of the line when the label sits in a numbered
    paragraph (the paragraph stays a paragraph)."""
    found = _find_label(text)
    if found is None:
        return None, None, -1
    match, in_paragraph = found
    nl = text.find("\n", match.end())
    end = len(text) if nl < 0 else nl
    run_on = _RUN_ON_RE.search(text, match.end(), end)
    if run_on:  # the line runs on into the first paragraph: the header ends there
        end = run_on.start()
    lines = [text[match.end() : end]]
    size = len(lines[0])
    while end < len(text) and len(lines) < 4 and size < 600:
        nl = text.find("\n", end + 1)
        nl = len(text) if nl < 0 else nl
        line = text[end + 1 : nl]
        if run_on or not line.strip():
            break
        if line.strip() in ("<br>", "\\"):  # the archive's line-break debris
            end = nl
            continue
        if _REASONS_AHEAD_RE.search(" ".join(lines)):
            # only the rest of the reasons: "(d).", "nd (D)", "), (e)", "\"
            if not (
                (len(line) <= 60 and _REASON_LINE_RE.fullmatch(line))
                or _REASON_LINE_START_RE.match(line)
            ):
                break
        elif _NEW_PART_RE.match(line):
            break
        lines.append(line)
        size += len(line)
        end = nl
    raw = " ".join(" ".join(lines).split())[:600]
    raw = _LABEL_AGAIN_RE.sub("", raw, count=1).replace("\u2028", " ")
    raw = " ".join(raw.split())
    if in_paragraph:
        end = text.rfind("\n", 0, match.start()) + 1
    reasons = None
    who = raw
    split = _BOUNDARY_RE.search(raw)
    if split:
        who = raw[: split.start()]
        if split.group().startswith("..."):
            who = _drop_cut_words(who)
        tail = raw[split.start() :]
        reason_word = _REASON_SPLIT_RE.search(tail)
        if reason_word and reason_word.start() < 40:
            tail = tail[reason_word.end() :]
        reasons = _reasons_prefix(tail)
    name, title = split_name_title(who[:300])
    return ClassifiedBy(name=name, title=title, raw=raw), reasons, end


def _drop_cut_words(who: str) -> str:
    """A partial extract's text ends in "...": drop what the cut left of "for reasons"
    ("Ambassador X for Reas...", "COM Y FOR REA...", "Ambassador Z f...")."""
    words = who.split()
    while words and any(
        target.startswith(words[-1].lower()) for target in ("for", "reasons", "per")
    ):
        words.pop()
    if (
        words
        and len(words[-1]) >= 3
        and not is_title_word(words[-1])
        and any(target.startswith(fold(words[-1])) for target in _CUT_TITLES)
    ):
        words.pop()  # "Politi...", "Char...", "Classifi..."
    return " ".join(words)


_CUT_TITLES = (
    "AMBASSADOR",
    "ACTING",
    "CHARGE",
    "CLASSIFIED",
    "COUNSELOR",
    "DEPUTY",
    "DIRECTOR",
    "ECONOMIC",
    "MINISTER",
    "POLITICAL",
    "CONSUL",
    "PRINCIPAL",
)


_REASON_TOKEN_RE = re.compile(
    r"(?:E\.?O\.?|\d{5}|AS|AMENDED|SECTIONS?|PARAS?|1\.[4-6][A-H]?|"
    r"\(?[A-H]\)?(?:[,/&]?\(?[A-H]\)?)*|AND|OR|&)",
    re.I,
)
_LEADING_REASONS_RE = re.compile(
    r"^[\s,;:.]*(?:(?:FOR|PER|UNDER)\s+)?(?:REASONS?\b)?\s*[:\-]?\s*", re.I
)


def _reasons_prefix(text: str) -> str | None:
    """The reasons proper (``1.4 (b) and (d)``), without whatever runs on after them
    on the same line (a paragraph, a comment)."""
    text = _LEADING_REASONS_RE.sub("", text)
    kept: list[str] = []
    for token in text.split():
        if not _REASON_TOKEN_RE.fullmatch(token.strip(",.;:")):
            break
        kept.append(token)
    reasons = " ".join(kept).strip(" ,;:")
    if reasons.endswith(".") and not re.search(r"\b1\.[4-6]\.$", reasons):
        reasons = reasons[:-1]
    while reasons.split() and reasons.split()[-1].upper() in {"AND", "OR", "&", "AS"}:
        reasons = reasons.rsplit(None, 1)[0] if " " in reasons else ""
    if reasons:
        return reasons
    first = text.strip().split(". ")[0].strip().rstrip(".")
    return first[:120] or None


# ------------------------------------------------------------ name and title
_TOKEN_RE = re.compile(r"[^\s,;:]+|[,;:]")
_PLACE_BEFORE = frozenset(
    {"EMBASSY", "AMEMBASSY", "USEMBASSY", "CONSULATE", "CONGEN", "AMCONGEN", "AMCONSUL"}
)
_WORDY_RE = re.compile(r"^[\"'(\[\u201c\u2018]*[A-Za-z\u00c0-\u024f]")


def _is_acronym(token: str) -> bool:
    bare = token.strip("\"'()")
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


def _kind(token: str, mixed_case: bool, next_token: str | None) -> str:
    """N name word, P particle, S suffix, C connector, T title word, F a word's broken-off
    rest (``Do nald``), X anything else."""
    word = fold(token)
    bare = word.rstrip(".")
    if bare in SUFFIXES:
        return "S"
    first = token.lstrip("\"'([")[:1]
    if first.islower():
        if word in PARTICLES or bare in PARTICLES:
            return "P"
        if word in CONNECTORS:
            return "C"
        if is_title_word(token):
            return "T"
        return "F" if token.isalpha() else "T"
    if word in CONNECTORS:
        return "C"
    if is_title_word(token):
        return "T"
    if not _WORDY_RE.match(token) or token[0] == "(" or any(ch.isdigit() for ch in token):
        return "X"
    if (
        mixed_case
        and next_token is not None
        and _is_acronym(token)
        and next_token[:1].isupper()
        and any(ch.islower() for ch in next_token)
    ):
        return "T"  # an acronym before a mixed-case word: DTRA Fred Carter, PRT Team Leader
    return "N"


def _segments(who: str) -> list[list[tuple[str, int, int]]]:
    """Tokens (text, start, end) grouped by the separators , ; :"""
    segments: list[list[tuple[str, int, int]]] = [[]]
    for match in _TOKEN_RE.finditer(who):
        if match.group() in ",;:":
            segments.append([])
        else:
            segments[-1].append((match.group(), match.start(), match.end()))
    return segments


def _particles_then_name(kinds: list[str], j: int) -> bool:
    """Particles from j on lead to a name word: "van der Walde"."""
    while j < len(kinds) and kinds[j] == "P":
        j += 1
    return j < len(kinds) and kinds[j] == "N"


def _name_run(
    segment: list[tuple[str, int, int]], mixed_case: bool
) -> tuple[list[str], int, int] | None:
    """The last run of name words in a segment: (words, start, end)."""
    kinds = [
        _kind(tok, mixed_case, segment[i + 1][0] if i + 1 < len(segment) else None)
        for i, (tok, _, _) in enumerate(segment)
    ]
    for i in range(len(kinds)):
        # "PRT Team Leader John Doe", "PRT Salah Ad Din Leader Rick Bell", but
        # "CDA Damian R. Leader"
        if (
            kinds[i] == "N"
            and fold(segment[i][0]) in AFTER_TITLE
            and ((i and kinds[i - 1] == "T") or (i + 1 < len(kinds) and kinds[i + 1] == "N"))
        ):
            kinds[i] = "T"
    runs: list[tuple[list[str], int, int]] = []
    i = 0
    while i < len(segment):
        k = i
        while k < len(segment) and kinds[k] == "P":  # "Ambassador van Voorst"
            k += 1
        if k == len(segment) or kinds[k] != "N" or (k > i and i and kinds[i - 1] == "N"):
            i = max(k, i + 1)
            continue
        before = fold(segment[i - 1][0]).rstrip(".") if i else ""
        if before == "-" and i > 1:  # "U.S. Embassy - Tripoli"
            before = fold(segment[i - 2][0]).rstrip(".")
        words = [segment[i][0]]
        start, end = segment[i][1], segment[i][2]
        j = i + 1
        while j < len(segment):
            kind = kinds[j]
            if kind == "F" and not words[-1].endswith("."):
                words[-1] += segment[j][0]  # "Do nald" -> "Donald"
            elif (
                kind == "N"
                or (kind == "P" and _particles_then_name(kinds, j))
                or (kind == "T" and re.fullmatch(r"[A-Z]\.", words[-1]))
            ):
                # an initial never ends a name: "John Q. Public" (PUBLIC is a title word)
                words.append(segment[j][0])
            elif kind == "S":
                words.append(segment[j][0])
                end = segment[j][2]
                j += 1
                break
            else:
                break
            end = segment[j][2]
            j += 1
        letters = "".join(words).replace(".", "")
        if before not in _PLACE_BEFORE and len(letters) > 1:
            runs.append((words, start, end))
        i = j
    return runs[-1] if runs else None


_ABBREVIATIONS_TEXT = "AMB DIR DEP ASST COUNS POL ECON SEC GEN MIN DEPT ACT ACTG SR JR CONS ADMIN"
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())


def _clean_title(text: str) -> str | None:
    text = " ".join(text.replace("\\", " ").split())
    text = re.sub(r"\s+([,;:])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = text.strip(" ,;:-\"'")
    last = text.rsplit(None, 1)[-1] if text else ""
    if last.endswith(".") and "." not in last[:-1] and fold(last[:-1]) not in _ABBREVIATIONS:
        text = text[:-1]  # the sentence's full stop, not an abbreviation's (Amb., a.i.)
    return text.strip(" ,;:-\"'") or None


def _split_one(who: str) -> tuple[str | None, str | None, tuple[int, int] | None]:
    mixed_case = any(ch.islower() for ch in who) and any(ch.isupper() for ch in who)
    segments = _segments(who)
    for index, segment in enumerate(segments):
        run = _name_run(segment, mixed_case)
        if run is None:
            continue
        words, start, end = run
        name = " ".join(words)
        following = segments[index + 1] if index + 1 < len(segments) else []
        if (
            following
            and end == segment[-1][2]
            and all(fold(tok).rstrip(".") in SUFFIXES for tok, _, _ in following)
        ):
            name = f"{name}, {' '.join(tok for tok, _, _ in following)}"  # "Robert Blake, Jr."
            end = following[-1][2]
        elif (
            index + 2 < len(segments)
            and following
            and end == segment[-1][2]
            and start == segment[0][1]
            and len(following) <= 3
            and all(
                _kind(tok, mixed_case, None) == "N"
                and (not mixed_case or not _is_acronym(tok.rstrip(".")))
                for tok, _, _ in following
            )
            and segments[index + 2]
            and is_title_word(segments[index + 2][0][0])
        ):
            # "Martinez, Vilma, Ambassador, DOS, EXEC": surname, given name(s), title
            name = f"{name}, {' '.join(tok for tok, _, _ in following)}"
            end = following[-1][2]
        if fold(name.split()[-1]).rstrip(".") not in SUFFIXES:
            name = name.rstrip(".")
        return name.strip(" ,\"'") or None, None, (start, end)
    return None, None, None


_AND_RE = re.compile(r"\s+(?:and|AND|&)\s+")


def split_name_title(who: str) -> tuple[str | None, str | None]:
    """``"Political Minister Counselor Brian Flora"`` -> name, title;
    ``"John T. Godfrey, A/DCM, Embassy Tripoli"`` -> name first, then the title;
    ``"Poloff Steven Prohaska and DTRA Fred Carter"`` -> two names joined with "and"."""
    who = who.replace("\\", " ").strip(" ,;:\"'-")
    if not who:
        return None, None
    parts = _AND_RE.split(who)
    if len(parts) > 1:
        found = [(part, _split_one(part)) for part in parts]
        if all(
            name
            and span
            and (" " in name or part[: span[0]].strip())
            and (not part[span[1] :].strip() or part[span[1] :].lstrip()[:1] in ",;")
            for part, (name, _, span) in found
        ):
            names = [name for _, (name, _, _) in found]
            titles = []
            for part, (_, _, span) in found:
                assert span is not None
                title = _clean_title(part[: span[0]] + " " + part[span[1] :])
                if title:
                    titles.append(title)
            return " and ".join(names), " and ".join(titles) or None  # type: ignore[arg-type]
    name, _, span = _split_one(who)
    if span is None:
        return None, _clean_title(who)
    return name, _clean_title(who[: span[0]] + " " + who[span[1] :])
