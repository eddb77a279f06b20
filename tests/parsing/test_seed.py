"""The seed cable 03OTTAWA492 (a partial extract in the markdown-ish mirror form)."""

from __future__ import annotations

from datetime import date

import pytest

from cables.parsing import KnownIds, parse_cable
from tests.conftest import corpus_path


@pytest.fixture(scope="session")
def known_ids() -> KnownIds:
    return KnownIds.from_file(corpus_path("cablegate-ids", "cable2month.csv.gz"))


def check_seed(cable) -> None:
    assert cable.reference_id == "03OTTAWA492"
    assert cable.classification == "CONFIDENTIAL"
    assert cable.origin == "OTTAWA"
    assert cable.station == "OTTAWA" and cable.serial == 492
    assert cable.tags == ("MARR", "PARM", "PREL", "CA")
    assert cable.subject == "CANADIAN CABINET TO DISCUSS MISSILE DEFENSE"
    assert [r.reference_id for r in cable.references] == ["02OTTAWA3101"]
    assert cable.classified_by.name == "Brian Flora"
    assert cable.classified_by.title == "Political Minister Counselor"
    assert cable.reasons == "1.5 (b) and (d)"
    assert cable.eo == "12958"
    assert cable.declassify_on == date(2013, 2, 19)
    assert cable.partial is True
    assert cable.header == ""
    assert [(p.number, p.classification) for p in cable.paragraphs] == [
        (n, "C") for n in range(1, 6)
    ]
    assert cable.paragraphs[0].text.startswith("Following up on high-level consultations")
    assert cable.signer == "CELLUCCI"
    assert "SIPDIS" in cable.caveats


@pytest.mark.corpus
def test_seed_with_known_ids(seed_text, known_ids):
    cable = parse_cable(seed_text, known_ids=known_ids)
    check_seed(cable)
    # Only the month is known (from the Cablegate id list): created stays empty.
    assert cable.created is None
    assert cable.created_month == "2003-02"


@pytest.mark.corpus
def test_seed_without_known_ids(seed_text):
    cable = parse_cable(seed_text)
    check_seed(cable)
    assert cable.created_month is None  # no id list, no date: the month is unknown
    assert any("DECL" in w for w in cable.warnings)  # the year is DECL minus ten years


@pytest.mark.corpus
def test_known_ids_file(known_ids):
    assert len(known_ids) == 251_287
    assert known_ids.month_of("03OTTAWA492") == 2
    assert (2003, 2) in known_ids.candidates("OTTAWA", 492)
    assert "08SECTION01GF02BISHIEK21" in known_ids  # odd ids are kept too
