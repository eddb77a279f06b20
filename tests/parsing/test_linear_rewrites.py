"""The linear-time rewrites (issue 13) give exactly what the regular expressions they
replace gave: each old expression is kept here and both are run on thousands of short
random strings made of the pieces that matter (blanks, labels, digits, quotes ...),
where the old forms are still fast."""

from __future__ import annotations

import random
import re

import pytest

from cables.parsing import banner, classified_by, references, signer, subject, summary
from cables.parsing.fields import FIELD_SCAN
from cables.parsing.pagebreaks import TRAILING_CLASS_RE, strip_trailing_class
from cables.parsing.routing import split_precedence

CASES = 4000


def _strings(pieces: tuple[str, ...], seed: int, most: int = 10):
    rng = random.Random(seed)
    for _ in range(CASES):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(0, most)))


# ------------------------------------------------------------- routing: TO / INFO lines
_OLD_PREC_RE = re.compile(r"\s+(IMMEDIATE|PRIORITY|ROUTINE|FLASH|NIACT IMMEDIATE)\b(?:\s+\d+)?\s*$")
_OLD_SEQ_RE = re.compile(r"\s+\d{1,5}\s*$")


def _old_split_precedence(line: str) -> tuple[str, str | None]:
    prec = _OLD_PREC_RE.search(line)
    if prec:
        return line[: prec.start()], prec.group(1).replace("NIACT ", "")
    return _OLD_SEQ_RE.sub("", line), None


def test_split_precedence_is_the_old_expressions():
    words = ("SECSTATE", "WASHDC", "IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH", "NIACT")
    numbers = ("7212", "12", "123456", "0042", "\u0663\u0664", "1", "12345")
    blanks = (" ", " ", "  ", "\t", " \t ", "\u00a0", "")
    pieces = words + numbers + blanks + ("X", "/", ".", "IMMEDIATEX")
    for raw in _strings(pieces, 1, 8):
        line = raw.strip()
        name, precedence = split_precedence(line)
        old_name, old_precedence = _old_split_precedence(line)
        assert (" ".join(name.split()), precedence) == (
            " ".join(old_name.split()),
            old_precedence,
        ), repr(line)


def test_split_precedence_examples():
    assert split_precedence("SECSTATE WASHDC IMMEDIATE 7212") == ("SECSTATE WASHDC", "IMMEDIATE")
    assert split_precedence("AMEMBASSY LONDON NIACT IMMEDIATE") == ("AMEMBASSY LONDON", "IMMEDIATE")
    assert split_precedence("USMISSION GENEVA 0042") == ("USMISSION GENEVA", None)
    assert split_precedence("SECSTATE WASHDC" + " " * 50 + "X") == (
        "SECSTATE WASHDC" + " " * 50 + "X",
        None,
    )


# ------------------------------------------------ page breaks: a classification run in
def test_strip_trailing_class_is_the_old_expression():
    pieces = (" ", "  ", "\t", "CONFIDENTIAL", "SECRET", "UNCLASSIFIED", "LIMITED", "OFFICIAL")
    pieces += ("USE", "X", "ASECRET", "SECRETS", "\\", ".")
    for line in _strings(pieces, 2):
        assert strip_trailing_class(line) == TRAILING_CLASS_RE.sub("", line), repr(line)


# -------------------------------------------------------------- signer: line debris
_OLD_URL_THEN_NAME_RE = re.compile(
    r"(?:https?://|www\.|intelink|sgov\.gov|Web\s?Site)\S*.*\s(?P<name>[A-Z][A-Z'-]{2,})$", re.I
)


def test_strip_debris_is_the_old_expression():
    pieces = (" ", " ", "\t", "\\", "v", "V", '"', "<br>", "<BR>", " .", ".", ",", " ,")
    pieces += (" 2008-01-08", " 2008-01-081", " 0 1/2/2008", " 0  12/31/2009", "0", "1")
    pieces += (" NNNN", " nnnn", "NNNN", "SMITH", "x", "/", "-")
    for raw in _strings(pieces, 3, 12):
        line = raw.strip()
        assert signer._strip_debris(line) == signer._LINE_DEBRIS_RE.sub("", line), repr(line)


def test_url_then_name_is_the_old_expression():
    pieces = (" ", "www.", "http://", "Web Site", "WEBSITE", "x", "SMITH", "O'NEIL", "-", "ab")
    pieces += ("\t", "intelink", ".gov", "Jones")
    for text in _strings(pieces, 4):
        old = _OLD_URL_THEN_NAME_RE.search(text)
        assert signer._url_then_name(text) == (old.group("name") if old else None), repr(text)


def test_trailer_tags_are_the_old_expression():
    old = re.compile(r"</?[a-z]+[^>]*>(?:\s*</?[a-z]+[^>]*>)*", re.I)
    new = re.compile(r"</?[a-z][^>]*>(?:\s*</?[a-z][^>]*>)*", re.I)
    for text in _strings(("<", ">", "/", "a", "B", " ", "br", "<p>", "x"), 5):
        assert bool(old.fullmatch(text)) == bool(new.fullmatch(text)), repr(text)


# ------------------------------------------------------------------------ summary
_OLD_MARKING = r"\(?[A-Z][A-Za-z/ ]{0,20}\)"
_OLD_LINE_START_RE = re.compile(
    rf"^[ \t\\]*(?P<prefix>(?:¶\s*)?(?:\d{{1,2}}\s*\.?\s*)?(?:{_OLD_MARKING}\s*)?(?:-+\s*)?)"
    rf"(?P<label>{summary._LABEL})\b(?P<after>[ \t\\]*(?:[:.\-]|\n|$))?",
    re.M | re.I,
)
_OLD_UNDERLINE_RE = re.compile(r"(?:[ \t\\]*(?:[-=]{3,}|- (?:- )+-?)?[ \t\\]*\n)*")


def _groups(match: re.Match | None):
    return None if match is None else (match.span(), match.groupdict())


def test_summary_expressions_are_the_old_ones():
    pieces = (" ", "  ", "\t", "\\", "\n", "¶", "1", "12", ".", "(C)", "(SBU) ", "-", "---")
    pieces += ("SUMMARY", "Summary", "summary and comment", "BEGIN ", "INTRODUCTION AND ")
    pieces += (":", "x", "=", "- - -")
    for text in _strings(pieces, 6, 12):
        new = summary._LINE_START_RE.search(text)
        assert _groups(new) == _groups(_OLD_LINE_START_RE.search(text)), repr(text)
        assert summary._UNDERLINE_RE.match(text).end() == _OLD_UNDERLINE_RE.match(text).end()


def test_line_end_backslashes_are_the_old_expression():
    for text in _strings((" ", "\t", "\\", "\n", "x", "\\ ", " \\"), 7, 12):
        old = re.sub(r"[ \t]*\\[ \t]*(?=\n|$)", "", text)
        assert summary._drop_line_end_backslashes(text) == old, repr(text)


# ---------------------------------------------------------------------- references
def test_prose_after_ref_is_the_old_expression():
    old = re.compile(r"^\s*(?:[A-Z]\b|[:.(-]|\s*$|S\b)", re.I)
    for text in _strings((" ", "\t", "\n", "A", "s", "x", ":", "(", "1", "AB", "-"), 8):
        assert bool(references._PROSE_AFTER_RE.match(text)) == bool(old.match(text)), repr(text)


# -------------------------------------------------------------------------- banner
def test_page_header_is_the_old_expression_for_a_station_of_a_few_words():
    old = re.compile(
        r"^[ \t]*PAGE[ \t]+\d+[ \t]+(?P<pre>[A-Z][A-Z .]*?)[ \t]+(?P<serial>\d{3,8})\b", re.M
    )
    pieces = (" ", "  ", "\t", "PAGE ", "02 ", "ROME", "SAN JOSE", "VATICA", ".", "03067")
    pieces += ("123", "1234567890", "\n", "A", "x")
    for text in _strings(pieces, 9, 6):  # a station of a few words (the bound is 60)
        new = banner.PAGE_RE.search(text)
        assert _groups(new) == _groups(old.search(text)), repr(text)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("IS  CONFIDENTIAL", "IS"),
        ("IS CONFIDENTIAL", "IS CONFIDENTIAL"),
        ("A B  LIMITED \t OFFICIAL USE \t", "A B"),
        ("A B LIMITED OFFICIAL USE", "A B LIMITED OFFICIAL USE"),
    ],
)
def test_strip_trailing_class_examples(line, expected):
    assert strip_trailing_class(line) == expected


def test_ref_block_line_starts_are_the_old_expressions():
    old_stop = re.compile(
        r"^\s*(?:\(\w{1,4}\)\s*)?(?:CLASSIFIED\s+BY|¶?\s*\d+\s*\.[\s(]|SUMMARY\b|E\.?\s?O\.?\s*\d|"
        r"TAGS\b|SUBJ|-{3,}|_{3,}|1\.\s*\(|SENSITIVE\s+BUT|SIPDIS\b|C O N F|S E C R|U N C L|"
        r"UNCLAS\s+SECTION|(?-i:\((?:U|SBU|TS|[CS]/[A-Z]+)(?:/[A-Z]+)*\)\s+[A-Z][a-z]))",
        re.I,
    )
    old_item = re.compile(r"^\s*¶?\s*(?:\(?[A-Z]\)|[A-Z][.:)-])\s")
    old_subject_item = re.compile(r"^[ \t]*¶?[ \t]*\(?[A-Z][.):]")
    pieces = (" ", "  ", "\t", "¶", "(C)", "(U) ", "1", "12", ".", "(", "A", "B.", "A)", "x")
    pieces += ("CLASSIFIED BY", "SUMMARY", "E.O. 1", "Embassy", "TAGS", ":")
    for text in _strings(pieces, 10):
        assert bool(references._BLOCK_STOP_RE.match(text)) == bool(old_stop.match(text)), text
        assert bool(references._ITEM_START_RE.match(text)) == bool(old_item.match(text)), text
        assert bool(subject._ITEM_RE.match(text)) == bool(old_subject_item.match(text)), text


def _old_find_label(text: str):
    """classified_by._find_label before issue 13 (it looked back to the line start)."""
    for match in classified_by._LABEL_RE.finditer(text, 0, FIELD_SCAN):
        line_start = text.rfind("\n", 0, match.start()) + 1
        prefix = text[line_start : match.start()]
        line_end = text.find("\n", match.end(), match.end() + 400)
        rest = text[match.end() : line_end if line_end >= 0 else match.end() + 400]
        if rest.lstrip()[:4].upper() == "LINE":
            continue
        colon = rest.lstrip().startswith(":")
        reasons = bool(classified_by._REASONS_AHEAD_RE.search(rest[:300]))
        at_line_start = (
            len(prefix) <= 30 and classified_by._LINE_PREFIX_RE.fullmatch(prefix) is not None
        )
        if at_line_start and (colon or reasons or match.group()[0] == "C"):
            return match, bool(re.search(r"\d|¶", prefix))
        if colon or reasons:
            return match, False
    return None


def test_classified_by_label_is_found_as_before():
    pieces = ("Classified By", "classified by", "CLASSIFIED BY", ": ", " ", "\n", "1. ", "(C) ")
    pieces += ("x" * 7, "reasons 1.4", "LINE", "¶", '"', "Amb. X", "x" * 25)
    for text in _strings(pieces, 11, 14):
        new, old = classified_by._find_label(text), _old_find_label(text)
        assert (new and (new[0].span(), new[1])) == (old and (old[0].span(), old[1])), text
