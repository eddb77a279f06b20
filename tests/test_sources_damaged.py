"""The readers on damaged input (issue 15): a dump cut off mid-row or cut short in the
middle, a metadata file that is not UTF-8, directories that cannot be walked, file
names that would forge report lines. Nothing is skipped without a word, and nothing
good is lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cables.sources import SourceError, SourceItem, SourceNote, iter_sources, printable
from cables.sources import walk as walk_module
from cables.sources.dump import LINE_LIMIT, iter_dump
from cables.sources.textfiles import read_metadata_csv
from tests.cabletext import cable_text
from tests.conftest import corpus_path


def _escape(field: str) -> str:
    return field.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")


def dump_row(number: int, serial: int | None = None) -> str:
    """One row of a ``cables.csv`` dump holding a hand-written cable."""
    serial = serial or 100 + number
    header, body = cable_text(serial=serial, subject=f'THE "{number}" TALKS').split("\n\n", 1)
    fields = [
        str(number),
        "2/19/2008 15:23",
        f"08OTTAWA{serial}",
        "Embassy Ottawa",
        "CONFIDENTIAL",
        "",
        header,
        body,
    ]
    return ",".join(f'"{_escape(f)}"' for f in fields) + "\n"


def _dump(tmp_path: Path, text: str, name: str = "cables.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _split(results):
    results = list(results)
    items = [r for r in results if isinstance(r, SourceItem)]
    errors = [r for r in results if isinstance(r, SourceError)]
    return items, errors


# -- 1. a dump cut off mid-row -----------------------------------------------------------


def test_dump_cut_off_in_its_last_row_never_yields_a_cable(tmp_path):
    first, second = dump_row(1), dump_row(2)
    # every cut inside the second row's fields, from its reference id to its last quote
    start = second.index(",", second.index("08OTTAWA"))  # past the row's start
    for cut in range(start, len(second) - 2, 11):
        path = _dump(tmp_path, first + second[:cut])
        items, errors = _split(iter_dump(path))
        assert [i.metadata.reference_id for i in items] == ["08OTTAWA101"], cut
        assert len(errors) == 1, (cut, errors)
        assert errors[0].row == 2
        assert "cut short" in errors[0].reason


def test_dump_ending_without_a_final_newline_is_complete(tmp_path):
    path = _dump(tmp_path, dump_row(1) + dump_row(2).rstrip("\n"))
    items, errors = _split(iter_dump(path))
    assert [i.row for i in items] == [1, 2]
    assert errors == []


def test_real_dump_sample_cut_off_mid_row(tmp_path):
    """The issue's reproduction: ``head -c 8149 cables_sample.csv``."""
    sample = corpus_path("cables-csv", "cables_sample.csv").read_bytes()
    (tmp_path / "t.csv").write_bytes(sample[:8149])
    items, errors = _split(iter_dump(tmp_path / "t.csv"))
    assert [i.metadata.reference_id for i in items] == ["66BUENOSAIRES2481"]
    assert [(e.row, "cut short" in e.reason) for e in errors] == [(2, True)]
    items, errors = _split(iter_dump(corpus_path("cables-csv", "cables_sample.csv")))
    assert len(items) == 2 and errors == []


# -- 2. a row cut short in the middle of a dump ----------------------------------------


def _ten_rows_with_row_5_cut(cut: int) -> tuple[str, list[str]]:
    rows = [dump_row(n) for n in range(1, 11)]
    text = "".join(rows[:4]) + rows[4][:cut] + "".join(rows[5:])
    return text, [f"08OTTAWA{100 + n}" for n in range(1, 11) if n != 5]


def test_a_row_cut_short_mid_dump_does_not_swallow_the_next(tmp_path):
    row = dump_row(5)
    start = row.index(",", row.index("08OTTAWA"))  # past the row's start
    cuts = list(range(start, len(row) - 1, 7))
    assert len(cuts) > 80
    for cut in cuts:
        text, expected = _ten_rows_with_row_5_cut(cut)
        items, errors = _split(iter_dump(_dump(tmp_path, text)))
        assert [i.metadata.reference_id for i in items] == expected, cut
        assert [e.row for e in errors] == [5], (cut, errors)
        assert "cut short" in errors[0].reason


def test_a_row_cut_at_a_line_end_and_one_cut_mid_line_are_both_reported(tmp_path):
    rows = [dump_row(n) for n in range(1, 8)]
    at_newline = rows[2][: rows[2].index("\n", rows[2].index("SUBJECT")) + 1]
    mid_line = rows[4][: rows[4].index("Officials") + 5]
    text = "".join([rows[0], rows[1], at_newline, rows[3], mid_line, rows[5], rows[6]])
    items, errors = _split(iter_dump(_dump(tmp_path, text)))
    assert [i.row for i in items] == [1, 2, 4, 6, 7]
    assert [e.row for e in errors] == [3, 5]
    line_of_row_4 = "".join(rows[:2]).count("\n") + at_newline.count("\n") + 1
    assert f"the next row starts at line {line_of_row_4} before it ends" in errors[0].reason
    assert "the next row starts in the middle of line" in errors[1].reason


@pytest.mark.parametrize("cut", [2, 8])
def test_a_row_cut_in_its_start_is_reported_with_its_line(tmp_path, cut):
    """Cut before its reference id, a row is no row start: the row before it still
    reads, and the stump is reported by its number (when it shows) and its line."""
    rows = [dump_row(n) for n in range(1, 4)]
    text = rows[0] + rows[1][:cut] + rows[2]
    items, errors = _split(iter_dump(_dump(tmp_path, text)))
    assert [i.row for i in items] == [1, 3]
    (error,) = errors
    line = rows[0].count("\n") + 1
    assert error.row == 2
    assert f"line {line}" in error.reason


def test_an_over_long_line_is_reported_and_reading_goes_on(tmp_path):
    huge = dump_row(1).replace("WILKINS", "W" * (LINE_LIMIT + 10))
    items, errors = _split(iter_dump(_dump(tmp_path, huge + dump_row(2))))
    assert [i.row for i in items] == [2]
    assert [e.row for e in errors] == [1]
    assert "row too large" in errors[0].reason


# -- 3. metadata.csv that is not UTF-8 ------------------------------------------------

METADATA_HEADER = "reference_id,created,released,classification,origin,partial\n"
METADATA_ROW = (
    "08OTTAWA492,2008-02-19 15:23,2011-04-28 19:08,CONFIDENTIAL,Embassy Ottawa \xe9,false\n"
)


def test_metadata_in_cp1252_is_decoded_with_a_note(tmp_path):
    (tmp_path / "08OTTAWA492.txt").write_text(cable_text())
    (tmp_path / "metadata.csv").write_bytes((METADATA_HEADER + METADATA_ROW).encode("cp1252"))
    results = list(iter_sources([tmp_path]))
    notes = [r for r in results if isinstance(r, SourceNote)]
    items, errors = _split(results)
    assert errors == []
    assert [(Path(n.source).name, n.note) for n in notes] == [
        ("metadata.csv", "decoded as cp1252 (not valid UTF-8)")
    ]
    (item,) = items
    assert item.metadata.origin == "Embassy Ottawa \xe9"
    assert item.metadata.released.isoformat() == "2011-04-28T19:08:00+00:00"


def test_metadata_in_utf16_is_decoded_with_a_note(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_bytes((METADATA_HEADER + METADATA_ROW).encode("utf-16"))
    notes: list[str] = []
    table = read_metadata_csv(path, notes=notes)
    assert table["08OTTAWA492"].origin == "Embassy Ottawa \xe9"
    assert notes == ["decoded as UTF-16"]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x81\x8d\x8f\x90\x9d" * 100, "neither UTF-8 nor CP1252"),
        (b"name,size\nfoo,1\n", "no reference_id column"),
    ],
)
def test_metadata_that_is_not_a_metadata_file_is_one_failure(tmp_path, data, reason):
    for serial in (1, 2):
        (tmp_path / f"08OTTAWA{serial}.txt").write_text(cable_text(serial=serial))
    (tmp_path / "metadata.csv").write_bytes(data)
    items, errors = _split(list(iter_sources([tmp_path])))
    assert len(items) == 2
    (error,) = errors
    assert Path(error.source).name == "metadata.csv"
    assert reason in error.reason


def test_skipped_metadata_rows_are_counted_in_a_note(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_text(METADATA_HEADER + METADATA_ROW + "08OTTAWA1,x\0y,,,,\n", encoding="utf-8")
    notes: list[str] = []
    assert set(read_metadata_csv(path, notes=notes)) == {"08OTTAWA492"}
    assert notes == ["1 row(s) skipped: a field longer than 1,000 characters or a NUL byte"]


# -- 4. directories that cannot be walked ---------------------------------------------


def _cables(directory: Path, *serials: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for serial in serials:
        (directory / f"08OTTAWA{serial}.txt").write_text(cable_text(serial=serial))


def test_a_directory_symlink_loop_is_a_note_and_read_once(tmp_path):
    _cables(tmp_path / "a", 1)
    _cables(tmp_path / "a" / "b", 2)
    os.symlink("..", tmp_path / "a" / "b" / "up")
    results = list(iter_sources([tmp_path]))
    items, errors = _split(results)
    notes = [r for r in results if isinstance(r, SourceNote)]
    assert sorted(Path(i.source).name for i in items) == ["08OTTAWA1.txt", "08OTTAWA2.txt"]
    assert errors == []
    (note,) = notes
    assert note.source == str(tmp_path / "a" / "b" / "up")
    assert "symlink loop" in note.note


def test_a_symlinked_directory_is_followed_and_a_second_link_noted(tmp_path):
    _cables(tmp_path / "elsewhere", 3)
    _cables(tmp_path / "in", 1)
    os.symlink(tmp_path / "elsewhere", tmp_path / "in" / "linked")
    os.symlink(tmp_path / "elsewhere", tmp_path / "in" / "linked2")
    results = list(iter_sources([tmp_path / "in"]))
    items, errors = _split(results)
    notes = [r for r in results if isinstance(r, SourceNote)]
    assert errors == []
    assert [i.source for i in items] == [
        str(tmp_path / "in" / "08OTTAWA1.txt"),
        str(tmp_path / "in" / "linked" / "08OTTAWA3.txt"),
    ]
    assert [n.source for n in notes] == [str(tmp_path / "in" / "linked2")]
    assert "read once" in notes[0].note


def test_an_unreadable_subdirectory_is_a_failure(tmp_path, monkeypatch):
    _cables(tmp_path / "good", 1)
    _cables(tmp_path / "locked", 2)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path) == tmp_path / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(walk_module.os, "scandir", scandir)
    items, errors = _split(list(iter_sources([tmp_path])))
    assert [Path(i.source).name for i in items] == ["08OTTAWA1.txt"]
    (error,) = errors
    assert error.source == str(tmp_path / "locked")
    assert error.reason == "unreadable directory (Permission denied): nothing in it read"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a directory of mode 000")
def test_an_unreadable_subdirectory_for_real(tmp_path):
    _cables(tmp_path / "good", 1)
    _cables(tmp_path / "locked", 2)
    (tmp_path / "locked").chmod(0)
    try:
        items, errors = _split(list(iter_sources([tmp_path])))
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [Path(i.source).name for i in items] == ["08OTTAWA1.txt"]
    assert [e.source for e in errors] == [str(tmp_path / "locked")]


def test_broken_links_and_special_files_are_failures(tmp_path):
    _cables(tmp_path, 1)
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling.txt")
    os.symlink("self.txt", tmp_path / "self.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink(tmp_path / "nowhere", tmp_path / ".hidden-dangling")
    items, errors = _split(list(iter_sources([tmp_path])))
    assert [Path(i.source).name for i in items] == ["08OTTAWA1.txt"]
    reasons = {Path(e.source).name: e.reason for e in errors}
    assert reasons.keys() == {"dangling.txt", "self.txt", "pipe.txt"}
    assert reasons["dangling.txt"].startswith("broken symbolic link")
    assert reasons["self.txt"].startswith("broken symbolic link")
    assert reasons["pipe.txt"].startswith("not a regular file")
    (named,) = list(iter_sources([tmp_path / "self.txt"]))
    assert "symbolic link loop" in named.reason
    (named,) = list(iter_sources([tmp_path / "pipe.txt"]))  # never opened: it would block
    assert named.reason.startswith("not a regular file")


def test_walk_order_is_the_sorted_path_order(tmp_path):
    for name in ("b/x.txt", "a.txt", "a/z.txt", "a-b/y.txt", "c.txt"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(cable_text())
    walked = [Path(i.source) for i in iter_sources([tmp_path])]
    assert walked == sorted(walked)
    assert len(walked) == 5


# -- 5. paths printed escaped ----------------------------------------------------------


def test_printable_escapes_what_could_forge_a_line():
    assert printable("/data/08OTTAWA492.txt") == "/data/08OTTAWA492.txt"
    assert printable("caf\xe9 \u4e2d\u6587.txt") == "caf\xe9 \u4e2d\u6587.txt"
    assert printable("a\n  FAILED b: x") == "a\\n  FAILED b: x"
    assert printable("\x1b[2J\r\t\u2028\x7f") == "\\x1b[2J\\r\\t\\u2028\\x7f"
    assert printable(os.fsdecode(b"\xffname.txt")) == "\\xffname.txt"
    assert printable("back\\slash") == "back\\\\slash"
    assert printable("back\\slash", backslash=False) == "back\\slash"
    # one line whatever the name: no line break of any kind survives
    hostile = "".join(chr(c) for c in range(0x3000)) + "\U0010ffff\udcff"
    assert len(printable(hostile).splitlines()) == 1
