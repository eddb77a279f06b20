"""Table-driven unit tests on real snippets (a few lines each, from the shared corpus)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cables.parsing import (
    CableParseError,
    KnownIds,
    canonical_id,
    full_year,
    normalize_id,
    parse_cable,
    read_known_ids,
    station_country,
    station_from_text,
    station_name,
    year_of,
)
from cables.parsing.banner import find_banner
from cables.parsing.classified_by import parse_classified_by
from cables.parsing.fields import parse_eo
from cables.parsing.references import parse_references
from cables.parsing.subject import parse_subject
from cables.parsing.tags import parse_tags


@pytest.mark.parametrize(
    ("year", "station", "serial", "expected"),
    [
        (2003, "OTTAWA", "000492", "03OTTAWA492"),
        (10, "ABU DHABI", 103, "10ABUDHABI103"),
        (2006, "SAN JOSE", "000612", "06SANJOSE612"),
        (2009, "STATE", "012345", "09STATE12345"),
        (1966, "BUENOS AIRES", "2481", "66BUENOSAIRES2481"),
    ],
)
def test_canonical_id(year, station, serial, expected):
    assert canonical_id(year, station, serial) == expected


@pytest.mark.parametrize(
    ("reference_id", "year"),
    [
        ("03OTTAWA492", 2003),
        ("66BUENOSAIRES2481", 1966),
        ("99STATE1", 1999),
        ("65STATE1", 2065),
        ("00HARARE5346", 2000),
        ("7575LIBREVILLE1895", 1975),  # garbled in the Cablegate list: still 1975
        ("03X", None),
        ("OTTAWA492", None),
    ],
)
def test_year_of(reference_id, year):
    assert year_of(reference_id) == year
    if year is not None:
        assert full_year(int(reference_id[:2])) == year


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03ottawa000492", "03OTTAWA492"),
        (" 03OTTAWA492 ", "03OTTAWA492"),
        ("06kiev123", "06KIEV123"),  # the station as typed (canonical_id would not)
        ("08section01of02harare1", "08SECTION01OF02HARARE1"),  # not id-shaped: upper
    ],
)
def test_normalize_id(raw, expected):
    assert normalize_id(raw) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("AMEMBASSY SAN JOSE", "SANJOSE"),
        ("AMCONSUL SAO PAULO", "SAOPAULO"),
        ("SECSTATE WASHDC", "STATE"),
        ("SECSTATE", "STATE"),
        ("USMISSION USUN NEW YORK", "USUNNEWYORK"),
        ("USUN New York", "USUNNEWYORK"),
        ("THE HAGUE", "THEHAGUE"),
        ("MEXICO CITY", "MEXICO"),
        ("Embassy Ottawa", "OTTAWA"),
        ("US Interests Section Havana", "HAVANA"),
        ("USINT HAVANA", "HAVANA"),
        ("USEU BRUSSELS", "USEUBRUSSELS"),
        ("RUEHC/SECSTATE WASHDC PRIORITY 8478", "STATE"),
        ("USDEL SECRETARY//EUROPE//", "PARTO"),
        ("Embassy Kyiv", "KYIV"),
        ("no such place", None),
    ],
)
def test_station_from_text(text, code):
    assert station_from_text(text) == code


def test_station_names_and_countries():
    assert station_name("OTTAWA") == "Embassy Ottawa"
    assert station_name("SAOPAULO") == "Consulate Sao Paulo"
    assert station_name("STATE") == "Secretary of State"
    assert station_name("HAVANA") == "US Interests Section Havana"
    assert station_name("BRUSSQLS") == "Embassy Brussels"  # a garbled id code
    assert station_name("EFTOLONDON") == "Embassy London"
    assert station_country("OTTAWA") == "CA"
    assert station_country("SAOPAULO") == "BR"
    assert station_country("MADRID") == "SP"
    assert station_country("USNATO") is None


@pytest.mark.parametrize(
    ("banner", "classification", "station", "serial", "caveats"),
    [
        (
            "C O N F I D E N T I A L OTTAWA 000492\n\nSIPDIS\n\nE.O. 12958",
            "CONFIDENTIAL",
            "OTTAWA",
            492,
            ("SIPDIS",),
        ),
        (
            "UNCLAS SECTION 01 OF 04 SAN JOSE 000612\n\nSENSITIVE\nSIPDIS\n",
            "UNCLASSIFIED//FOUO",
            "SANJOSE",
            612,
            ("SIPDIS",),
        ),
        (
            "S E C R E T SECTION 01 OF 02 STATE 012345\n\nNOFORN\nSIPDIS\n",
            "SECRET",
            "STATE",
            12345,
            ("NOFORN", "SIPDIS"),
        ),
        ("UNCLASSIFIED BUENOS AIRES 2481 \n", "UNCLASSIFIED", "BUENOSAIRES", 2481, ()),
        (
            "UNCLAS E F T O LONDON 002883 \n\nNOFORN\nSIPDIS",
            "UNCLASSIFIED//FOUO",
            "LONDON",
            2883,
            ("NOFORN", "SIPDIS"),
        ),
        ("SECRET//NOFORN\nS E C R E T KINSHASA 000189\n", "SECRET", "KINSHASA", 189, ("NOFORN",)),
        (
            "SENSITIVE BUT UNCLASSIFIED BUENOS AIRES 000062\n",
            "UNCLASSIFIED//FOUO",
            "BUENOSAIRES",
            62,
            (),
        ),
        (
            "UNCLASSIFIED//FOR OFFICIAL USE ONLY STATE 100153\n",
            "UNCLASSIFIED//FOUO",
            "STATE",
            100153,
            (),
        ),
        ("S e c r e t state 068250\n", "SECRET", "STATE", 68250, ()),
        (
            "                           CONFIDENTIAL     PTQ2529\n\n"
            "PAGE 01        HARARE  05461  01 OF 02  271458Z\n",
            "CONFIDENTIAL",
            "HARARE",
            5461,
            (),
        ),
    ],
)
def test_banner(banner, classification, station, serial, caveats):
    found = find_banner(banner)
    assert (found.classification, found.station, found.serial) == (classification, station, serial)
    assert found.caveats == caveats


@pytest.mark.parametrize(
    ("line", "eo", "decl"),
    [
        ("E.O. 12958: DECL: 02/19/2013", "12958", date(2013, 2, 19)),
        ("E.O. 13526: DECL: 2020/02/24", "13526", date(2020, 2, 24)),
        ("EO 12958 DECL: 09/21/10", "12958", date(2010, 9, 21)),
        ("E.O. 12958: N/A", "12958", "N/A"),
        ("E.O. 12958: DECL: 1.6X1", "12958", "1.6X1"),
        ("E.O 12958: DECL: X1", "12958", "X1"),
        (
            "E.O. 12958: DECL: DECLASSIFIED BY NARA 09/02/2009",
            "12958",
            "DECLASSIFIED BY NARA 09/02/2009",
        ),
    ],
)
def test_eo(line, eo, decl):
    assert parse_eo(line)[:2] == (eo, decl)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("TAGS: [MARR](#) [PARM](#) [PREL](#) [CA](#)", ("MARR", "PARM", "PREL", "CA")),
        ("TAGS PGOV, PINS, ZI, MDC, ZANU-PF", ("PGOV", "PINS", "ZI", "MDC", "ZANU-PF")),
        ("TAGS: PGOVPREL SIPDIS IZ", ("PGOV", "PREL", "IZ")),
        (
            "TAGS: KNNP AORC PGOV PREL MNUC IAEA NPT UNGA ENRG\nFR, RS, CH, UK \nSUBJECT: X",
            (
                "KNNP",
                "AORC",
                "PGOV",
                "PREL",
                "MNUC",
                "IAEA",
                "NPT",
                "UNGA",
                "ENRG",
                "FR",
                "RS",
                "CH",
                "UK",
            ),
        ),
        ("Tags: knnp, dprk, sy", ("KNNP", "DPRK", "SY")),
        ("TAGS: PREL PREL SP", ("PREL", "SP")),
    ],
)
def test_tags(text, tags):
    assert parse_tags(text)[0] == tags


@pytest.mark.parametrize(
    ("text", "subject", "mark", "ref"),
    [
        (
            "SUBJECT: CANADIAN CABINET TO DISCUSS MISSILE DEFENSE\n\nREF: 02 OTTAWA 3101",
            "CANADIAN CABINET TO DISCUSS MISSILE DEFENSE",
            None,
            None,
        ),
        (
            "SUBJECT: AMBASSADOR'S MEETING WITH FM MORATINOS ON\nBILATERAL RELATIONS\n\nREF: A",
            "AMBASSADOR'S MEETING WITH FM MORATINOS ON BILATERAL RELATIONS",
            None,
            None,
        ),
        (
            "SUBJECT: (C/NF) WHO WOULD REPLACE GORDON BROWN\n\n",
            "WHO WOULD REPLACE GORDON BROWN",
            "C/NF",
            None,
        ),
        (
            "SUBJECT: LIBYA: QADHAFI SPEECH REF: TRIPOLI 166 TRIPOLI 00000227 001.2 OF 005\n",
            "LIBYA: QADHAFI SPEECH",
            None,
            "TRIPOLI 166",
        ),
    ],
)
def test_subject(text, subject, mark, ref):
    assert parse_subject(text)[:3] == (subject, mark, ref)


@pytest.mark.parametrize(
    ("text", "name", "title", "reasons"),
    [
        (
            "Classified By: Political Minister Counselor Brian Flora,\nReasons 1.5 (b) and (d).",
            "Brian Flora",
            "Political Minister Counselor",
            "1.5 (b) and (d)",
        ),
        (
            "CLASSIFIED BY: John T. Godfrey, A/DCM, Embassy Tripoli, Dept of State. "
            "REASON: 1.4 (b), (d)",
            "John T. Godfrey",
            "A/DCM, Embassy Tripoli, Dept of State",
            "1.4 (b), (d)",
        ),
        (
            "Classified By: DCM Bob Manzanares; reasons 1.4 (B) and (D).",
            "Bob Manzanares",
            "DCM",
            "1.4 (B) and (D)",
        ),
        (
            "CLASSIFIED BY DCM EARL IRVING. REASONS: 1.5 (B) AND (D).",
            "EARL IRVING",
            "DCM",
            "1.5 (B) AND (D)",
        ),
        (
            "Classified By: Charge D'Affaires Chat Blakeman,  reasons 1.4 (b,d)",
            "Chat Blakeman",
            "Charge D'Affaires",
            "1.4 (b,d)",
        ),
    ],
)
def test_classified_by(text, name, title, reasons):
    by, found_reasons, _ = parse_classified_by(text)
    assert (by.name, by.title, found_reasons) == (name, title, reasons)


def test_references_lettered_and_yearless():
    refs = parse_references("A. STATE 3836 B. 05 SANTIAGO 465", 2006, 3, None)
    assert [(r.letter, r.reference_id) for r in refs] == [
        ("A", "06STATE3836"),
        ("B", "05SANTIAGO465"),
    ]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (": 02 OTTAWA 3101", [(None, "02OTTAWA3101")]),
        (" A) 09 STATE 1234\n B) MEMCON 2/3", [("A", "09STATE1234"), ("B", None)]),
        (" A: MADRID 3974\n¶B. MADRID 3929", [("A", "08MADRID3974"), ("B", "08MADRID3929")]),
        ("S: (A) SAN JOSE 612; (B) EMAIL FROM SMITH", [("A", "08SANJOSE612"), ("B", None)]),
        (": STATE 106206 CIRCULAR; STATE CA-3400 NOV 2, 1966", [(None, "08STATE106206")]),
        (
            ": A. USUN NEW YORK 123 AND USUN NEW YORK 125",
            [("A", "08USUNNEWYORK123"), ("A", "08USUNNEWYORK125")],
        ),
    ],
)
def test_references_forms(block, expected):
    refs = parse_references(block, 2008, 5, None)
    assert [(r.letter, r.reference_id) for r in refs] == expected


def test_reference_year_from_known_ids():
    known = KnownIds.from_pairs([("08STATE1234", 12)])
    refs = parse_references(": STATE 1234", 2009, 1, known)
    assert refs[0].reference_id == "08STATE1234"  # January cable citing December's
    known = KnownIds.from_pairs([("08STATE1234", 12), ("09STATE1234", 1)])
    assert parse_references(": STATE 1234", 2009, 1, known)[0].reference_id == "09STATE1234"


def test_known_ids_from_pairs():
    known = KnownIds.from_pairs([("03OTTAWA492", 2), ("09OTTAWA492", 6), ("08EFTOLONDON2883", 7)])
    assert len(known) == 3
    assert "03OTTAWA492" in known and "04OTTAWA492" not in known
    assert known.month_of("09OTTAWA492") == 6
    assert known.candidates("OTTAWA", 492) == [(2003, 2), (2009, 6)]
    assert known.candidates("OTTAWA", 493) == []


def test_read_known_ids_says_which_line_is_wrong(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("reference_id,month\n# a comment\n\n03OTTAWA492,2\r\n03OTTAWA493,13\n")
    rows = read_known_ids(path)
    assert next(rows) == ("03OTTAWA492", 2)
    with pytest.raises(ValueError, match=r"ids\.csv:5: expected 'reference_id,month'"):
        next(rows)


def test_known_ids_from_file(tmp_path):
    import gzip

    plain = tmp_path / "ids.csv"
    plain.write_text("03OTTAWA492,2\n66BUENOSAIRES2481,12\n")
    zipped = tmp_path / "ids.csv.gz"
    zipped.write_bytes(gzip.compress(plain.read_bytes()))
    for path in (plain, zipped):
        known = KnownIds.from_file(path)
        assert len(known) == 2 and known.month_of("66BUENOSAIRES2481") == 12


ROUTED = """VZCZCXYZ0008
PP RUEHWEB

DE RUEHMD #4314/01 3571155
ZNY CCCCC ZZH
P 231155Z DEC 05
FM AMEMBASSY MADRID
TO RUEHC/SECSTATE WASHDC PRIORITY 8478
INFO RUCNMEM/EU MEMBER STATES COLLECTIVE PRIORITY
RUEHBO/AMEMBASSY BOGOTA PRIORITY 4871

C O N F I D E N T I A L MADRID 004314

SIPDIS

E.O. 12958: DECL: 12/21/2015
TAGS: PREL SP
SUBJECT: AMBASSADOR'S MEETING WITH FM MORATINOS ON
BILATERAL RELATIONS

REF: A. MADRID 3974
¶B. MADRID 3929

Classified By: DCM Bob Manzanares; reasons 1.4 (B) and (D).

¶1. (C) Summary. The Ambassador called on FM Moratinos.  End Summary.

¶2. (C) The Ambassador noted that bilateral relations had
improved substantially.

AGUIRRE
"""


def test_routed_cable():
    cable = parse_cable(ROUTED)
    assert cable.reference_id == "05MADRID4314"
    assert cable.created == datetime(2005, 12, 23, 11, 55, tzinfo=UTC)
    assert cable.precedence == "PRIORITY"
    assert cable.sender == "AMEMBASSY MADRID"
    assert cable.origin == "MADRID"
    assert [(r.kind, r.name, r.precedence, r.routing) for r in cable.recipients] == [
        ("to", "SECSTATE WASHDC", "PRIORITY", "RUEHC"),
        ("info", "EU MEMBER STATES COLLECTIVE", "PRIORITY", "RUCNMEM"),
        ("info", "AMEMBASSY BOGOTA", "PRIORITY", "RUEHBO"),
    ]
    assert [r.reference_id for r in cable.references] == ["05MADRID3974", "05MADRID3929"]
    assert cable.summary == "The Ambassador called on FM Moratinos."
    assert [(p.number, p.classification) for p in cable.paragraphs] == [(1, "C"), (2, "C")]
    assert cable.signer == "AGUIRRE"
    assert cable.header.startswith("VZCZCXYZ0008") and cable.header.endswith("BOGOTA PRIORITY 4871")
    assert cable.header + "\n\n" + cable.body == ROUTED
    assert not cable.partial


def test_csv_columns_joined():
    header, _, body = ROUTED.partition("\n\nDE ")
    # the ingest reader joins cables.csv's header and body columns with a blank line
    header = header + "\nDE " + body.split("\n\n", 1)[0]
    text = header + "\n\n" + ROUTED.split("\n\n", 2)[2]
    cable = parse_cable(text)
    assert cable.reference_id == "05MADRID4314" and cable.header == header


def test_metadata_wins_for_id_and_released():
    from cables.parsing import Metadata

    meta = Metadata(reference_id="05MADRID4314", released=datetime(2011, 1, 1, 12, 0))
    cable = parse_cable(ROUTED, metadata=meta)
    assert cable.reference_id == "05MADRID4314"
    assert cable.released == datetime(2011, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "\x00\x01binary\x00", "just some words, nothing like a cable", "\x07" * 100],
)
def test_not_a_cable(text):
    with pytest.raises(CableParseError):
        parse_cable(text)


def test_signer_forms():
    base = "C O N F I D E N T I A L OTTAWA 000492\n\n¶1. (C) Text here.\n\n"
    assert parse_cable(base + "CELLUCCI").signer == "CELLUCCI"
    assert parse_cable(base + "Cellucci\n\n").signer == "Cellucci"
    assert parse_cable(base + "END SUMMARY.").signer is None
    assert parse_cable(base[:-2] + " in  Parliament.   BLAKEMAN").signer == "BLAKEMAN"
    assert parse_cable(base + "This is a sentence that ends the cable.").signer is None


@pytest.mark.parametrize(
    ("banner", "classification", "caveats"),
    [
        ("S E C R E T STATE 012345\n\nNOFORN\nSIPDIS\n", "SECRET//NOFORN", ("NOFORN", "SIPDIS")),
        ("SECRET//NOFORN\nS E C R E T KINSHASA 000189\n", "SECRET//NOFORN", ("NOFORN",)),
        ("C O N F I D E N T I A L OTTAWA 000492\n\nSIPDIS\n", "CONFIDENTIAL", ("SIPDIS",)),
        (
            "UNCLAS E F T O LONDON 002883 \n\nNOFORN\nSIPDIS",
            "UNCLASSIFIED//FOUO",
            ("NOFORN", "SIPDIS"),
        ),
    ],
)
def test_classification_is_the_full_marking(banner, classification, caveats):
    text = banner + "\nE.O. 12958: DECL: 02/19/2018\nTAGS: PREL\nSUBJECT: TEST\n\n1. (U) Text.\n"
    parsed = parse_cable(text)
    assert parsed.classification == classification
    assert parsed.caveats == caveats


@pytest.mark.parametrize(
    ("known", "cited", "citing", "month", "expected"),
    [
        # The convention: a REF without a year is of the citing cable's year.
        ({"09VATICAN72", "08VATICAN72"}, ("VATICAN", 72), ("VATICAN", 78), 2, 2009),
        # Same-year id not released: an earlier serial of the same station is still
        # this year's cable, never last year's namesake.
        ({"08VATICAN72"}, ("VATICAN", 72), ("VATICAN", 78), 2, 2009),
        # A higher serial of the citing station can only be last year's.
        ({"08VATICAN950"}, ("VATICAN", 950), ("VATICAN", 78), 6, 2008),
        # Another station's cable, early in the year: last year's when only it is known.
        ({"08STATE135000"}, ("STATE", 135000), ("VATICAN", 78), 1, 2008),
        # ... but not in the autumn.
        ({"08STATE135000"}, ("STATE", 135000), ("VATICAN", 1200), 10, 2009),
    ],
)
def test_yearless_reference_year(known, cited, citing, month, expected):
    from cables.parsing.references import resolve_year

    ids = KnownIds.from_pairs((rid, 1) for rid in known)
    assert resolve_year(*cited, 2009, month, ids, citing) == expected
