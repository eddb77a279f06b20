"""``manage.py parse``: one JSON object per cable per line, from the text alone."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.cabletext import cable_text
from tests.conftest import corpus_path

pytestmark = pytest.mark.django_db


def parse(*paths) -> list[dict]:
    out = StringIO()
    call_command("parse", *map(str, paths), "--format", "json", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_seed_with_known_ids(tmp_path):
    seed = corpus_path("seed", "03OTTAWA492.txt")
    ids = tmp_path / "ids.csv"
    ids.write_text("03OTTAWA492,2\n02OTTAWA3101,11\n")
    call_command("load_cable_ids", str(ids), stdout=StringIO())
    (record,) = parse(seed)
    assert record["source"] == {"file": str(seed), "row": None}
    assert record["reference_id"] == "03OTTAWA492"
    assert record["classification"] == "CONFIDENTIAL"
    assert record["origin"] == "OTTAWA"
    assert record["tags"] == ["MARR", "PARM", "PREL", "CA"]
    assert record["subject"] == "CANADIAN CABINET TO DISCUSS MISSILE DEFENSE"
    assert [r["reference_id"] for r in record["references"]] == ["02OTTAWA3101"]
    assert record["classified_by"]["name"] == "Brian Flora"
    assert record["classified_by"]["title"] == "Political Minister Counselor"
    assert record["reasons"] == "1.5 (b) and (d)"
    assert record["declassify_on"] == "2013-02-19"
    assert record["partial"] is True
    assert [(p["number"], p["classification"]) for p in record["paragraphs"]] == [
        (n, "C") for n in range(1, 6)
    ]
    assert record["signer"] == "CELLUCCI"
    assert record["created"] is None
    assert record["created_month"] == "2003-02"


def test_ignores_metadata_and_prints_iso_dates(tmp_path):
    (tmp_path / "08OTTAWA492.txt").write_text(cable_text())
    (tmp_path / "metadata.csv").write_text(
        "reference_id,created,released,classification,origin,partial\n"
        "99WRONG1,1999-01-01 00:00,2011-04-28 19:08,SECRET,Embassy Nowhere,true\n"
    )
    (record,) = parse(tmp_path)
    assert record["reference_id"] == "08OTTAWA492"
    assert record["created"] == "2008-02-19T15:23:00+00:00"
    assert record["released"] is None
    assert record["classification"] == "CONFIDENTIAL"
    assert record["recipients"][0] == {
        "kind": "to",
        "name": "SECSTATE WASHDC",
        "precedence": "IMMEDIATE",
        "routing": "RUEHC",
    }


def test_errors_are_lines_too_and_exit_nonzero(tmp_path):
    (tmp_path / "08OTTAWA492.txt").write_text(cable_text())
    (tmp_path / "empty.txt").write_text("")
    out = StringIO()
    with pytest.raises(CommandError, match="1 input"):
        call_command("parse", str(tmp_path), stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {r.get("reference_id") for r in records} == {"08OTTAWA492", None}
    (error,) = [r for r in records if "error" in r]
    assert error["source"]["file"].endswith("empty.txt")
    assert "empty" in error["error"]


def test_csv_rows_carry_their_row_number():
    sample = corpus_path("cables-csv", "cables_sample.csv")
    records = parse(sample)
    assert [r["source"]["row"] for r in records] == [1, 2]
    assert [r["reference_id"] for r in records] == ["66BUENOSAIRES2481", "72TEHRAN1164"]
