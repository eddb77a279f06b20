"""Scaling: every field reader reads the same pathological line at 1 KB, 10 KB and
100 KB in time that grows at most linearly (ratio of CPU times within one run, best of
three: ``tests/parsing/timing.py``).

Each case puts one line where its reader looks (the TO line, the banner, TAGS, SUBJECT,
REF, Classified By, E.O., the summary, a paragraph, the closing lines, a page break) in
a small real-shaped cable and times ``parse_cable`` on the whole of it. The lines are
the shapes that made regular expressions backtrack: long runs of blanks after a label
or before the last word, a label repeated, a row of quotes, dots or ``www.``.
"""

from __future__ import annotations

import contextlib

import pytest

from cables.parsing import CableParseError, parse_cable
from tests.cabletext import cable_text

from .timing import SIZES, best_time, growth, linear

BASE = cable_text()
# Where each reader looks in BASE: the line a case replaces.
ANCHORS = {
    "routing": "TO RUEHC/SECSTATE WASHDC IMMEDIATE 7212",
    "info": "INFO RUEHLO/AMEMBASSY LONDON PRIORITY 0759",
    "fm": "FM AMEMBASSY OTTAWA",
    "dtg": "O 191523Z FEB 08",
    "banner": "C O N F I D E N T I A L OTTAWA 000492",
    "eo": "E.O. 12958: DECL: 02/19/2018",
    "tags": "TAGS: PREL MARR CA",
    "subject": "SUBJECT: MISSILE DEFENSE CONSULTATIONS",
    "ref": "SUBJECT: MISSILE DEFENSE CONSULTATIONS",  # a REF block goes after the subject
    "classified_by": "Classified By: Ambassador David Wilkins, reasons 1.4 (b) and (d).",
    "summary": "¶1. (C) Summary: Canada will decide soon. End summary.",
    "paragraph": "¶2. (C) Officials told us the cabinet will meet on Tuesday.",
    "signer": "\nWILKINS\n",
}
for _anchor in ANCHORS.values():
    assert _anchor in BASE, _anchor


def _refs(n: int) -> str:
    items = [f"({chr(65 + k % 26)}) STATE {k + 1};" for k in range(max(1, n // 16))]
    return ANCHORS["subject"] + "\nREF: " + " ".join(items)


# (reader, case name) -> the replacement line(s) for a size n
CASES = {
    # the routing header: the reported case, its INFO and FM lines, the DTG
    ("routing", "blanks before the last word"): lambda n: (
        "TO RUEHC/SECSTATE WASHDC" + " " * n + "X"
    ),
    ("routing", "blanks before the precedence"): lambda n: (
        "TO RUEHC/SECSTATE WASHDC" + " " * n + "IMMEDIATE" + " " * n + "7212"
    ),
    ("info", "recipients on one line"): lambda n: "INFO " + "RUEHLO/AMEMBASSY LONDON " * (n // 24),
    ("fm", "blanks after the sender"): lambda n: "FM AMEMBASSY OTTAWA" + " " * n + "X",
    ("dtg", "blanks after the precedence"): lambda n: "O" + " " * n + "191523Z FEB 08",
    ("dtg", "blanks after the time"): lambda n: "O 191523Z" + " " * n + "X",
    # the banner and its handling lines
    ("banner", "blanks after the classification"): lambda n: (
        "C O N F I D E N T I A L" + " " * n + "X"
    ),
    ("banner", "letters after the classification"): lambda n: "CONFIDENTIAL " + "A" * n,
    ("banner", "page header without a serial"): lambda n: "PAGE 1 A" + " " * n + "X",
    ("banner", "classification repeated"): lambda n: "SECRET " * (n // 7),
    ("banner", "spaced letters"): lambda n: "C O N F I D E N T I A L " + "X " * (n // 2),
    # E.O. / DECL
    ("eo", "blanks after DECL"): lambda n: "E.O. 12958: DECL:" + " " * n + "X",
    ("eo", "label repeated"): lambda n: "E.O. " * (n // 5),
    # TAGS
    ("tags", "blanks after the label"): lambda n: "TAGS" + " " * n + "X",
    ("tags", "label repeated"): lambda n: "TAGS " * (n // 5),
    ("tags", "codes run together"): lambda n: "TAGS: " + "PRELPGOV" * (n // 8),
    # SUBJECT
    ("subject", "blanks inside"): lambda n: "SUBJECT: X" + " " * n + "Y",
    ("subject", "blanks then a classification"): lambda n: "SUBJECT: X" + " " * n + "SECRETX",
    ("subject", "label repeated"): lambda n: "SUBJECT: " * (n // 9),
    # REF
    ("ref", "blanks after the label"): lambda n: ANCHORS["subject"] + "\nREF: " + " " * n + "X",
    ("ref", "thousands of items"): _refs,
    ("ref", "serials of one station"): lambda n: (
        ANCHORS["subject"] + "\nREF: STATE " + ", ".join(str(k + 1) for k in range(n // 7))
    ),
    ("ref", "a long word before a serial"): lambda n: (
        ANCHORS["subject"] + "\nREF: A. " + "Q" * n + " 1234"
    ),
    # Classified By
    ("classified_by", "blanks after the label"): lambda n: "Classified By: " + " " * n + "x",
    ("classified_by", "label repeated"): lambda n: "classified by " * (n // 14),
    # the summary
    ("summary", "a number then blanks"): lambda n: "1" + " " * n + "x",
    ("summary", "heading then blanks"): lambda n: "SUMMARY\n" + " " * n + "x",
    ("summary", "blanks then a backslash"): lambda n: "SUMMARY: x" + " " * n + "\\ y",
    ("summary", "END SUMMARY lines before the summary"): lambda n: (
        "END SUMMARY\n\n" * (n // 13) + ANCHORS["summary"]
    ),
    # body paragraphs
    ("paragraph", "pilcrow then blanks"): lambda n: "¶" + " " * n + "1. x",
    ("paragraph", "a number then dots"): lambda n: "1" + "." * n,
    ("paragraph", "numbers repeated"): lambda n: "1. " * (n // 3),
    # the closing lines: the signer
    ("signer", "blanks inside the last line"): lambda n: "\nx" + " " * n + "y\n",
    ("signer", "a row of quotes"): lambda n: '\n"' * 2 + '"' * n + "x\n",
    ("signer", "dots after a name"): lambda n: "\nSMITH" + " ." * (n // 2) + " x\n",
    ("signer", "a long URL then a name"): lambda n: "\n" + "www." * (n // 4) + " SMITH\n",
    ("signer", "an unclosed tag"): lambda n: "\n\n<" + "a" * n + "\nSMITH\n",
    # page breaks
    ("paragraph", "page breaks after a long line"): lambda n: (
        ANCHORS["paragraph"]
        + " "
        + "x" * n
        + "\n"
        + "PAGE 02 ROME 03067 211833Z more text\n" * (n // 36)
    ),
    ("paragraph", "a classification run in before a page header"): lambda n: (
        "x" + " " * n + "CONFIDENTIAL\nPAGE 02 ROME 03067 211833Z\n" + "PAGE " * (n // 5)
    ),
}


def _cable(reader: str, make, n: int) -> str:
    return BASE.replace(ANCHORS[reader], make(n), 1)


def _parse(text: str) -> None:
    with contextlib.suppress(CableParseError):
        parse_cable(text)


@pytest.mark.parametrize(("reader", "shape"), list(CASES), ids=[" / ".join(k) for k in CASES])
def test_reader_time_grows_linearly(reader, shape):
    make = CASES[(reader, shape)]
    times = growth(lambda n: _parse(_cable(reader, make, n)))
    shown = ", ".join(f"{n // 1000} KB: {t * 1000:.1f} ms" for n, t in times)
    assert len(times) == len(SIZES) and linear(times), shown


def test_the_reported_recipient_line_parses_like_a_short_one():
    """Issue 13: blanks before the last word of the TO line made the routing reader
    quadratic (42 s at 40,000 blanks). Padded or not, the cable reads the same."""

    def text(n: int) -> str:
        return (
            "FM AMEMBASSY OTTAWA\nTO SECSTATE WASHDC"
            + " " * n
            + "X\n\nCONFIDENTIAL OTTAWA 000492\n\nSUBJECT: TEST\n"
        )

    short = parse_cable(text(1))
    for n in (40_000, 1_000_000):
        cable = parse_cable(text(n))
        assert [r.name for r in cable.recipients] == ["SECSTATE WASHDC X"]
        assert (cable.sender, cable.station, cable.serial) == ("AMEMBASSY OTTAWA", "OTTAWA", 492)
        assert (cable.classification, cable.subject) == ("CONFIDENTIAL", "TEST")
        assert cable.body == short.body
    assert short.recipients == cable.recipients
    times = growth(lambda n: parse_cable(text(n)), sizes=(10_000, 100_000, 1_000_000))
    assert linear(times), times


def _lines_then_summary(line: str, n: int) -> str:
    return _cable(
        "summary", lambda n: f"{line}\n\n" * (n // (len(line) + 2)) + ANCHORS["summary"], n
    )


@pytest.mark.parametrize(
    "line", ["END SUMMARY", "End of summary.", "(END SUMMARY)", "¶1. (C) SUMMARY x", "SUMMARY:"]
)
def test_summary_labels_that_lead_nowhere_cost_what_other_lines_cost(line):
    """Found by bench/fuzz.py (seed 2): 1,000 ``END SUMMARY`` lines before the summary
    cost 4.6 ms per KB, linear but 7 times a cable of other lines: each of the summary
    reader's 20 looks for a label scanned the next 60,000 characters again. A label
    that leads nowhere costs at most 3 times a line one letter away from it (100 KB)."""
    near_miss = line.replace("SUMMARY", "SUMMIT").replace("summary", "summit")
    labels = best_time(lambda: _parse(_lines_then_summary(line, 100_000)))
    other = best_time(lambda: _parse(_lines_then_summary(near_miss, 100_000)))
    assert max(labels, 0.002) <= 3 * max(other, 0.002), (labels, other)
