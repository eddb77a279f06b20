"""REF: real snippets of the Cablegate corpus (cable id as the case id), each wrapped in
a minimal cable of the citing post and year and run through the whole parser; and unit
checks of the id reader."""

from __future__ import annotations

import time

import pytest

from cables.parsing import KnownIds
from cables.parsing.references import cited_ids, find_ref_block, parse_references, split_items
from tests.parsing.snippets import parse_header_snippet

SUBJECT = "SUBJECT: A SUBJECT\n\n"

# (snippet, citing station, serial, year, the cited ids in order; None = no cable named)
CASES = [
    pytest.param(
        "REF:  (A) SAN JOSE 02090 \n \n      (B) SAN JOSE 02047 \n      (C) SAN JOSE 02037 \n"
        "      (D) SAN JOSE 02051 \n      (E) SAN JOSE 02105 \n \n",
        ("SAN JOSE", 2181, 2005),
        ["05SANJOSE2090", "05SANJOSE2047", "05SANJOSE2037", "05SANJOSE2051", "05SANJOSE2105"],
        id="05SANJOSE2181",
    ),
    pytest.param(
        "REF: (A) SAO PAULO 316; \n(B) SAO PAULO 278; \n(C) SAO PAULO 206; \n"
        "(D) SAO PAULO 102; \n(E) SAO PAULO 73 \n\n------- SUMMARY ------- \n",
        ("SAO PAULO", 355, 2006),
        ["06SAOPAULO316", "06SAOPAULO278", "06SAOPAULO206", "06SAOPAULO102", "06SAOPAULO73"],
        id="06SAOPAULO355",
    ),
    pytest.param(
        "REF: A. 08 MADRID 1362\n¶B. 12/12/08 (U) EMAIL FROM POLOFF CLIFTON TO USUNVIE\n"
        "¶C. 08 MADRID 1296\n¶D. 08 SECSTATE 126581\n¶E. 08 MADRID 1262\n\n"
        "MADRID 00000029 001.2 OF 002\n",
        ("MADRID", 29, 2009),
        ["08MADRID1362", None, "08MADRID1296", "08STATE126581", "08MADRID1262"],
        id="09MADRID29",
    ),
    pytest.param(
        "REF: A. STATE 40721\n CONFIDENTIAL\nPAGE 02 ROME 01196 01 OF 02 082030Z  "
        "B. ROME 1098  C. ROME 894  D. MYRIAD POST-DEPARTMENT E-MAILS FROM 10/01-02/02  "
        "E. ROME 348\nCLASSIFIED BY: POL MINCOUNS THOMAS COUNTRYMAN, REASONS 1.5 (B) AND (D).\n",
        ("ROME", 1196, 2002),
        ["02STATE40721", "02ROME1098", "02ROME894", None, "02ROME348"],
        id="02ROME1196",
    ),
    pytest.param(
        "REF: HARARE 5346  CONFIDENTIAL\nPAGE 02 HARARE 05461 01 OF 02 271458Z\n\n"
        "CLASSIFIED BY DCM EARL IRVING. REASONS: 1.5 (B) AND (D).\n",
        ("HARARE", 5461, 2000),
        ["00HARARE5346"],
        id="00HARARE5461",
    ),
    pytest.param(
        "REF:  (A) STATE 19851, (B) 05 Reykjavik 415, (C) 05 \n \nReykjavik 431 \n \n",
        ("REYKJAVIK", 51, 2006),
        ["06STATE19851", "05REYKJAVIK415", "05REYKJAVIK431"],
        id="06REYKJAVIK51",
    ),
    pytest.param(
        "REF: A. BRASILIA 2799 AND 2764 \n¶B. PORT AU PRINCE 2325 \n"
        "Classified By: POLITICAL COUNSELOR DENNIS W. HEARNE. REASONS: 1.4 (B)(D ) \n",
        ("BRASILIA", 2863, 2004),
        ["04BRASILIA2799", "04BRASILIA2764", "04PORTAUPRINCE2325"],
        id="04BRASILIA2863",
    ),
    pytest.param(
        "REF: A. 2004 STATE 239012 \n\n¶B. 2004 THE HAGUE 3156 (NOT ALL) \n",
        ("THE HAGUE", 484, 2005),
        ["04STATE239012", "04THEHAGUE3156"],
        id="05THEHAGUE484",
    ),
    pytest.param(
        "REF: UNVIE VIEN 641 This cable is sensitive but unclassified. Please protect "
        "accordingly. Not for internet distribution. \n",
        ("BRASILIA", 2185, 2007),
        ["07UNVIEVIENNA641"],
        id="07BRASILIA2185",
    ),
    pytest.param(
        "REF: A. USUN 1254 \n \n     ¶B. SECSTATE 106562 \n \n"
        "Classified By: Charge Geoffrey Pyatt for Reasons 1.5 (b) \n",
        ("NEW DELHI", 4827, 2006),
        ["06USUNNEWYORK1254", "06STATE106562"],
        id="06NEWDELHI4827",
    ),
    pytest.param(
        "REF: A. REF A: 07 TGG 1798\n¶B. REF B: 07 TGG 1818\n¶C. REF C: 08 TGG 0057\n"
        "¶D. REF D: 08 TGG 0084\n\n",
        ("TEGUCIGALPA", 86, 2008),
        ["07TEGUCIGALPA1798", "07TEGUCIGALPA1818", "08TEGUCIGALPA57", "08TEGUCIGALPA84"],
        id="08TEGUCIGALPA86",
    ),
    pytest.param(
        "REF: A) 07 TRIPOLI 656; B) 07 TRIPOLII 695 TRIPOLI 00000661 001.2 OF 002 "
        "CLASSIFIED BY: Joan Polaschik, Charge d'Affaires, U.S. Embassy Tripoli, Department "
        "of State. REASON: 1.4 (b), (d)\n\n1.(C) Summary: In an August 14 meeting\n",
        ("TRIPOLI", 661, 2009),
        ["07TRIPOLI656", "07TRIPOLI695"],
        id="09TRIPOLI661",
    ),
    pytest.param(
        "REF: A. LIMA 4516 (06) \n \n     ¶B. LIMA 248 (06) \n     ¶C. LIMA 37 (05) \n\n",
        ("LIMA", 1862, 2007),
        ["06LIMA4516", "06LIMA248", "05LIMA37"],
        id="07LIMA1862",
    ),
    pytest.param(
        "REF: A) TRIPOLI 478 (NOTAL), B) TRIPOLI 506  CLASSIFIED BY: Chris Stevens, CDA, "
        "U.S. Embassy - Tripoli, Dept of State. REASON: 1.4 (b), (c), (d) 1. (C) In a "
        "meeting with MFA Secretary for the Americas Dr. Ahmed Fituri on July 1\n",
        ("TRIPOLI", 515, 2008),
        ["08TRIPOLI478", "08TRIPOLI506"],
        id="08TRIPOLI515",
    ),
    pytest.param(
        "REF: SECSTATE 72078  (U) Embassy London has received the following information "
        "about the HMG delegation to the 2008 UNGA:  A. Prime Minister Gordon Brown will "
        "attend.\n",
        ("LONDON", 2008, 2008),
        ["08STATE72078"],
        id="08LONDON2008",
    ),
    pytest.param(
        "REF: A. A) ROME 2543, \n\n¶B. 05 ROME 2543, 03 VAT 4859; 03 ROME 5205; 04 VAT 3810 \n\n"
        "CLASSIFIED BY: Peter Martin, Political Officer, POL, STATE. \n",
        ("VATICAN", 514, 2005),
        ["05ROME2543", "03VATICAN4859", "03ROME5205", "04VATICAN3810"],
        id="05VATICAN514",
    ),
    pytest.param(
        "REF: DEPT OF TREAS 241534Z MAR 06 \n \n",
        ("SAN JOSE", 789, 2006),
        [None],
        id="06SANJOSE789",
    ),
    pytest.param(
        "REF: A)   CALCUTTA 00354   B)  00357   C)  CALCUTTA 00363 \n\n",
        ("CALCUTTA", 389, 2006),
        ["06CALCUTTA354", "06CALCUTTA357", "06CALCUTTA363"],
        id="06CALCUTTA389",
    ),
    pytest.param(
        "REF: A. (A) PARIS 1113 \n¶B. (B) EMBASSY PARIS DAILY REPORT FOR FEBRUARY 17 \n"
        "¶C. 2006 \n¶D. (C) PARIS 953 \n\n",
        ("PARIS", 1251, 2006),
        ["06PARIS1113", None, None, "06PARIS953"],
        id="06PARIS1251",
    ),
    pytest.param(
        "REF: 239012 \n\nClassified By: Economics Counselor Richard Huff for Reasons 1.4 (B) "
        "and \n",
        ("THE HAGUE", 3156, 2004),
        ["04STATE239012"],
        id="04THEHAGUE3156",
    ),
    pytest.param(
        "Refs:  (A) 03 Colombo 2200 \n-      (B) 03 State 348254 \n\n",
        ("COLOMBO", 11, 2004),
        ["03COLOMBO2200", "03STATE348254"],
        id="04COLOMBO11",
    ),
]


WHOLE_HEADERS = [
    pytest.param(
        "TAGS: PGOV PREL ECON BR\nREF BRASILIA 1837 \n \n"
        "SUBJECT: BRAZILIAN OPPOSITION SAYS ALCKMIN CAMPAIGN IS ON THE RISE \n",
        ("BRASILIA", 1963, 2006),
        ["06BRASILIA1837"],
        id="06BRASILIA1963-ref-before-subject",
    ),
    pytest.param(
        "SUBJECT: BRAZILIAN VIEWS ON THE LATEST IAEA REPORTS ON IRAN AND SYRIA \n\n"
        "Classified By: Charge d'Affaires Lisa Kubiske, Reasons 1.4 (b) and (d). REF: A) "
        "STATE 91633, B) BRASILIA 1170 \n",
        ("BRASILIA", 1186, 2009),
        ["09STATE91633", "09BRASILIA1170"],
        id="09BRASILIA1186-ref-after-classified-by",
    ),
    pytest.param(
        "SUBJECT: ARAB DIPLOMATS WEIGH BRAZIL'S READINESS TO HOST SUMMIT REF: \n"
        "¶A. BRASILIA 564 \n¶B. BRASILIA 574 \n¶C. BRASILIA 658 \n¶D. BRASILIA 718 \n\n"
        "Classified By: DEPUTY CHIEF OF MISSION PHILLIP CHICOLA\n",
        ("BRASILIA", 760, 2005),
        ["05BRASILIA564", "05BRASILIA574", "05BRASILIA658", "05BRASILIA718"],
        id="05BRASILIA760-ref-run-on-from-subject",
    ),
]


@pytest.mark.parametrize(("snippet", "citing", "expected"), WHOLE_HEADERS)
def test_references_anywhere_in_the_header(snippet, citing, expected):
    station, serial, year = citing
    cable = parse_header_snippet(snippet, station=station, serial=serial, year=year)
    assert [r.reference_id for r in cable.references] == expected


@pytest.mark.parametrize(("snippet", "citing", "expected"), CASES)
def test_references_in_a_cable(snippet, citing, expected):
    station, serial, year = citing
    cable = parse_header_snippet(SUBJECT + snippet, station=station, serial=serial, year=year)
    assert [r.reference_id for r in cable.references] == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("09-LIMA-123", [(2009, "LIMA", 123)]),
        ("09LIMA123", [(2009, "LIMA", 123)]),
        ("STATE: 12345", [(None, "STATE", 12345)]),
        ("O7 LIMA 12", [(2007, "LIMA", 12)]),
        ("095 LIMA 123", [(1995, "LIMA", 123)]),
        ("2009 LIMA 123", [(2009, "LIMA", 123)]),
        ("LIMA 1234 AND 1240", [(None, "LIMA", 1234), (None, "LIMA", 1240)]),
        ("STATE 123, 456", [(None, "STATE", 123), (None, "STATE", 456)]),
        ("STATE 123, 05 LIMA 456", [(None, "STATE", 123), (2005, "LIMA", 456)]),
        ("06 STATE 92781 07 JUN 2006", [(2006, "STATE", 92781)]),
        ("SECTSTATE 4567", [(None, "STATE", 4567)]),
        ("UNVIE 601", [(None, "UNVIEVIENNA", 601)]),
        ("USUN 1254", [(None, "USUNNEWYORK", 1254)]),
        ("USUNESCO PARIS FR 12", [(None, "UNESCOPARISFR", 12)]),
        ("UNESCO PARIS 12", [(None, "UNESCOPARISFR", 12)]),
        ("USNATO 646", [(None, "USNATO", 646)]),
        ("USEU BRUSSELS 3226", [(None, "USEUBRUSSELS", 3226)]),
        ("USEU 3226", [(None, "USEUBRUSSELS", 3226)]),
        ("VATICA 05693", [(None, "VATICAN", 5693)]),
        ("KUALA LUMP 4317", [(None, "KUALALUMPUR", 4317)]),
        ("SAN JSE 1955", [(None, "SANJOSE", 1955)]),
        ("IIR 6 809 0120 09", []),
        ("DAO MADRID IIR 6 889 0272 08", []),
        ("RICHARD-WITMER EMAIL 10/9", []),
        ("EMBASSY PARIS DAILY REPORT FOR FEBRUARY 17", []),
        ("STATE 241534Z MAR 06", []),
        ("LIMA 12 PARAS 5, 6", [(None, "LIMA", 12)]),
    ],
)
def test_cited_ids(item, expected):
    assert cited_ids(item) == expected


def test_short_forms_need_the_citing_post():
    assert cited_ids("07 TGG 1798", "TEGUCIGALPA") == [(2007, "TEGUCIGALPA", 1798)]
    assert cited_ids("07 TGG 1798", "LIMA") == []
    assert cited_ids("BA 1485", "BUENOSAIRES") == [(None, "BUENOSAIRES", 1485)]
    assert cited_ids("EMBTEL 55", "LIMA") == [(None, "LIMA", 55)]


def test_each_cable_once_and_never_the_citing_cable():
    refs = parse_references(
        ": A. LIMA 100 B. LIMA 100 AND LIMA 123 C. 09 LIMA 200", 2009, 6, None, ("LIMA", 123)
    )
    assert [(r.letter, r.reference_id) for r in refs] == [("A", "09LIMA100"), ("C", "09LIMA200")]


def test_known_list_picks_the_spelling_the_release_uses():
    known = KnownIds.from_pairs([("06KYIV1234", 5)])
    refs = parse_references(": KIEV 1234", 2006, 7, known)
    assert refs[0].reference_id == "06KYIV1234"


def test_items_lettered_every_way():
    for block in (
        ": A. LIMA 1 B. LIMA 2",
        ": A) LIMA 1 B) LIMA 2",
        ": (A) LIMA 1 (B) LIMA 2",
        ": A- LIMA 1 B- LIMA 2",
        "S: A: LIMA 1\nB: LIMA 2",
    ):
        assert [letter for letter, _ in split_items(block)] == ["A", "B"], block


def test_unlettered_lines_are_items():
    assert split_items(": LIMA 1\nSTATE 2; QUITO 3") == [
        (None, "LIMA 1"),
        (None, "STATE 2"),
        (None, "QUITO 3"),
    ]


def test_prose_reftel_is_no_block():
    assert find_ref_block("REFTEL REPORTED THE VISIT.\n", 0, 100)[0] is None


def test_long_inputs_stay_fast():
    start = time.perf_counter()
    many = "REF: " + " ".join(f"{chr(65 + i % 26)}. LIMA {i}" for i in range(5000)) + "\n"
    find_ref_block(many, 0, len(many))
    parse_references(many[4:], 2009, 6, None)
    for filler in (
        " " * 100_000,
        "A" * 100_000,
        "1" * 100_000,
        "LIMA 1, " * 12_000,
        "OF " + " " * 50_000 + "A" * 50_000 + " 00001234 001.2 OF 003",
        "(A) " * 25_000,
        "1. " * 30_000,
    ):
        text = "REF: " + filler + "\n"
        block = find_ref_block(text, 0, len(text))[0]
        parse_references(block, 2009, 6, None)
        cited_ids(filler)
    assert time.perf_counter() - start < 2.0
