"""Property tests (hypothesis): any text parses or is refused with CableParseError, the
header and body are the text itself, and the recipient reader's rewrite keeps its
contract. Skipped when hypothesis is not installed (it is pinned in requirements.txt)."""

from __future__ import annotations

import contextlib

import pytest

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cables.parsing import CableParseError, parse_cable  # noqa: E402
from cables.parsing.routing import split_precedence  # noqa: E402
from tests.cabletext import cable_text  # noqa: E402

BASE = cable_text()
PIECES = st.sampled_from(
    [
        " ", "  ", "\t", "\n", "\n\n", "SUBJECT:", "TAGS", "REF:", "¶1. (C)", "1.", "(C)",
        "FM ", "TO ", "CONFIDENTIAL", "PAGE 02", "\\", '"', ".", "x", "WILKINS", "\u200f",
        "\x00", "\r",
    ]
)  # fmt: skip
SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@SETTINGS
@given(st.text(max_size=3000))
def test_any_text_parses_or_is_refused(text):
    with contextlib.suppress(CableParseError):
        parse_cable(text)


@SETTINGS
@given(st.integers(0, len(BASE)), st.lists(PIECES, max_size=30), st.integers(0, 200))
def test_header_and_body_are_the_text(at, pieces, repeat):
    """Whatever is inserted, ``text == header + blank lines + body`` (the parser's
    losslessness for a cable with a routing header)."""
    text = BASE[:at] + "".join(pieces) * (1 + repeat % 5) + BASE[at:]
    try:
        cable = parse_cable(text)
    except CableParseError:
        return
    if cable.partial or not cable.header:
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    assert text.startswith(cable.header)
    assert text.endswith(cable.body)
    gap = text[len(cable.header) : len(text) - len(cable.body)] if cable.body else ""
    assert not gap.strip(" \t\n")


NAMES = st.lists(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ/-.", min_size=1, max_size=12), min_size=1
)


@SETTINGS
@given(
    NAMES,
    st.sampled_from(["IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH", "NIACT IMMEDIATE"]),
    st.sampled_from(["", " 1", " 0042", " 7212", " 123456"]),
    st.sampled_from([" ", "  ", "\t", " " * 5000]),
)
def test_recipient_precedence_and_number(words, precedence, number, blank):
    name = " ".join(words)
    line = f"{name}{blank}{precedence}{number}"
    got, prec = split_precedence(line)
    if words[-1] == "NIACT" and precedence == "IMMEDIATE":
        return  # "... NIACT IMMEDIATE": the name's last word is part of the precedence
    assert (" ".join(got.split()), prec) == (name, precedence.replace("NIACT ", ""))
