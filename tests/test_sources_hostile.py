"""The readers on hostile input: time linear in the input (very long lines, unclosed
tags and quotes, deep nesting), and bad input reported rather than raised.

The scaling tests compare, within one run, the cost per character of the same
pathological input at 1 KB, 10 KB and 100 KB (best of three ``process_time``
measurements of 100 KB worth of work at each size): linear readers cost the same per
character at every size, a quadratic one ten times more at each step. No wall-clock
thresholds."""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cables.sources import SourceError, SourceItem, iter_sources
from cables.sources.dump import FIELD_LIMIT, iter_dump
from cables.sources.htmlpages import page_metadata, page_to_text, read_html_page
from cables.sources.textfiles import read_metadata_csv, read_text_file
from tests.cabletext import cable_text

SIZES = (1_000, 10_000, 100_000)
WORK = 100_000  # characters processed per measurement, at every size
# The cost per character may grow this much from one size to the next (x10 in
# size); quadratic time grows it tenfold.
GROWTH = 3.0


def _cost_per_char(run: Callable[[object], object], data: object, size: int) -> float:
    repeats = max(1, WORK // size)
    best = math.inf
    for _ in range(3):
        start = time.process_time()
        for _ in range(repeats):
            run(data)
        best = min(best, time.process_time() - start)
    return max(best, 1e-9) / (repeats * size)


def assert_linear(run: Callable[[object], object], make: Callable[[int], object]) -> None:
    costs = [_cost_per_char(run, make(size), size) for size in SIZES]
    for step in range(1, len(SIZES)):
        ratio = costs[step] / costs[step - 1]
        assert ratio < GROWTH, (
            f"cost per character x{ratio:.1f} from {SIZES[step - 1]:,} to "
            f"{SIZES[step]:,} characters ({[f'{c * 1e9:.1f} ns' for c in costs]}): "
            "super-linear"
        )


# -- HTML pages ------------------------------------------------------------------------

TABLE = "<table class='cable'><tr>"

HTML_INPUTS = {
    "unclosed pre tags": lambda n: "<pre>" * (n // 5),
    "unclosed pre, then one block": lambda n: "<pre>" * (n // 5) + "x</pre>",
    "runs of <a in a block": lambda n: "<pre>" + "<a " * (n // 3) + "</pre>",
    "long line of spaces": lambda n: "<pre>FM X\nTO Y" + " " * n + "Z\n</pre>",
    "deep nesting": lambda n: "<div>" * (n // 11) + "<pre>x</pre>" + "</div>" * (n // 11),
    "unclosed cells": lambda n: TABLE + "<td>" * (n // 4) + "</table><pre>x</pre>",
    "runs of < in a cell": lambda n: TABLE + "<td>" + "<" * n + "</td></table>",
    "unclosed tables": lambda n: "<table class='cable'>" * (n // 21),
    "long character reference": lambda n: "<pre>&#" + "0" * n + "65;</pre>",
    "many character references": lambda n: "<pre>" + "&#1;&amp" * (n // 8) + "</pre>",
}


@pytest.mark.parametrize("name", list(HTML_INPUTS))
def test_html_page_reading_is_linear(name):
    make = HTML_INPUTS[name]
    assert_linear(lambda page: (page_to_text(page), page_metadata(page)), make)


def test_html_page_file_reading_is_linear(tmp_path):
    def make(n: int) -> Path:
        return _file(tmp_path / f"{n}.html", "<pre>" * (n // 5) + "x</pre>")

    assert_linear(read_html_page, make)


def test_html_blocks_as_before():
    page = (
        "<table class='cable'><tr><td><a href='/x'>08OTTAWA492</a></td>"
        "<td>2008-02-19 15:23</td><td>2011-04-28 19:08</td><td>CONFIDENTIAL</td>"
        "<td>Embassy Ottawa</td></tr></table>"
        "<PRE>HEADER <a href='/t'>LINK</a> &amp; MORE</PRE> <pre>body</pre><pre>unclosed"
    )
    assert page_to_text(page) == "HEADER LINK & MORE\n\nbody"
    meta = page_metadata(page)
    assert meta.reference_id == "08OTTAWA492"
    assert meta.origin == "Embassy Ottawa"
    assert page_to_text("<pre>" * 100) == ""
    assert page_metadata(TABLE + "<td>" * 100) is None


def test_long_character_references_do_not_raise():
    """``html.unescape`` raises on a decimal reference of more than 4,300 digits."""
    assert page_to_text("<pre>&#" + "0" * 5000 + "65;</pre>") == "A"
    assert page_to_text("<pre>&#" + "9" * 5000 + ";</pre>") == "\ufffd"
    assert page_to_text("<pre>&#1114112; &#65; &#x41;</pre>") == "\ufffd A A"
    cells = ("<td>&#" + "1" * 5000 + "</td>") * 5
    assert page_metadata(TABLE + cells + "</table>").reference_id == "\ufffd"


def test_html_page_with_a_late_nul_is_reported(tmp_path):
    page = _file(tmp_path / "x.html", "<pre>" + cable_text() + "</pre>" + " " * 70_000 + "\0")
    result = read_html_page(page)
    assert isinstance(result, SourceError)
    assert "NUL" in result.reason


# -- cables.csv dumps ------------------------------------------------------------------

ROW_HEAD = '"1","2/19/2008 15:23","08OTTAWA492","Embassy Ottawa","CONFIDENTIAL","",'

DUMP_INPUTS = {
    "escaped quotes": lambda n: ROW_HEAD + '"H","' + '\\"' * (n // 2) + '"\n',
    "quote left open": lambda n: ROW_HEAD + '"H","' + "a" * n + "\n",
    "quotes only": lambda n: '"' * n + "\n",
    "long header line of spaces": lambda n: ROW_HEAD + '"TO X' + " " * n + 'Y","B"\n',
    "many empty lines": lambda n: "\n" * n,
    "many short rows": lambda n: '"1","2"\n' * (n // 8),
    "many commas": lambda n: ROW_HEAD + "," * n + "\n",
}


@pytest.mark.parametrize("name", list(DUMP_INPUTS))
def test_dump_reading_is_linear(name, tmp_path):
    def make(n: int) -> Path:
        return _file(tmp_path / f"{n}.csv", DUMP_INPUTS[name](n))

    assert_linear(lambda path: list(iter_dump(path)), make)


def test_dump_row_numbers_that_int_refuses(tmp_path):
    body = '"2/19/2008 15:23","08OTTAWA492","Embassy Ottawa","CONFIDENTIAL","","H","B"\n'
    dump = _file(tmp_path / "cables.csv", '"\u00b2",' + body + '"' + "7" * 5000 + '",' + body)
    results = list(iter_dump(dump))
    assert [type(r) for r in results] == [SourceItem, SourceItem]
    assert [r.row for r in results] == [1, 2]  # the line numbers


def test_dump_row_with_nul_is_reported(tmp_path):
    dump = _file(tmp_path / "cables.csv", ROW_HEAD + '"H","BODY\0TEXT"\n')
    (result,) = list(iter_dump(dump))
    assert isinstance(result, SourceError)
    assert result.row == 1
    assert "NUL" in result.reason


@pytest.fixture
def field_limit():
    """The readers' field limit (``csv.field_size_limit`` is per process: other code
    may have raised it)."""
    before = csv.field_size_limit(FIELD_LIMIT)
    yield FIELD_LIMIT
    csv.field_size_limit(before)


@pytest.mark.parametrize(
    "line, reason",
    [
        (64 * 1024, "field larger than field limit"),  # a field of many lines
        (FIELD_LIMIT + 10, "a line longer than"),  # one line past the limit
    ],
)
def test_dump_field_past_the_limit_is_reported_and_reading_goes_on(
    tmp_path, field_limit, line, reason
):
    lines = "\n".join(["a" * line] * (FIELD_LIMIT // line + 1))
    huge = ROW_HEAD + '"H","' + lines + '"\n'
    good = ROW_HEAD.replace('"1"', '"2"', 1) + '"H","BODY"\n'
    results = list(iter_dump(_file(tmp_path / "cables.csv", huge + good)))
    assert len(results) == 2
    assert isinstance(results[0], SourceError)
    assert results[0].row == 1
    assert reason in results[0].reason
    assert isinstance(results[-1], SourceItem)
    assert results[-1].row == 2


# -- .txt files and metadata.csv -------------------------------------------------------


def test_text_file_reading_is_linear(tmp_path):
    def make(n: int) -> Path:
        return _file(tmp_path / f"{n}.txt", "TO X" + " \t." * (n // 3) + "\n")

    assert_linear(read_text_file, make)


def test_metadata_reading_is_linear(tmp_path):
    header = "reference_id,created,released,classification,origin,partial\n"

    def make(n: int) -> Path:
        row = '08OTTAWA492,"' + "2008-02-19 " * (n // 11) + '",,,,\n'
        return _file(tmp_path / f"{n}.csv", header + row)

    assert_linear(read_metadata_csv, make)


def test_text_file_with_a_late_nul_is_reported(tmp_path):
    result = read_text_file(_file(tmp_path / "x.txt", cable_text() + " " * 70_000 + "\0"))
    assert isinstance(result, SourceError)
    assert "NUL" in result.reason


def test_metadata_rows_with_hostile_fields_are_skipped(tmp_path):
    _file(tmp_path / "08OTTAWA492.txt", cable_text())
    _file(
        tmp_path / "metadata.csv",
        "reference_id,created,released,classification,origin,partial\n"
        f"08OTTAWA1,{'2008-02-19 ' * 1000},,SECRET,Embassy Ottawa,\n"
        "08OTTAWA2,2008-02-19 15:23,,SE\0CRET,Embassy Ottawa,\n"
        "08OTTAWA492,2008-02-19 15:23,2011-04-28 19:08,CONFIDENTIAL,Embassy Ottawa,false,x,y\n",
    )
    metadata = read_metadata_csv(tmp_path / "metadata.csv")
    assert set(metadata) == {"08OTTAWA492"}
    assert metadata["08OTTAWA492"].classification == "CONFIDENTIAL"


def test_unreadable_metadata_is_reported_once_and_the_cables_go_on(tmp_path, field_limit):
    for serial in (1, 2):
        _file(tmp_path / f"08OTTAWA{serial}.txt", cable_text(serial=serial))
    _file(
        tmp_path / "metadata.csv",
        'reference_id,created\n08OTTAWA1,"' + "x" * (FIELD_LIMIT + 10) + '"\n',
    )
    results = list(iter_sources([tmp_path]))
    errors = [r for r in results if isinstance(r, SourceError)]
    assert len(errors) == 1
    assert errors[0].source.endswith("metadata.csv")
    assert "unreadable metadata file" in errors[0].reason
    items = [r for r in results if isinstance(r, SourceItem)]
    assert len(items) == 2
    assert all(item.metadata is None for item in items)


def _file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
