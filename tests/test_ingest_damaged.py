"""Issue 15 through the ``ingest`` command: a damaged input is a clear failure line,
nothing good is lost or overwritten, and the exit status says something failed."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cables.models import Cable
from cables.sources import walk as walk_module
from tests.cabletext import cable_text
from tests.conftest import corpus_path
from tests.test_sources_damaged import dump_row

pytestmark = pytest.mark.django_db


def ingest(*args: str | Path, fails: bool = False) -> tuple[str, str]:
    """Run the command; ``fails``: it must exit non-zero (CommandError)."""
    out, err = StringIO(), StringIO()
    argv = [*map(str, args), "--no-index"]
    if fails:
        with pytest.raises(CommandError, match="failed; everything else was ingested"):
            call_command("ingest", *argv, stdout=out, stderr=err)
    else:
        call_command("ingest", *argv, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failure_lines(err: str) -> list[str]:
    return [line.strip() for line in err.splitlines() if line.strip().startswith("FAILED ")]


def text_of(reference_id: str) -> str:
    return Cable.objects.get(reference_id=reference_id).text


# -- 1. a cut-off dump never overwrites a good cable -----------------------------------


def test_a_dump_cut_off_mid_row_fails_and_keeps_the_stored_cable(tmp_path):
    full = tmp_path / "cables.csv"
    full.write_text(dump_row(1) + dump_row(2), encoding="utf-8")
    out, _ = ingest(full)
    assert "new 2, updated 0, unchanged 0, failed 0" in out
    before = text_of("08OTTAWA102")

    data = full.read_text(encoding="utf-8")
    cut = tmp_path / "t.csv"
    cut.write_text(data[: data.index("Officials", len(dump_row(1)))], encoding="utf-8")
    out, err = ingest(cut, fails=True)
    assert "new 0, updated 0, unchanged 1, failed 1" in out
    (line,) = failure_lines(err)
    assert line.startswith(f"FAILED {cut}:2: row cut short")
    assert text_of("08OTTAWA102") == before


def test_the_issue_reproduction_on_the_real_sample(tmp_path):
    sample = corpus_path("cables-csv", "cables_sample.csv")
    ingest(sample)
    before = text_of("72TEHRAN1164")
    cut = tmp_path / "t.csv"
    cut.write_bytes(sample.read_bytes()[:8149])  # head -c 8149
    out, err = ingest(cut, fails=True)
    assert "new 0, updated 0, unchanged 1, failed 1" in out
    (line,) = failure_lines(err)
    assert line.startswith(f"FAILED {cut}:2: row cut short")
    assert text_of("72TEHRAN1164") == before


def _one_cable(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "08OTTAWA492.txt"
    path.write_text(text, encoding="utf-8")
    return directory


def test_a_shorter_prefix_of_a_stored_cable_is_truncated_unless_allowed(tmp_path):
    full = cable_text()
    ingest(_one_cable(tmp_path / "full", full))
    before = text_of("08OTTAWA492")
    stump = _one_cable(tmp_path / "cut", full[: full.index("cabinet")])

    out, err = ingest(stump, fails=True)
    assert "new 0, updated 0, unchanged 0, failed 1" in out
    (line,) = failure_lines(err)
    assert line.startswith(f"FAILED {stump / '08OTTAWA492.txt'}: truncated?")
    assert "--allow-shrink" in line
    assert text_of("08OTTAWA492") == before

    out, err = ingest(stump, "--allow-shrink")
    assert "new 0, updated 1, unchanged 0, failed 0" in out
    assert text_of("08OTTAWA492") == full[: full.index("cabinet")]


def test_a_shorter_text_that_is_no_prefix_or_loses_only_blanks_replaces_it(tmp_path):
    full = cable_text()
    ingest(_one_cable(tmp_path / "full", full + "\n\n\n"))
    out, _ = ingest(_one_cable(tmp_path / "trimmed", full))  # only trailing blanks go
    assert "updated 1" in out
    shorter = cable_text(subject="TALKS")  # shorter, but not a prefix: a real edit
    out, _ = ingest(_one_cable(tmp_path / "edited", shorter))
    assert "updated 1" in out
    assert Cable.objects.get(reference_id="08OTTAWA492").subject == "TALKS"


# -- 2. a row cut short in the middle of a dump ----------------------------------------


def test_a_row_cut_mid_dump_is_named_and_the_next_row_goes_in(tmp_path):
    rows = [dump_row(n) for n in range(1, 11)]
    rows[4] = rows[4][: rows[4].index("Officials")]
    dump = tmp_path / "cables.csv"
    dump.write_text("".join(rows), encoding="utf-8")
    out, err = ingest(dump, fails=True)
    assert "new 9, updated 0, unchanged 0, failed 1" in out
    (line,) = failure_lines(err)
    assert line.startswith(f"FAILED {dump}:5: row cut short")
    assert "08OTTAWA106" in set(Cable.objects.values_list("reference_id", flat=True))
    assert Cable.objects.count() == 9


# -- 3. a metadata.csv that is not UTF-8 -----------------------------------------------

METADATA = (
    "reference_id,created,released,classification,origin,partial\n"
    "08OTTAWA1,2008-02-19 15:23,2011-04-28 19:08,CONFIDENTIAL,Embassy Ottawa \xe9,false\n"
)


def _two_cables(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for serial in (1, 2):
        (directory / f"08OTTAWA{serial}.txt").write_text(cable_text(serial=serial))
    return directory


def test_metadata_in_cp1252_is_read_with_a_note(tmp_path):
    directory = _two_cables(tmp_path / "txt")
    (tmp_path / "metadata.csv").write_bytes(METADATA.encode("cp1252"))
    out, err = ingest(directory)
    assert "new 2, updated 0, unchanged 0, failed 0" in out
    assert f"note  {tmp_path / 'metadata.csv'}: decoded as cp1252" in out
    assert err == ""
    released = Cable.objects.get(reference_id="08OTTAWA1").released
    assert released.isoformat() == "2011-04-28T19:08:00+00:00"


def test_metadata_that_cannot_be_read_is_one_failure_and_the_cables_go_in(tmp_path):
    directory = _two_cables(tmp_path / "txt")
    (tmp_path / "metadata.csv").write_bytes(b"\x81\x8d\x8f\x90\x9d\n" * 50)
    out, err = ingest(directory, fails=True)
    assert "new 2, updated 0, unchanged 0, failed 1" in out
    (line,) = failure_lines(err)
    assert line.startswith(f"FAILED {tmp_path / 'metadata.csv'}: not text")
    assert "its cables read without it" in line


# -- 4. nothing skipped without a word -------------------------------------------------


def test_an_unreadable_directory_fails_and_a_loop_is_noted(tmp_path, monkeypatch):
    _two_cables(tmp_path / "a")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "08OTTAWA3.txt").write_text(cable_text(serial=3))
    os.symlink("..", tmp_path / "a" / "loop")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path) == tmp_path / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(walk_module.os, "scandir", scandir)
    out, err = ingest(tmp_path, fails=True)
    assert "new 2, updated 0, unchanged 0, failed 1" in out
    assert f"note  {tmp_path / 'a' / 'loop'}: directory symlink loop" in out
    assert failure_lines(err) == [
        f"FAILED {tmp_path / 'locked'}: unreadable directory (Permission denied): "
        "nothing in it read"
    ]


def test_a_loop_alone_is_a_note_not_a_failure(tmp_path):
    directory = _two_cables(tmp_path / "a")
    os.symlink(".", directory / "self")
    out, err = ingest(directory)
    assert "new 2, updated 0, unchanged 0, failed 0" in out
    assert "symlink loop" in out
    assert err == ""


# -- 5. report lines cannot be forged --------------------------------------------------


def test_a_file_name_cannot_forge_a_report_line(tmp_path):
    """A name holding a newline would otherwise print a second, forged failure line
    (here: one saying the good cable 08OTTAWA1 failed) and a terminal escape."""
    directory = _two_cables(tmp_path / "in")
    forged = "FAILED 08OTTAWA1.txt: forged"  # no slash can be in a name
    (directory / f"x.txt\n  {forged}\x1b[2K.txt").write_text("not a cable at all\n")
    out, err = ingest(directory, fails=True)
    assert "new 2, updated 0, unchanged 0, failed 1" in out
    assert failure_lines(err) == [
        f"FAILED {directory}/x.txt\\n  {forged}\\x1b[2K.txt: "
        "no classification banner, no reference id and no E.O./TAGS/SUBJECT: not a cable"
    ]
    assert "\x1b" not in err


def test_a_cable_whose_file_name_is_not_utf8_goes_in(tmp_path):
    directory = tmp_path / "in"
    directory.mkdir()
    name = os.fsdecode(b"08OTTAWA7\xff.txt")
    (directory / name).write_text(cable_text(serial=7))
    (directory / os.fsdecode(b"bad\xfe\n.txt")).write_text("no cable\n")
    out, err = ingest(directory, fails=True)
    assert "new 1, updated 0, unchanged 0, failed 1" in out
    assert f"FAILED {directory}/bad\\xfe\\n.txt: " in err
    assert Cable.objects.get(reference_id="08OTTAWA7").source == f"{directory}/08OTTAWA7\\xff.txt"
    # a second run finds it unchanged (the stored source is escaped the same way)
    out, _ = ingest(directory, fails=True)
    assert "new 0, updated 0, unchanged 1, failed 1" in out
