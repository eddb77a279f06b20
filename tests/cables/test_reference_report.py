"""manage.py reference_report: shares and the causes of unresolved references."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cables.reference_report import KnownIndex, miss_cause, no_id_cause
from tests.cables.factories import cable_make, known_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def refs(db):
    known_make("07STATE4567", "08OTTAWA50", "07OTTAWA77", "08MEXICO10")
    cable_make("08OTTAWA100")
    cable_make(
        "08OTTAWA200",
        refs=[
            ("A", "OTTAWA 100", "08OTTAWA100"),  # loaded
            ("B", "07 STATE 4567", "07STATE4567"),  # known
            ("C", "OTTAWA 77", "08OTTAWA77"),  # year guessed wrong (07OTTAWA77)
            ("D", "ZZTOP 5", "08ZZTOP5"),  # station unknown
            ("E", "MEXICO 9", "08MEXICO9"),  # not in Cablegate
            ("F", "OTTAWA 9999", "08OTTAWA9999"),  # serial above the known ones
            ("G", "SMITH-JONES EMAIL", ""),
            ("H", "USEU 3226", ""),
        ],
    )


def test_report_json(refs):
    out = StringIO()
    call_command("reference_report", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["ref_items"] == 8
    assert data["name_a_cable"] == 6
    assert data["resolved"] == 2
    assert data["resolved_loaded"] == 1
    assert data["resolved_known_not_loaded"] == 1
    counts = {k: v["count"] for k, v in data["unresolved"].items()}
    assert counts["year_mismatch"] == 1
    assert counts["station_unknown"] == 1
    assert counts["not_in_cablegate"] == 1
    assert counts["serial_out_of_range"] == 1
    assert data["unresolved"]["year_mismatch"]["examples"][0]["detail"] == "known as 07OTTAWA77"
    assert {k: v["count"] for k, v in data["no_id"].items()} == {
        "cable_like": 1,
        "other_document": 1,
        "other": 0,
    }


def test_report_text(refs):
    out = StringIO()
    call_command("reference_report", stdout=out)
    text = out.getvalue()
    assert "resolving to a known id" in text
    assert "Year guessed wrong" in text
    assert "08ZZTOP5" in text


def test_report_without_references(db):
    with pytest.raises(CommandError, match="No REF items"):
        call_command("reference_report", stdout=StringIO())


def test_causes():
    known = KnownIndex([("08OTTAWA50", 2008, 1), ("07OTTAWA77", 2007, 1), ("85OTTAWA3", 1985, 1)])
    assert miss_cause("XX", known) == ("malformed", "")
    assert miss_cause("08ZZ1", known) == ("station_unknown", "ZZ")
    assert miss_cause("30OTTAWA1", known)[0] == "year_out_of_range"
    assert (
        miss_cause("08OTTAWA77", known, source="08OTTAWA1", text="OTTAWA 77")[0] == "year_mismatch"
    )
    # the year was written: not a guess, and 77 is past the last 2008 serial known
    assert miss_cause("08OTTAWA77", known, source="08OTTAWA1", text="08 OTTAWA 77") == (
        "serial_out_of_range",
        "highest known OTTAWA serial in 2008: 50",
    )
    # the same serial long before is a coincidence, not a wrong guess
    assert (
        miss_cause("08OTTAWA3", known, source="08OTTAWA1", text="OTTAWA 3")[0] == "not_in_cablegate"
    )
    assert no_id_cause("RICE-SMITH TELCON 2/5") == "other_document"
    assert no_id_cause("KUALA LUMP 4317") == "cable_like"
