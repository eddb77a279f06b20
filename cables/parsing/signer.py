"""The signer: the closing name(s) at the end of the body.

The cable ends with the name of who sent it (``CELLUCCI``, ``Wilkins``, ``SMITH/JONES``,
``LA LIME``, ``O'BRIEN``, ``BRENNAN FOR GROSSMAN``: several names on the line are kept as
written), alone on its line or run onto the last sentence (``... cleared this cable.
DERSE``). After it the archives leave debris that is skipped: ``NNNN``, ``BT``, ``END``,
a classification line, ``SIPDIS``, section and page markers, the "Visit ... Classified
Website" line and its URL, ``=====CABLE ENDS=====``, star boxes, a lone quote or
backslash. A sentence, a heading, a wrapped line or a redaction (``XXXXXXXXXXXX``) is
never a signer.
"""

from __future__ import annotations

import re

_TAIL = 6000  # the closing lines live in the last part of the body
_MAX_TRAILER = 300  # a longer line is text, never archive debris
_MAX_LINES = 60  # trailer lines skipped at most (a repeated routing header is long)

_TRAILER_RE = re.compile(
    r"(?:NNNN(?:\s.*)?|BT|#+|=+|-+|_+|\*+|\.+|\"+|'+|\\+|>+|<br>|END|\(?END\)?\.?|END\s+(?:OF\s+)?"
    r"(?:TEXT|MESSAGE|CABLE)\.?|=*\s*CABLE\s+ENDS\s*=*|\**\s*MISSING\s+SECTION\s+\d+\s*\**|"
    r"(?:UN)?CLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|NOFORN|SIPDIS|SENSITIVE|"
    r"(?:[A-Z] ){4,}[A-Z](?: .*)?|(?:SECRET|CONFIDENTIAL|UNCLASSIFIED)\s*//\s*\w+|"
    r"(?:SECTION\s+)?\d{1,3}\s+OF\s+\d{1,3}|PAGE\s+\d+.*|"
    r"[A-Z][A-Z .]{1,30}\s\d{4,8}\s+\d{1,3}(?:\.\d)?\s+OF\s+\d{1,3}.*|"
    r"\(?COMPLIMENTARY\s+CLOSING\)?\.?|MINIMIZE\s+CONSIDERED\.?|"
    r"\(?(?:https?://|www\.)\S*\)?|.*\bWEB\s?SITE\b.*|.*\bsgov\.gov\b.*|.*intelink.*|"
    r"VISIT\s+.*|.*\bPortal:.*|</?[a-z][^>]*>(?:\s*</?[a-z][^>]*>)*|\d{1,3}|"
    r"SENSITIVE\s+BUT\s+UNCLASSIFIED.*|END\s+CABLE\s+TEXT|DECLASSIFIED/RELEASED.*|"
    r"SYSTEMATIC\s+REVIEW.*|.*FROM\s+`cable`.*|(?:SE)?LECT\s+\*.*|"
    # a mirror's record trailer: "2005ROME01593 - Classification: SECRET"
    r"(?:>\s*)?\d{4}[A-Z]{2,20}\d{3,8}\s*-\s*(?:Classification:\s*)?[A-Z /]{4,40}\"?|"
    # a second routing header after the closing name (a record holding two copies)
    r"VZCZC\w*|[A-Z]{2}\s+RUEH\w*.*|DE\s+RUEH\w*.*|ZNY\s+[A-Z]{5}.*|"
    r"[OPRZ]{1,2}\s+\d{6}Z\s+[A-Z]{3}\s+\d{2}|(?:FM|TO|INFO|XMT)\s+.*|"
    r"R[A-Z]{3,6}/.*|(?:AMEMBASSY|AMCONSUL|SECSTATE|USMISSION|USLO|USINT|SECDEF|CDR|HQ|CJCS)\s.*|"
    r"Telegram\s?Restricted.*|.*\bCOLLECTIVE\b.*)",
    re.I,
)
# Debris at the end of a line: "CONEWAY \", "BLAKE \"", "MANZANARES .", "SOBEL 2008-01-08".
_LINE_DEBRIS_RE = re.compile(
    r"(?:\s*(?:\\v?|\"|<br>|\s[.,]|\s\d{4}-\d{2}-\d{2}\b.*|\s0\s+\d{1,2}/\d{1,2}/\d{4}|"
    r"\sNNNN\b.*))+$",
    re.I,
)
# ... what :func:`_strip_debris` removes in linear time (the expression above, kept as the
# reference, was tried from every blank of a long run or every quote of a long row of
# them: quadratic). The debris that runs to the end of the line, and the other pieces
# spelt backwards:
_DEBRIS_TO_END_RE = re.compile(r"\s(?:\d{4}-\d{2}-\d{2}\b|NNNN\b)", re.I)
_DEBRIS_PIECE_REVERSED = r"(?:v?\\|\"|>rb<|[.,]\s|\d{4}/\d{1,2}/\d{1,2}\s+0\s)\s*"
_DEBRIS_BEFORE_END_REVERSED_RE = re.compile(rf"\s*(?:{_DEBRIS_PIECE_REVERSED})*", re.I)
_DEBRIS_REVERSED_RE = re.compile(rf"(?:{_DEBRIS_PIECE_REVERSED})+", re.I)
_NAME_WORD = r"(?:[A-Z][A-Za-z'`\u2019-]*\.?|[a-z]{1,3}[A-Z][A-Za-z'-]*|[A-Z]\.)"
_PARTICLE = r"(?:van|von|de|da|del|della|di|du|la|le|al|el)\s+"
_NAME_LINE_RE = re.compile(
    rf"(?:{_PARTICLE})?{_NAME_WORD}"
    rf"(?:(?:\s+|\s*/\s*|\s+(?:for|FOR|and|AND|&)\s+)(?:{_PARTICLE})?{_NAME_WORD}){{0,3}}"
)
_PARTICLES_TEXT = "VAN VON DE DA DEL DELLA DI DU LA LE AL EL"
_PARTICLES = frozenset(_PARTICLES_TEXT.split())
_LOWER_NAME_RE = re.compile(r"[a-z][a-z'-]{2,20}")  # "tuttle", "kurtzer"
# The name run onto the last sentence: ". DERSE", ") FRAKER", ". Sobel".
_TAIL_NAME_RE = re.compile(
    r"(?:[.!?\")\]\u201d][ \t]*|(?i:\bEND\s+(?:COMMENT|SUMMARY|NOTE|TEXT)\.?\s+)|"
    r"MINIMIZE\s+CONSIDERED\s+|(?P<digit>\d)[ \t]+)"
    r"(?P<name>[A-Z][A-Z'-]+(?:[ /][A-Z][A-Z'-]+)?|[A-Z][a-z'-]{2,20})\.?$"
)
# An upper-case name run onto a mixed-case last line with no full stop before it.
_CAPS_AFTER_PROSE_RE = re.compile(
    r"[a-z][a-z,;:)]*[ \t]+(?P<name>[A-Z][A-Z'-]{2,}(?:/[A-Z][A-Z'-]{2,})?)$"
)
_STOP_TEXT = """END COMMENT COMMENTS SUMMARY NOTE TEXT QUOTE UNQUOTE NNNN SIPDIS NOFORN CONFIDENTIAL
    SECRET UNCLASSIFIED UNCLAS SENSITIVE PAGE VISIT SECTION OF THE A AN IS ARE WAS LIST
    MINIMIZE CONSIDERED IMMEDIATE PRIORITY ROUTINE AMEMBASSY SECSTATE WASHDC DECL TAGS
    SUBJECT REF CLASSIFIED BY REASON REASONS CABLE ENDS MESSAGE TELEGRAM CLEARED DRAFTED
    APPROVED THANKS REGARDS INFO ACTION REQUEST BACKGROUND INTRODUCTION CONCLUSION
    XXXXXXXXXXXX FOLLOWS TO IN ON AT WITH FROM THIS THAT THESE US USG GOB NATO EU UN
    POINTS PARA PARAS BEGIN OVERVIEW CONTINUED DEPARTMENT EMBASSY POST COLLECTIVE ASSISTANCE"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
_SENTENCE_END = (".", "!", "?", '"', ")", "]", ":", "\u201d", "'", "\u2019")


_CUT_WORDS = ("CLASSIFIED", "CONFIDENTIAL", "UNCLASSIFIED", "SECRET", "SENSITIVE", "SUMMARY")
# "... communities/state/can ada WILKINS": a name after a URL. The name is the last word
# and the URL stands anywhere before it (the former ``URL\S*.*\s(?P<name>...)$`` tried every
# split of a long word between ``\S*`` and ``.*``, from every URL start: cubic).
_URL_RE = re.compile(r"https?://|www\.|intelink|sgov\.gov|Web\s?Site", re.I)
_LAST_NAME_RE = re.compile(r"\s(?P<name>[A-Z][A-Z'-]{2,})$", re.I)


def _url_then_name(text: str) -> str | None:
    """The last word of ``text`` when it is name-shaped and a URL stands before it."""
    name = _LAST_NAME_RE.search(text)
    if name is None or _URL_RE.search(text, 0, name.start()) is None:
        return None
    return name.group("name")


def _strip_debris(text: str) -> str:
    """``_LINE_DEBRIS_RE.sub("", text)`` for a line without a newline, in linear time.

    The debris is a run of pieces (blanks before each) that ends the line; a date or
    ``NNNN`` takes the rest of the line with it. Its leftmost start is found from the
    right: the pieces are matched backwards, on the reversed text, by one anchored match
    (each piece ends with a character that tells which piece it is, and none ends with a
    blank, so the greedy backward match is the longest)."""
    to_end = _DEBRIS_TO_END_RE.search(text)
    if to_end is not None:
        end = to_end.start()
        back = _DEBRIS_BEFORE_END_REVERSED_RE.match(text[:end][::-1])
        return text[: end - back.end()]
    back = _DEBRIS_REVERSED_RE.match(text[::-1])
    return text if back is None else text[: len(text) - back.end()]


def _clean(line: str) -> str:
    return _strip_debris(line.strip()).strip().lstrip("#")


def _is_stop(name: str) -> bool:
    words = re.split(r"[\s/]+", name.upper())
    return any(w.strip(".,'") in _STOP_WORDS or "XXX" in w for w in words)


def _name_line(text: str) -> str | None:
    """The line is a name (or names): return it without trailing dots."""
    if len(text) > 48 or len(text) < 2:
        return None
    if text.endswith("...") and (
        " " in text.strip(". ")
        or len(text.strip(". ")) < 5
        or any(w.startswith(text.strip(". ").upper()) for w in _CUT_WORDS)
    ):
        return None  # a partial extract cut in the middle of a line: "Classif...", "HTS A..."
    name = re.sub(r"\.{2,}$", "", text)  # "TUTTLE..", "HEARNE.."
    if name.endswith(".") and not re.search(r"\b[A-Z]\.$|\b[JS]r\.$", name):
        name = name[:-1]  # "CLINTON.", "Sobel."
    name = name.replace("UNQUOTE ", "").strip()
    if "UNQUOTE" in text.upper():  # "CLINTON UNQUOTE CLINTON": the closing name is last
        name = re.split(r"\bUNQUOTE\b", text, flags=re.I)[-1].strip(" .")
    if not name or _is_stop(name):
        return None
    if _NAME_LINE_RE.fullmatch(name) or _LOWER_NAME_RE.fullmatch(name):
        if len(name.replace(".", "").replace(" ", "")) < 2:
            return None
        return name
    return None


def _lone_caps_name(name: str) -> bool:
    """An upper-case name alone on its line is a signer even after an unfinished line
    (a table, a heading): ``GOLDBERG``, ``VAN VOORST``, ``SMITH/JONES``."""
    if not name.isupper() or len(name) < 3:
        return False
    words = name.split()
    return len(words) == 1 or (len(words) == 2 and words[0] in _PARTICLES) or "/" in name


# A second routing header after the closing name (a record holding two copies of the
# cable): its date-time group with the FM line under it, or its VZCZC start.
_SECOND_HEADER_RE = re.compile(
    r"\n[ \t]*(?:VZCZC\w*[ \t]*\n|[OPRZ]{1,2}[ \t]+\d{6}Z[ \t]+[A-Z]{3}[ \t]+\d{2}[ \t]*\n"
    r"[ \t]*FM[ \t])"
)


def find_signer(body: str) -> tuple[str | None, int]:
    """The closing name and the offset where it starts (``len(body)`` if none)."""
    full = len(body)
    for _ in range(3):  # at most a few copies; each cut looks at the text before it
        second = _SECOND_HEADER_RE.search(body, max(0, len(body) - _TAIL))
        if second is None:
            break
        body = body[: second.start()]
    name, at = _closing_name(body)
    return (name, at) if name is not None else (None, full)


def _closing_name(body: str) -> tuple[str | None, int]:
    end = len(body)
    base = max(0, end - _TAIL)
    pos = end  # the end of the line being looked at
    skipped = 0
    while pos > base and skipped <= _MAX_LINES:
        start = body.rfind("\n", base, pos) + 1
        if start == 0 and base > 0:
            start = base
        raw = body[start:pos]
        next_pos = start - 1
        text = _clean(raw)
        if not text:
            pos = next_pos
            continue
        after_url = _url_then_name(text[-300:])
        if after_url and after_url.isupper() and not _is_stop(after_url):
            return after_url, start + max(raw.rfind(after_url), 0)
        if len(text) <= _MAX_TRAILER and _TRAILER_RE.fullmatch(text):
            skipped += 1
            pos = next_pos
            continue
        # the line before: a blank line or a finished sentence before a name line
        prev_end = start - 1
        prev_start = body.rfind("\n", base, max(prev_end, base)) + 1
        prev = _clean(body[prev_start:prev_end]) if prev_end > base else ""
        name = _name_line(text)
        if name is not None and (
            not prev
            or prev.endswith(_SENTENCE_END)
            or _TRAILER_RE.fullmatch(prev)
            or _name_line(prev) is not None  # "LANGDALE" twice, "Huntsman" then "huntsman"
            or re.match(r"END\b", prev, re.I)  # "END COMMENT", "End Talking Points"
            or _lone_caps_name(name)
        ):
            offset = raw.find(name.split()[0])
            return name, start + max(offset, 0)
        caps = _CAPS_AFTER_PROSE_RE.search(text[-80:])
        if caps and not _is_stop(caps.group("name")):
            found = caps.group("name")  # "... Ahmed Megahed SCOBEY": no full stop before it
            return found, start + max(raw.rfind(found), 0)
        tail = _TAIL_NAME_RE.search(text[-60:])
        if tail and not _is_stop(tail.group("name")):
            found = tail.group("name")
            if (
                found.isupper()
                if tail.group("digit")
                else ((found.isupper() and len(found) >= 3) or len(text) - len(found) > 20)
            ):
                return found, start + max(raw.rfind(found), 0)
        return None, end
    return None, end
