"""``bench/generate``: the synthetic Cablegate-scale corpus of the ingest benchmark."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from cables.parsing import normalize_id, parse_cable, split_id
from cables.parsing.months import MONTH_ABBREVIATIONS
from tests.conftest import BASE_DIR, corpus_path

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

SCRIPT = BASE_DIR / "bench" / "generate"
COUNT = 200


def _generate(out: Path, *extra: str) -> subprocess.CompletedProcess:
    corpus = corpus_path()
    return subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--count",
            str(COUNT),
            "--seed",
            "1",
            "--out",
            str(out),
            "--corpus",
            str(corpus),
            "--quiet",
            *extra,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cablegen") / "a"
    _generate(out)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _dump_rows(root: Path) -> list[list[str]]:
    with (root / "cables.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, escapechar="\\", doublequote=False))


def _metadata(root: Path) -> dict[str, dict[str, str]]:
    with (root / "txt" / "metadata.csv").open(encoding="utf-8", newline="") as f:
        return {row["reference_id"]: row for row in csv.DictReader(f)}


def test_deterministic(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "b"
    _generate(again)
    first, second = _files(generated), _files(again)
    assert sorted(first) == sorted(second)
    assert first == second  # byte for byte


def test_formats_and_summary(tmp_path: Path) -> None:
    result = _generate(tmp_path / "c", "--format", "csv")
    assert (tmp_path / "c" / "cables.csv").exists()
    assert not (tmp_path / "c" / "txt").exists()
    assert f"generated {COUNT} cables" in result.stdout
    assert "cables.csv" in result.stdout


def test_dump_parses_into_eight_columns(generated: Path) -> None:
    rows = _dump_rows(generated)
    assert len(rows) == COUNT
    assert all(len(row) == 8 for row in rows)
    assert [row[0] for row in rows] == [str(n) for n in range(1, COUNT + 1)]
    for row in rows:
        datetime.strptime(row[1], "%m/%d/%Y %H:%M")
        assert row[4].split("//")[0] in {"UNCLASSIFIED", "CONFIDENTIAL", "SECRET"}
        assert row[7].strip()  # a body
    # header and body are separate columns; partial extracts have no routing header
    assert sum(1 for row in rows if row[6].startswith(("VZCZC", "R ", "P ", "O "))) > COUNT / 2
    assert not any(row[7].startswith("VZCZC") for row in rows)


def test_ids_unique_canonical_and_consistent(generated: Path) -> None:
    rows = _dump_rows(generated)
    ids = [row[2] for row in rows]
    assert len(set(ids)) == COUNT
    for row in rows:
        parts = split_id(row[2])
        assert parts is not None and normalize_id(row[2]) == row[2], row[2]  # canonical
        assert 0 < parts[2] < 10_000_000, row[2]  # a serial of one to seven digits
        assert parts[0] == datetime.strptime(row[1], "%m/%d/%Y %H:%M").year, row[2]
    meta = _metadata(generated)
    assert set(meta) == set(ids)
    txt = {p.stem for p in (generated / "txt").glob("*.txt")}
    assert txt == set(ids)
    # the banner carries station and zero-padded serial of the id
    for ident in ids[:50]:
        _, station, serial = split_id(ident)
        text = (generated / "txt" / f"{ident}.txt").read_text(encoding="utf-8")
        squashed = re.sub(r"(?<=[A-Z]) (?=[A-Z])", "", text)
        assert re.search(rf"{station} 0*{serial}\b", squashed), ident


def test_txt_form(generated: Path) -> None:
    meta = _metadata(generated)
    rows = {row[2]: row for row in _dump_rows(generated)}
    for ident, row in meta.items():
        text = (generated / "txt" / f"{ident}.txt").read_text(encoding="utf-8")
        dump = rows[ident]
        if row["partial"] == "true":
            assert text.startswith("This record is a partial extract of the original cable.")
            assert dump[6] == ""
        else:
            header = dump[6]
            assert text.startswith(header + "\n\n")
            assert text.endswith(dump[7])
            created = datetime.strptime(row["created"], "%Y-%m-%d %H:%M")
            dtg = f"{created:%d%H%M}Z {MONTH_ABBREVIATIONS[created.month - 1]} {created:%y}"
            assert dtg in header, (ident, dtg)


def test_refs_cite_earlier_generated_cables(generated: Path) -> None:
    rows = _dump_rows(generated)
    position = {row[2]: i for i, row in enumerate(rows)}
    cited = 0
    for i, row in enumerate(rows):
        targets = [t for t in row[5].split("|") if t]
        assert len(targets) <= 4
        assert len(set(targets)) == len(targets)
        for target in targets:
            assert target in position, (row[2], target)
            assert position[target] < i, (row[2], target)
            cited += 1
        if targets:
            assert re.search(r"^[ \t]*REFS?:|REFS?: ", row[7], re.M), row[2]
    assert cited > COUNT / 4


def _same_id(got: str | None, want: str) -> bool:
    # AIT Taipei: Cablegate ids use TAIPEI (until 2009) and AITTAIPEI; banners say
    # "TAIPEI", the FM line "AIT TAIPEI". Without a known-id list the parser settles
    # on AITTAIPEI (reported; not the generator's to decide).
    return got == want or (got is not None and got == want.replace("TAIPEI", "AITTAIPEI", 1))


def test_parser_reads_back_id_date_and_refs(generated: Path) -> None:
    meta = _metadata(generated)
    refs = {row[2]: sorted(t for t in row[5].split("|") if t) for row in _dump_rows(generated)}
    full = ok_id = ok_date = ok_refs = 0
    partial = partial_id = partial_refs = 0
    misses = []
    for ident, row in meta.items():
        parsed = parse_cable((generated / "txt" / f"{ident}.txt").read_text(encoding="utf-8"))
        got_refs = sorted({r.reference_id for r in parsed.references if r.reference_id})
        if row["partial"] == "true":
            # Partial extracts carry no routing header, so no date: the parser can only
            # guess the year (DECL date minus ten years, years in the text), as for the
            # real ones. Counted, not asserted.
            partial += 1
            partial_id += _same_id(parsed.reference_id, ident)
            partial_refs += got_refs == refs[ident]
            continue
        full += 1
        created = datetime.strptime(row["created"], "%Y-%m-%d %H:%M")
        good_id = _same_id(parsed.reference_id, ident)
        good_date = parsed.created is not None and parsed.created.replace(tzinfo=None) == created
        good_refs = got_refs == refs[ident]
        ok_id += good_id
        ok_date += good_date
        ok_refs += good_refs
        if not (good_id and good_date and good_refs):
            misses.append((ident, parsed.reference_id, parsed.created, got_refs, refs[ident]))
    report = (
        f"full cables {full}: id {ok_id}, date {ok_date}, refs {ok_refs}; partial {partial}: "
        f"id {partial_id}, refs {partial_refs}; misses {misses[:5]}"
    )
    assert full > COUNT * 0.8, report
    assert ok_id >= 0.99 * full, report
    assert ok_date >= 0.99 * full, report
    assert ok_refs >= 0.99 * full, report
