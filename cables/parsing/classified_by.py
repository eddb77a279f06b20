"""The Classified By line: who classified the cable (name and title) and the reasons."""

from __future__ import annotations

import re

from .fields import FIELD_SCAN
from .types import ClassifiedBy

# -------------------------------------------------------------- CLASSIFIED BY
CLASSIFIED_RE = re.compile(
    r"^[ \t]*(?:\([A-Z]{1,3}\)[ \t]*)?CLASSIFIED[ \t]+BY\b[ \t]*:?[ \t]*(?P<text>[^\n]*)",
    re.M | re.I,
)
_REASONS_RE = re.compile(
    r"(?:[,;.]?\s*(?:\bFOR\s+)?\bREASONS?\b|[,;.]\s*(?=\b1\.[456]\s*\(?[A-H]\b)|"
    r"\s+(?:PER|UNDER)\s+(?=(?:E\.?\s?O\.?\s*\d{5}\s*,?\s*)?(?:SECTION\s*)?1\.[456]\b)|"
    r"[,;]\s*E\.?\s?O\.?\s*\d{5})"
    r"(?:\s*\(S\))?\s*[:\-]?\s*",
    re.I,
)
_TITLE_WORDS_TEXT = """
    ACTING AMB AMBASSADOR A/DCM ASSISTANT CDA CHARGE CHARGE' CHIEF CONSUL CONSULAR COUNSELOR
    COUNSELLOR D'AFFAIRES DAFFAIRES D'AFFAIRS DCM DEPUTY DIRECTOR ECON ECONOMIC ECONOFF
    ECONOMIC/POLITICAL FOR GENERAL HEAD MINISTER MINISTER-COUNSELOR MISSION OF OFFICER POL
    POL/ECON POLCOUNS POLECON POLITICAL POLMIL POLOFF POLITICAL/ECONOMIC POL-MIL PRINCIPAL
    PRINCIPLE RSO SECRETARY SECTION SENIOR THE AND A.I. A.I AI ADVISOR ADVISER AFFAIRS
    AFFAIRES ASSOCIATE ADMINISTRATOR ATTACHE DEFENSE ECONOMIC-POLITICAL ENERGY ENVIRONMENT
    EXECUTIVE INTERIM MANAGEMENT MILITARY OFFICE PUBLIC REGIONAL SPECIAL UNIT US U.S. USUN
    AMBASSADOR-AT-LARGE COORDINATOR PERMANENT REPRESENTATIVE ALTERNATE EUR NEA WHA AF EAP
    SCA ISN INR PM IO DAS PDAS A/S ECONCOUNS ECON/POL CONGEN POLITICO-MILITARY OFFICER,
    POLITICAL-ECONOMIC DEPT DEPARTMENT STATE
"""
_TITLE_WORDS = frozenset(_TITLE_WORDS_TEXT.split())


def parse_classified_by(text: str) -> tuple[ClassifiedBy | None, str | None, int]:
    match = CLASSIFIED_RE.search(text, 0, FIELD_SCAN)
    if not match:
        return None, None, -1
    lines = [match.group("text")]
    end = match.end()
    while end < len(text) and len(lines) < 4:
        nl = text.find("\n", end + 1)
        nl = len(text) if nl < 0 else nl
        line = text[end + 1 : nl]
        if not line.strip() or re.match(r"^\s*(?:¶|\d+\s*\.|\([A-Z/]+\))", line):
            break
        lines.append(line)
        end = nl
    raw = " ".join(" ".join(lines).split())
    reasons = None
    who = raw
    split = _REASONS_RE.search(raw)
    if split:
        who = raw[: split.start()]
        reasons = _reasons_prefix(raw[split.end() :])
    who = who.strip(" ,;.:")
    name, title = split_name_title(who)
    return ClassifiedBy(name=name, title=title, raw=raw), reasons, end


_REASON_TOKEN_RE = re.compile(
    r"(?:E\.?O\.?|\d{5}|AS|AMENDED|SECTIONS?|PARAS?|1\.[4-6][A-H]?|"
    r"\(?[A-H]\)?(?:[,/&]?\(?[A-H]\)?)*|AND|OR|&)",
    re.I,
)


_LEADING_REASONS_RE = re.compile(r"^[\s,;:.]*(?:FOR\s+)?(?:REASONS?\b)?\s*[:\-]?\s*", re.I)


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


_INITIAL_RE = re.compile(r"^[A-Z]\.?$")


def _looks_like_name_part(word: str) -> bool:
    bare = word.strip(",.")
    if not bare or bare.upper() in _TITLE_WORDS or "/" in bare:
        return False
    return bare[0].isupper() and not any(ch.isdigit() for ch in bare)


def split_name_title(who: str) -> tuple[str | None, str | None]:
    """``"Political Minister Counselor Brian Flora"`` -> name, title;
    ``"John T. Godfrey, A/DCM, Embassy Tripoli"`` -> name first, then the title."""
    if not who:
        return None, None
    if "," in who:
        first, _, rest = who.partition(",")
        words = first.split()
        if 2 <= len(words) <= 5 and all(_looks_like_name_part(w) for w in words):
            return first.strip(), rest.strip() or None
        who_words = first.split()
        trailing = rest.strip()
    else:
        who_words = who.split()
        trailing = ""
    name_words: list[str] = []
    for word in reversed(who_words):
        if _looks_like_name_part(word) and len(name_words) < 4:
            name_words.insert(0, word)
        else:
            break
    if len(name_words) == len(who_words) and len(name_words) > 3:
        name_words = name_words[-3:]
    title_words = who_words[: len(who_words) - len(name_words)]
    title = " ".join(title_words)
    if trailing:
        title = f"{title}, {trailing}" if title else trailing
    name = " ".join(name_words) or None
    return name, title or None
