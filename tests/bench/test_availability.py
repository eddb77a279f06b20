"""``bench/availability.py``'s own logic: the corpus split, the outcome counting and
the RESULTS.md section (the full run needs PostgreSQL and minutes: it is run by hand
and its figures recorded)."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import BASE_DIR


@pytest.fixture(scope="module")
def availability():
    path = BASE_DIR / "bench" / "availability.py"
    spec = importlib.util.spec_from_file_location("bench_availability", path)
    module = importlib.util.module_from_spec(spec)
    saved = list(sys.path)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module


ROW = (  # a row over three lines, with escaped quotes
    '"{n}","2/19/2008 15:23","08OTTAWA{n}","Embassy Ottawa","CONFIDENTIAL","",'
    '"H\nL","B \\"Q\\"\nEND"\n'
)


def test_split_dump_keeps_rows_whole(availability, tmp_path):
    dump = tmp_path / "cables.csv"
    dump.write_text("".join(ROW.format(n=n) for n in range(1, 6)), encoding="utf-8")
    counts = availability.split_dump(dump, 3, tmp_path / "base", tmp_path / "new")
    assert counts == (3, 2)
    base = (tmp_path / "base" / "cables.csv").read_text(encoding="utf-8")
    new = (tmp_path / "new" / "cables.csv").read_text(encoding="utf-8")
    assert base == "".join(ROW.format(n=n) for n in range(1, 4))
    assert new == "".join(ROW.format(n=n) for n in range(4, 6))


def test_split_dump_needs_new_rows(availability, tmp_path):
    dump = tmp_path / "cables.csv"
    dump.write_text(ROW.format(n=1), encoding="utf-8")
    with pytest.raises(SystemExit, match="not more than --count 1"):
        availability.split_dump(dump, 1, tmp_path / "base", tmp_path / "new")


def test_errors_are_statuses_outside_2xx_3xx_and_socket_errors(availability):
    records = [(0.1, 5.0, "200"), (0.2, 6.0, "304"), (0.3, 7.0, "500"), (0.4, 1.0, "error: X")]
    summary = availability.summarise(records, 2.0)
    assert summary["requests"] == 4
    assert summary["errors"] == 2
    assert summary["rps"] == 2.0
    assert summary["outcomes"] == {"200": 1, "304": 1, "500": 1, "error: X": 1}


def test_record_replaces_its_section(availability, tmp_path, monkeypatch):
    results = tmp_path / "RESULTS.md"
    section = availability.SECTION
    results.write_text(f"# Results\n\n## Before\n\nA\n\n{section}\n\nold\n\n## After\n\nB\n")
    monkeypatch.setattr(availability, "RESULTS_MD", results)
    availability.record(f"{availability.SECTION}\n\nnew\n")
    text = results.read_text()
    assert text.count(availability.SECTION) == 1
    assert "old" not in text
    assert "## Before\n\nA" in text
    assert "## After\n\nB" in text
    assert text.endswith("new\n")
