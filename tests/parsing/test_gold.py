"""The header gold set: real snippets with hand-checked values, field by field.

Each file in ``tests/parsing/gold/`` holds blocks of one field (format: the gold
README). Every snippet is wrapped in a minimal cable (``tests/parsing/snippets.py``)
of the station, year and serial of the cable it was copied from, parsed with
``parse_cable``, and the field compared with the expected value.

Snippets the current parser gets wrong are listed in ``gold/known_failures.txt`` and
run as non-strict xfail; the per-field share tests are the gate (``THRESHOLDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from cables.parsing import ParsedCable, split_id

from .snippets import parse_closing_snippet, parse_header_snippet

THRESHOLDS = {
    "tags": 0.95,
    "subject": 0.95,
    "references": 0.95,
    "classified_by": 0.95,
    "signer": 0.95,
    "summary": 0.95,
}

GOLD_DIR = Path(__file__).parent / "gold"
FILES = {
    "tags": "tags.txt",
    "subject": "subject.txt",
    "references": "references.txt",
    "classified_by": "classified_by.txt",
    "signer": "signer.txt",
    "summary": "summary.txt",
}
NONE_MARKER = "(none)"
EXPECT_MARKER = "--- expect"
XFAIL_REASON = "parser being improved (issue 9)"


@dataclass(frozen=True)
class GoldCase:
    field: str
    cable_id: str
    snippet: str
    expected: tuple[str, ...]  # the expected lines, comments dropped; () for "(none)"
    line: int  # line of the "### id" header in the gold file


def cable_kwargs(cable_id: str) -> dict:
    """``09LIMA123`` -> ``{"station": "LIMA", "year": 2009, "serial": 123}``."""
    parts = split_id(cable_id)
    assert parts is not None, cable_id  # test_gold_files_are_sound checks every id
    year, station, serial = parts
    return {"station": station, "year": year, "serial": serial}


def read_gold(field: str) -> list[GoldCase]:
    """The blocks of one gold file: ``### ID``, snippet lines, ``--- expect``, values."""
    path = GOLD_DIR / FILES[field]
    cases: list[GoldCase] = []
    cable_id: str | None = None
    start = 0
    snippet: list[str] = []
    expected: list[str] = []
    in_expect = False

    def flush() -> None:
        if cable_id is None:
            return
        assert in_expect, f"{path.name}:{start}: block {cable_id} has no {EXPECT_MARKER!r} line"
        values = [v for v in expected if v.strip()]
        if values == [NONE_MARKER]:
            values = []
        assert NONE_MARKER not in values, f"{path.name}:{start}: {NONE_MARKER} beside values"
        cases.append(GoldCase(field, cable_id, "\n".join(snippet), tuple(values), start))

    for number, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if raw.startswith("### "):
            flush()
            cable_id, start, snippet, expected, in_expect = raw[4:].strip(), number, [], [], False
        elif cable_id is None:
            continue  # the file's own comments before the first block
        elif not in_expect and raw.rstrip() == EXPECT_MARKER:
            in_expect = True
        elif in_expect:
            if not raw.startswith("#"):  # "# ..." lines after --- expect are notes
                expected.append(raw.strip())
        else:
            snippet.append(raw)
    flush()
    return cases


def read_known_failures() -> set[tuple[str, str]]:
    path = GOLD_DIR / "known_failures.txt"
    known: set[tuple[str, str]] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            field, cable_id = line.split()
            known.add((field, cable_id))
    return known


def _dedupe(values) -> list:
    seen: list = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def parse_case(case: GoldCase) -> ParsedCable:
    kwargs = cable_kwargs(case.cable_id)
    if case.field == "signer":
        return parse_closing_snippet(case.snippet, **kwargs)
    return parse_header_snippet(case.snippet, **kwargs)


def actual_and_expected(case: GoldCase) -> tuple[object, object]:
    """The parsed value and the expected one, in comparable form."""
    cable = parse_case(case)
    exp = case.expected
    if case.field == "tags":
        return list(cable.tags), list(exp)
    if case.field == "references":
        ids = _dedupe(r.reference_id for r in cable.references if r.reference_id)
        return ids, list(exp)
    if case.field == "classified_by":
        name_lines = [v for v in exp if not v.startswith("title:")]
        titles = [v.removeprefix("title:").strip() for v in exp if v.startswith("title:")]
        cb = cable.classified_by
        actual = {"name": cb.name if cb else None}
        expected = {"name": name_lines[0] if name_lines else None}
        if titles:
            actual["title"] = cb.title if cb else None
            expected["title"] = titles[0]
        return actual, expected
    # subject, signer, summary: one value; long values may be wrapped over lines
    value = getattr(cable, case.field)
    return value, (" ".join(exp) if exp else None)


ALL_CASES = [case for field in FILES for case in read_gold(field)]
KNOWN_FAILURES = read_known_failures()


def _param(case: GoldCase):
    marks = []
    if (case.field, case.cable_id) in KNOWN_FAILURES:
        marks.append(pytest.mark.xfail(strict=False, reason=XFAIL_REASON))
    return pytest.param(case, id=f"{case.field}-{case.cable_id}", marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in ALL_CASES])
def test_gold_snippet(case: GoldCase):
    actual, expected = actual_and_expected(case)
    assert actual == expected, f"{case.field} of {case.cable_id} (gold line {case.line})"


def _share_param(field: str):
    cases = [c for c in ALL_CASES if c.field == field]
    known = sum((field, c.cable_id) in KNOWN_FAILURES for c in cases)
    marks = []
    if cases and 1 - known / len(cases) < THRESHOLDS[field]:
        marks.append(pytest.mark.xfail(strict=False, reason=XFAIL_REASON))
    return pytest.param(field, id=field, marks=marks)


@pytest.mark.parametrize("field", [_share_param(f) for f in FILES])
def test_gold_share(field: str):
    cases = [c for c in ALL_CASES if c.field == field]
    failed = []
    for case in cases:
        actual, expected = actual_and_expected(case)
        if actual != expected:
            failed.append(case.cable_id)
    share = 1 - len(failed) / len(cases)
    print(f"{field}: {len(cases) - len(failed)}/{len(cases)} = {share:.1%}")
    assert share >= THRESHOLDS[field], (
        f"{field}: {share:.1%} of {len(cases)} gold snippets pass, below "
        f"{THRESHOLDS[field]:.0%}; failing: {', '.join(failed)}"
    )


def test_gold_files_are_sound():
    """Every field has its snippets, ids are unique per field, the xfail list is live."""
    for field in FILES:
        cases = [c for c in ALL_CASES if c.field == field]
        assert cases, field
        ids = [c.cable_id for c in cases]
        assert len(ids) == len(set(ids)), f"{field}: a cable id appears twice"
        for case in cases:
            assert case.snippet.strip(), (field, case.cable_id)
            assert split_id(case.cable_id), (field, case.cable_id)
    keys = {(c.field, c.cable_id) for c in ALL_CASES}
    stale = sorted(KNOWN_FAILURES - keys)
    assert not stale, f"known_failures.txt lists snippets that are not in the gold set: {stale}"
