"""The TAGS line.

``parse_tags(text)`` finds the TAGS label in the body's header part and returns the
tags in the order written, each once, and the offset where the TAGS text ends.

* The label: ``TAGS:``, ``TAGS``, ``TAG``, in any case, at the start of a line or run
  into the E.O./DECL line (``E.O. 12958: DECL: 09/21/10 TAGS: PGOV``, ``...2015TAGS:``).
* Continuation lines: the next line belongs to TAGS when the line before ends with a
  comma, or when it holds only codes; never when it is another header (SUBJECT, REF,
  Classified By, a paragraph) or a page-break line.
* Tokens: codes upper-cased; run-together codes split with the known vocabulary
  (``PRELIZ`` -> ``PREL IZ``); slips in common codes mapped (``PGOVV`` -> ``PGOV``);
  person tags kept as ONE tag, surname first (``OVIP (GATES, ROBERT M.)``,
  ``OVIP PELOSI NANCY`` -> ``PELOSI, NANCY``); free text kept as one tag
  (``HUMAN RIGHTS``); handling words (SIPDIS, NOFORN) dropped.

Everything is linear: one bounded regex search per line, no backtracking patterns.
"""

from __future__ import annotations

import re

from .fields import FIELD_SCAN
from .tag_vocab import (
    ALIASES,
    COMMON_CODES,
    CONNECTORS,
    COUNTRY_CODES,
    GIVEN_NAMES,
    KNOWN_CODES,
    KNOWN_SURNAMES,
    NOT_NAMES,
    NOT_TAGS,
    ORGANIZATIONS,
    PHRASE_MAX_WORDS,
    PHRASES,
    RUN_TOGETHER,
    VARIANT_CODES,
)

MAX_LINE = 1000  # a TAGS line is read this far (flattened extracts run on for pages)
MAX_CONTINUATION = 6  # continuation lines read at most
MAX_TOKEN = 60  # longer "words" are not tags

# ------------------------------------------------------------------ patterns
_LABEL_RE = re.compile(r"(?<![A-Za-z])(?:TAGS?|[Tt][Aa][Gg][Ss]?)(?![A-Za-z])")
# where the TAGS text stops on its own line: the next header run into it
_STOP_RE = re.compile(
    r"(?i:SUBJ(?:ECT)?[ \t]*:)|\bSUBJ(?:ECT)?\b|(?i:\bREF(?:S|TEL)?[ \t]*:)"
    r"|(?i:\bCLASSIFIED[ \t]+BY\b)|(?i:\bE\.[ \t]?O\.[ \t]?\d)|¶"
)
# a line that starts another header, a paragraph or a page break
_HEADER_RE = re.compile(
    r"[ \t]*(?:SUBJ|REF\b|REFS\b|REFTEL|CLASSIFIED|CLASSIFICATION|E\.?[ \t]?O\b|¶|\d+[ \t]*\."
    r"|\((?:[A-Z0-9]|TS|SBU|FOUO|[CS]//?NF|[CS]/REL[^)\n]{0,30})\)|[A-Z]\.[ \t]"
    r"|SUMMARY|BT[ \t]*$|NNNN|PAGE[ \t]+\d|[CSU][ \t][A-Z][ \t][A-Z][ \t]"
    r"|DECL|PASS\b|FOR\b|FROM\b|INFO\b|ACTION\b)",
    re.I,
)
_PAGE_RE = re.compile(
    r"[ \t]*PAGE[ \t]+\d{1,3}[ \t]+[A-Z][A-Z .-]{0,30}?[ \t]\d{2,6}\b"
    r"(?:[ \t]+\d\d[ \t]+OF[ \t]+\d\d)?(?:[ \t]+\d{6}Z)?"
)
_LINK_RE = re.compile(r"\[([^\]\n]{0,80})\]\([^)\n]{0,200}\)")
_MARKING_RE = re.compile(r"(?:U|C|S|TS|SBU|FOUO|[CS]//?NF|[CS]/REL[^)\n]{0,30})")
_PAREN_RE = re.compile(r"\(([^()\n]{0,120})\)")
_ITEM_SPLIT_RE = re.compile(r"[,;]")
_HTML_RE = re.compile(r"</?[A-Za-z]{1,10}[ \t]*/?>")
_BLANKS_RE = re.compile(r"[ \t]*")
_CODE_SHAPE_RE = re.compile(r"[A-Z][A-Z0-9]{1,5}(?:[/-][A-Z0-9]{1,5}){0,2}")
_WORD_STRIP = " \t.:;,\"'`*[]{}<>|!?\\"

# ------------------------------------------------------------ word analysis
_SPLIT_CODES = frozenset(
    c
    for c in (KNOWN_CODES - VARIANT_CODES) | COMMON_CODES
    if 2 <= len(c) <= 5 and c.isalpha() and c not in NOT_TAGS
)
_SPLIT_EXTRA = {a: c for a, c in ALIASES.items() if len(a) >= 3 and a.isalpha()}


def _is_standard(word: str) -> bool:
    return word in KNOWN_CODES and word not in VARIANT_CODES


def _fix_slip(word: str) -> str | None:
    """A misspelt common code: the alias table, a doubled letter, one letter too many."""
    alias = ALIASES.get(word)
    if alias:
        return alias
    if not word.isalpha() or not 4 <= len(word) <= 6:
        return None
    dedup = "".join(ch for i, ch in enumerate(word) if i == 0 or ch != word[i - 1])
    if dedup != word and dedup in COMMON_CODES:
        return dedup
    if len(word) == 5:
        for i in range(5):
            candidate = word[:i] + word[i + 1 :]
            if candidate in COMMON_CODES:
                return candidate
    return None


def _split(word: str, pairs: bool = True) -> list[str] | None:
    """Run-together codes (``ETRDEINVECINPGOVCS``), split with the known vocabulary.

    A split must hold at least as many codes of three or more letters as two-letter
    ones (so that a word such as BRUSSELS is not read as BR US SE LS)."""
    n = len(word)
    if (
        pairs
        and n == 4
        and word[:2] in COUNTRY_CODES
        and word[2:] in COUNTRY_CODES
        and (word in RUN_TOGETHER or not any(ch in "AEIOU" for ch in word))
    ):
        # two country codes (YMCS); a word such as IRAN or CUBA is not split
        return [word[:2], word[2:]]
    if n < 5 or n > 64 or not word.isalpha():
        return None
    # best[i]: (score, pieces) for word[:i]; fewer pieces, longer pieces first
    best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for i in range(n):
        if best[i] is None:
            continue
        score, pieces = best[i]
        for size in (5, 4, 3, 2):
            j = i + size
            if j > n:
                continue
            piece = word[i:j]
            code = piece if piece in _SPLIT_CODES else _SPLIT_EXTRA.get(piece)
            if code is None:
                continue
            new = score + (3 if size >= 3 else 1) * 10 - 12
            if best[j] is None or new > best[j][0]:
                best[j] = (new, [*pieces, code])
    if best[n] is None:
        return None
    pieces = best[n][1]
    long_ones = sum(len(p) >= 3 for p in pieces)
    if len(pieces) < 2 or long_ones * 2 < len(pieces) or long_ones == 0:
        return None
    return pieces


def _codes(word: str, name: bool = False) -> list[str] | None:
    """The codes a word stands for, or None when it is no code (``name``: the word
    may be a surname, so two country codes run together are not looked for)."""
    if _is_standard(word):
        return [word]
    fixed = _fix_slip(word)
    if fixed:
        return [fixed]
    if word in KNOWN_CODES:
        return [word]
    if word.endswith("SIPDIS") and len(word) > 6:
        return _codes(word[:-6])
    for sep in "/-":
        if sep not in word:
            continue
        parts = [p for p in word.split(sep) if p]
        if len(parts) > 1 and all(_is_standard(p) for p in parts):
            return parts
    return _split(word, pairs=not name and word not in KNOWN_SURNAMES)


def _clean(word: str) -> str:
    return word.strip(_WORD_STRIP).upper()


def _tag_like_line(line: str) -> bool:
    """A line of codes only (a continuation of TAGS)."""
    text = _LINK_RE.sub(r" \1 ", _HTML_RE.sub(" ", line))
    names = len(_PAREN_RE.findall(text))  # (CLINTON, HILLARY): a person tag
    text = _PAREN_RE.sub(" ", text)
    words = [_clean(w) for w in text.replace(",", " ").replace(";", " ").split()]
    words = [w for w in words if w]
    if not (words or names) or len(words) > 30:
        return False
    codes = names
    words += [""] * names
    for word in words:
        if not word:
            continue
        if word in NOT_TAGS or len(word) > MAX_TOKEN:
            return False
        if _codes(word) is not None:
            codes += 1
        elif not _CODE_SHAPE_RE.fullmatch(word):
            return False
    # a few code-shaped tokens (AU-I, UNGA/C-6) among codes
    return codes * 2 >= len(words)


def _is_free_word(word: str) -> bool:
    return len(word) >= 3 and any(ch.isalpha() for ch in word) and _codes(word) is None


# ----------------------------------------------------------------- the label
def _find_label(text: str, limit: int) -> tuple[int, int] | None:
    """(start of the label, start of the TAGS text) of the first real TAGS label."""
    for match in _LABEL_RE.finditer(text, 0, limit):
        start, pos = match.start(), match.end()
        window = max(0, start - 400)  # bounded: no rescans of a long line
        line_start = text.rfind("\n", window, start) + 1 or window
        before = text[line_start:start]
        pos = _BLANKS_RE.match(text, pos).end()
        colon = pos < len(text) and text[pos] in ":-"
        if colon:
            pos = _BLANKS_RE.match(text, pos + 1).end()
        line_end = text.find("\n", pos, pos + MAX_LINE)
        rest = text[pos : line_end if line_end >= 0 else pos + MAX_LINE]
        first = rest.split(None, 1)[0] if rest.strip() else ""
        first_word = _clean(_ITEM_SPLIT_RE.split(first, 1)[0])
        if first.startswith("["):  # a markdown-ish link: [MARR](#)
            first_word = _clean(_LINK_RE.sub(r"\1", first))
        is_code = bool(first_word) and (
            _codes(first_word) is not None or first_word in NOT_TAGS or first_word == "OVIP"
        )
        at_line_start = not before.strip(" \t¶*>")
        if at_line_start:
            if colon or is_code or (not rest.strip() and match.group() == "TAGS"):
                return start, pos
            continue
        # run into another line (the E.O./DECL line, a flattened extract)
        if first.startswith("(") or first_word in ("AND", "OF"):
            continue
        if colon and is_code:
            return start, pos
        if match.group() in ("TAGS", "TAG") and is_code and first == first.upper():
            tail = before.rstrip()
            if tail[-1:].isdigit() or tail.endswith("N/A") or "DECL" in before.upper():
                return start, pos
    return None


# ----------------------------------------------------------- the TAGS text
def _tags_text(text: str, pos: int) -> tuple[str, int]:
    """The raw TAGS text from ``pos`` (first line and continuation lines) and its end."""
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    first = text[pos : min(line_end, pos + MAX_LINE)]
    stop = _STOP_RE.search(first)
    if stop:
        return first[: stop.start()], pos + stop.start()
    chunks = [first]
    end = line_end
    previous = first
    for _ in range(MAX_CONTINUATION):
        if end >= len(text):
            break
        nl = text.find("\n", end + 1)
        nl = len(text) if nl < 0 else nl
        line = text[end + 1 : nl]
        page_end, rest = _page_break(text, end)
        if page_end >= 0:  # CONFIDENTIAL / PAGE 02 ROME 03067 211833Z
            nl, line = page_end, rest
            if not line.strip():
                # the TAGS go on after the page break only when they are unfinished
                # or when codes follow
                after = _next_line(text, nl)
                if not (_after_comma(previous) or _tag_like_line(after)):
                    break
                end = nl
                continue
        if not line.strip() or len(line) > MAX_LINE:
            break
        if _HEADER_RE.match(line) or _is_marking_line(line):
            break
        stop = _STOP_RE.search(line)
        body = line[: stop.start()] if stop else line
        if not (
            (_after_comma(previous) and _tag_like_or_words(body))
            or _tag_like_line(body)
            or _ends_free_text(previous, body, text, nl)
        ):
            break
        chunks.append(body)
        if stop:
            end = nl - len(line) + stop.start()
            break
        end = nl
        previous = body
    return "\n".join(chunks), end


def _next_line(text: str, nl: int) -> str:
    following = text[nl + 1 : nl + 1 + MAX_LINE]
    return following.split("\n", 1)[0]


def _after_comma(line: str) -> bool:
    """The line ends with a comma (a page-break marking after it does not count)."""
    words = line.split()
    while words and _clean(words[-1]) in NOT_TAGS:
        words.pop()
    return bool(words) and words[-1].endswith((",", ";"))


def _page_break(text: str, end: int) -> tuple[int, str]:
    """A page break starting after ``end`` (the newline of the line before): blank and
    marking lines, then ``PAGE 02 ROME 03067 211833Z``. Returns the end of the PAGE line
    and what follows the page header on it, or ``(-1, "")``."""
    at = end
    for _ in range(6):
        if at >= len(text):
            break
        nl = text.find("\n", at + 1, at + 1 + MAX_LINE)
        nl = len(text) if nl < 0 else nl
        line = text[at + 1 : nl]
        page = _PAGE_RE.match(line)
        if page:
            return nl, line[page.end() :]
        if line.strip() and not _is_marking_line(line):
            break
        at = nl
    return -1, ""


def _is_marking_line(line: str) -> bool:
    words = [_clean(w) for w in line.split()]
    return bool(words) and all(w in NOT_TAGS or w.startswith("SIPDIS") for w in words)


def _tag_like_or_words(line: str) -> bool:
    """After a trailing comma: codes, person names or a few free-text words."""
    if _tag_like_line(line):
        return True
    words = line.replace(",", " ").split()
    return 0 < len(words) <= 12 and not line.rstrip().endswith(".") and len(line) <= 200


def _ends_free_text(previous: str, line: str, text: str, nl: int) -> bool:
    """``COUNTRY`` / ``CLEARANCE``: the last words of a free-text tag wrapped to a line of
    their own, with the next header right after."""
    words = [_clean(w) for w in line.split()]
    if not 1 <= len(words) <= 3 or not all(w.isalpha() and len(w) >= 3 for w in words):
        return False
    if line.strip() != line.strip().upper():
        return False
    last = _clean(previous.split()[-1]) if previous.split() else ""
    if not last or not _is_free_word(last):
        return False
    following = text[nl + 1 : nl + 1 + MAX_LINE].split("\n", 1)[0]
    return not following.strip() or bool(_HEADER_RE.match(following))


# --------------------------------------------------------------- tokenising
def _person(words: list[str]) -> str:
    """``PELOSI NANCY`` -> ``PELOSI, NANCY``; ``NANCY PELOSI`` when the surname is known."""
    last = words[-1].strip(".") if words else ""
    turn = last in KNOWN_SURNAMES or (bool(words) and words[0].strip(".") in GIVEN_NAMES)
    if len(words) > 1 and len(last) > 1 and last not in GIVEN_NAMES and turn:
        words = [words[-1], *words[:-1]]
    if len(words) == 1:
        return words[0]
    return f"{words[0]}, {' '.join(words[1:])}"


def _person_from_parens(inner: str) -> str | None:
    inner = " ".join(inner.replace(" ,", ",").split()).upper()
    if not inner or not any(ch.isalpha() for ch in inner):
        return None
    if "," in inner:
        surname, given = inner.split(",", 1)
        surname, given = surname.strip(), " ".join(given.replace(",", " ").split())
        return f"{surname}, {given}" if given else surname
    return _person(inner.split())


def _free_text_item(words: list[str]) -> str | None:
    """A comma-separated item that is one free-text tag: ``UN SECURITY COUNCIL``."""
    if not 2 <= len(words) <= 5 or any(
        not w or (w in NOT_TAGS and w not in CONNECTORS) for w in words
    ):
        return None
    free = 0
    for word in words:
        if word in ORGANIZATIONS or word in CONNECTORS:
            continue
        if not word.isalpha() or _codes(word) is not None or len(word) < 3:
            return None
        free += 1
    if not free or words[0] in CONNECTORS or words[-1] in CONNECTORS:
        return None
    return " ".join(words)


def _read_item(item: str, out: list[str], after_ovip: bool, listed: bool = False) -> bool:
    """Tags of one comma-separated item; returns whether the item ended with OVIP.
    ``listed``: the item is one of a comma-separated list."""
    raw_words = item.split()
    words = [_clean(w) for w in raw_words]
    if listed and not after_ovip and words and words[0] not in KNOWN_SURNAMES:
        phrase = _free_text_item(words)
        if phrase and phrase not in PHRASES:
            out.append(phrase)
            return False
    person_words = [w.strip(_WORD_STRIP.replace(".", "")).upper() for w in raw_words]
    i = 0
    run: list[int] = []  # indices of the free-text / name words being collected

    def flush() -> None:
        nonlocal after_ovip
        if not run:
            return
        if (after_ovip or words[run[0]] in KNOWN_SURNAMES) and words[run[0]] not in NOT_NAMES:
            out.append(_person([person_words[k] for k in run]))
        else:
            while run and words[run[-1]] in CONNECTORS:
                run.pop()
            while run and words[run[0]] in CONNECTORS:
                run.pop(0)
            if run:
                out.append(" ".join(words[k] for k in run))
        run.clear()
        after_ovip = False

    while i < len(words):
        word = words[i]
        if not word or len(word) > MAX_TOKEN:
            i += 1
            continue
        # a known free-text phrase (it may hold a code: GOI EXTERNAL)
        phrase = None
        for size in range(min(PHRASE_MAX_WORDS, len(words) - i), 1, -1):
            phrase = PHRASES.get(" ".join(words[i : i + size]))
            if phrase:
                flush()
                out.append(phrase)
                i += size
                break
        if phrase:
            after_ovip = False
            continue
        single = PHRASES.get(word)
        if single:
            flush()
            out.append(single)
            i += 1
            continue
        if word in NOT_TAGS and not (run and word in CONNECTORS):
            flush()
            i += 1
            continue
        if not run:
            codes = _codes(word, name=after_ovip)
        elif after_ovip or words[run[0]] in KNOWN_SURNAMES:
            # inside a name only a plain code ends it: OVIP PELOSI NANCY PREL
            codes = [word] if len(word) >= 2 and _is_standard(word) else None
        else:
            codes = None if word in CONNECTORS else _codes(word)
        if codes is None and run and word in CONNECTORS:
            # a connector only joins two free-text words
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if nxt and _codes(nxt) is None and nxt not in NOT_TAGS:
                run.append(i)
                i += 1
                continue
            flush()
            i += 1
            continue
        if codes is not None:
            flush()
            out.extend(codes)
            after_ovip = codes[-1] == "OVIP"
        elif after_ovip and not run and len(word) == 1:
            i += 1  # a stray initial
            continue
        elif any(ch.isalpha() for ch in word) and (
            len(word) >= 2 or (run and (after_ovip or words[run[0]] in KNOWN_SURNAMES))
        ):
            run.append(i)
        i += 1
    flush()
    return after_ovip


def _read(raw: str) -> list[str]:
    raw = _LINK_RE.sub(r" \1 ", _HTML_RE.sub(" ", raw))
    tags: list[str] = []
    after_ovip = False
    pos = 0
    # a parenthesised group is one person tag: OVIP (GATES, ROBERT M.)
    for paren in _PAREN_RE.finditer(raw):
        after_ovip = _read_items(raw[pos : paren.start()], tags, after_ovip)
        inner = paren.group(1)
        if _MARKING_RE.fullmatch(inner.strip().upper()) or len(inner.strip()) < 2:
            pos = paren.end()  # a paragraph marking, (U), is no tag
            continue
        words = [_clean(w) for w in inner.replace(",", " ").split()]
        if words and all(_codes(w, name=True) is not None for w in words) and "," not in inner:
            for word in words:
                tags.extend(_codes(word, name=True) or ())
        else:
            person = _person_from_parens(inner)
            if person:
                tags.append(person)
        after_ovip = False
        pos = paren.end()
    _read_items(raw[pos:], tags, after_ovip)
    return tags


def _read_items(text: str, out: list[str], after_ovip: bool) -> bool:
    surname_at: int | None = None  # OVIP PELOSI, NANCY: the given names follow a comma
    items = _ITEM_SPLIT_RE.split(text)
    for index, item in enumerate(items):
        if not item.strip():
            continue
        words = [_clean(w) for w in item.split()]
        if (
            surname_at is not None
            and surname_at == len(out) - 1
            and 1 <= len(words) <= 3
            and all(w.isalpha() and _codes(w, name=True) is None for w in words)
            and not any(w in NOT_TAGS for w in words)
        ):
            given = " ".join(w.strip(_WORD_STRIP.replace(".", "")).upper() for w in item.split())
            out[-1] = f"{out[-1]}, {given}"
            surname_at = None
            continue
        ovip_before = after_ovip
        count = len(out)
        # an item between commas (not the first or last words of a space-separated line)
        listed = 0 < index < len(items) - 1 or (len(items) > 1 and "\n" not in item)
        after_ovip = _read_item(item, out, after_ovip, listed)
        surname_at = None
        last = out[-1] if len(out) > count else ""
        if (
            last.isalpha()
            and last not in NOT_NAMES
            and _codes(last, name=True) is None
            and (
                (ovip_before and len(out) == count + 1)
                or (len(out) > count + 1 and out[-2] == "OVIP")
            )
        ):
            surname_at = len(out) - 1
    return after_ovip


def parse_tags(text: str) -> tuple[tuple[str, ...], int]:
    """``(tags, end offset)``; ``((), -1)`` when the text has no TAGS label."""
    label = _find_label(text, min(len(text), FIELD_SCAN))
    if label is None:
        return (), -1
    raw, end = _tags_text(text, label[1])
    return tuple(dict.fromkeys(_read(raw))), end
