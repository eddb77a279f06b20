"""The Classified By line on real snippets from the Cablegate corpus (cable id as the
param id): the person's name as written, the title beside it."""

from __future__ import annotations

import pytest

from cables.parsing.classified_by import parse_classified_by, split_name_title

from .snippets import parse_header_snippet

CASES = [
    # (cable id, snippet, name, title)
    (
        "09CAIRO1930",
        "Classified By: Minister Counselor for Economic and Political Affairs Do nald Blome "
        "for reasons 1.4 (b) and (d).",
        "Donald Blome",
        "Minister Counselor for Economic and Political Affairs",
    ),
    (
        "10TRIPOLI91",
        "CLASSIFIED BY: Gene A. Cretz, Ambassador, U.S. Embassy Tripoli, Department of "
        "State. REASON: 1.4 (b), (d)",
        "Gene A. Cretz",
        "Ambassador, U.S. Embassy Tripoli, Department of State",
    ),
    (
        "02ROME1196",
        "CLASSIFIED BY: POL MINCOUNS THOMAS COUNTRYMAN, REASONS 1.5 (B) AND (D).",
        "THOMAS COUNTRYMAN",
        "POL MINCOUNS",
    ),
    (
        "09BRASILIA1264",
        "Classified By: Charge d' Affaires, a.i. Lisa Kubiske, reason: 1.4 (b) a nd (d)",
        "Lisa Kubiske",
        "Charge d' Affaires, a.i.",
    ),
    (
        "10ASUNCION71",
        "Classified By: Charge d'Affaires, a.i. Michael J. Fitzpatrick for reaso\n"
        "ns 1.4 (b) and (d).",
        "Michael J. Fitzpatrick",
        "Charge d'Affaires, a.i.",
    ),
    (
        "09BEIJING2063",
        "Classified By: Acting Political Minster Counselor Benjamin Moeling. Re\nasons 1.4 (b/d).",
        "Benjamin Moeling",
        "Acting Political Minster Counselor",
    ),
    (
        "06MEXICO505",
        "Classified By: Ambassador Antonio O. Garza Jr. for reasons 1.4 (B,D)",
        "Antonio O. Garza Jr.",
        "Ambassador",
    ),
    (
        "05NEWDELHI8782",
        "Classified By: Charge Robert Blake, Jr. for Reasons 1.4 (B, D)",
        "Robert Blake, Jr.",
        "Charge",
    ),
    (
        "04WELLINGTON555",
        "CLASSIFIED BY: ACTING DEPUTY CHIEF OF MISSION, TIMOTHY P. ZUNIGA-BROWN, FOR "
        "REASONS 1.5(B,D)",
        "TIMOTHY P. ZUNIGA-BROWN",
        "ACTING DEPUTY CHIEF OF MISSION",
    ),
    (
        "07PARIS1938",
        "Classified By: PolMC Josiah Rosenblatt for reasons 1.4 (B & D).",
        "Josiah Rosenblatt",
        "PolMC",
    ),
    (
        "06HAVANA23546",
        "Classified By: COM Michael Parmly for Reason 1.4(d).",
        "Michael Parmly",
        "COM",
    ),
    (
        "09UNVIEVIENNA218",
        "Classified By: CHARGE D'AFFAIRES: GEOFFREY PYATT FOR REASONS 1.4 (B) AN\nD (D)",
        "GEOFFREY PYATT",
        "CHARGE D'AFFAIRES",
    ),
    (
        "08REYKJAVIK127",
        "Classified By: Amb. Carol van Voorst for reasons 1.4 (b) and (d).",
        "Carol van Voorst",
        "Amb.",
    ),
    (
        "09OTTAWA659",
        "Classified By: A/PolCouns Kurt van der Walde, reasons 1.4 (b) and (d)",
        "Kurt van der Walde",
        "A/PolCouns",
    ),
    (
        "07TASHKENT2063",
        "Classified By: Poloff Steven Prohaska and DTRA Fred Carter for reasons 1.4 (b, d).",
        "Steven Prohaska and Fred Carter",
        "Poloff and DTRA",
    ),
    (
        "09BAGHDAD759",
        "Classified By: PRT Salah Ad Din Leader Rick Bell for reasons 1.4 (b) and (d)",
        "Rick Bell",
        "PRT Salah Ad Din Leader",
    ),
    (
        "09VILNIUS495",
        "Classified By: CDA Damian R. Leader for reasons 1.4(b) and (d).",
        "Damian R. Leader",
        "CDA",
    ),
    (
        "09STATE16285",
        "CLASSIFIED BY: ISN - C. S. ELIOT KANG, ACTING FOR REASONS 1.4(B) AND (D)",
        "C. S. ELIOT KANG",
        "ISN -, ACTING",
    ),
    (
        "08STATE1265",
        "Classified By: ACTING U/S FOR ARMS CONTROL AND INTERNATIONAL SECURITY (T) JOHN C. "
        "ROOD, REASONS, 1.4 (B) AND (D).",
        "JOHN C. ROOD",
        "ACTING U/S FOR ARMS CONTROL AND INTERNATIONAL SECURITY (T)",
    ),
    (
        "09WARSAW298",
        "Classified By: Ambassador Ashe by reasons 1.4 b and d",
        "Ashe",
        "Ambassador",
    ),
    (
        "10BEIJING183",
        "Classified By: DCM Robert Goldberg fo Reasons: 1.4(B), (D).",
        "Robert Goldberg",
        "DCM",
    ),
    (
        "09BUENOSAIRES1257",
        "CLASSIFIED BY: Martinez, Vilma, Ambassador, DOS, EXEC; REASON: 1.4(B), (D)",
        "Martinez, Vilma",
        "Ambassador, DOS, EXEC",
    ),
    (
        "10USNATO52",
        "Classified By: A/PolAd A. \u201cHoot\u201d Baez. Reasons: 1.4 (b) and (d).",
        "A. \u201cHoot\u201d Baez",
        "A/PolAd",
    ),
    (
        "05ROME3081",
        "Classified By: Ambassador Ronald Spogli f...",
        "Ronald Spogli",
        "Ambassador",
    ),
    (
        "04BRASILIA676",
        "REF: A. STATE 41252 B. BRASILIA 616 Classified By: AMBASSADOR HRINAK. "
        "REASONS: 1.5 (b) (d)",
        "HRINAK",
        "AMBASSADOR",
    ),
    (
        "08BUENOSAIRES1150",
        "REF: BUENOS AIRES 1050 Classified By: by Ambassador Wayne for reasons 1.4 (b) and (d)",
        "Wayne",
        "Ambassador",
    ),
    (
        "06BRASILIA2475",
        "Classified By: Classified by CG Simon Henshaw, reasons 1.5 b and (C)",
        "Simon Henshaw",
        "CG",
    ),
    (
        "01VATICAN1261",
        "\u00b61. (U) CLASSIFIED BY CDA JOSEPH MERANTE FOR REASONS 1.5\n(A) AND (D) .",
        "JOSEPH MERANTE",
        "CDA",
    ),
    (
        "05ANKARA4456",
        "SUBJECT: TURKEY'S SOUTHEAST: ALEVI COMMUNITIES SEEK HIGHER\nPROFILE\n\n"
        "Classified By: (U) Polcounselor John Kunstadter; reasons: E.O. 12958 1.\n4 (b,d).",
        "John Kunstadter",
        "Polcounselor",
    ),
    (
        "09MEXICO3114",
        "Classified by Political Minister Counselor Gustavo Delga do: Reason: 1.4 (b),(d).",
        "Gustavo Delgado",
        "Political Minister Counselor",
    ),
]


@pytest.mark.parametrize(
    ("snippet", "name", "title"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_classified_by_snippet(snippet, name, title):
    cable = parse_header_snippet(snippet)
    assert cable.classified_by is not None
    assert (cable.classified_by.name, cable.classified_by.title) == (name, title)


@pytest.mark.parametrize(
    ("who", "name", "title"),
    [
        ("Pol/Econ Couns Mary Smith", "Mary Smith", "Pol/Econ Couns"),
        ("PRT Team Leader John Doe", "John Doe", "PRT Team Leader"),
        ("Ambasador John Doe Jr.", "John Doe Jr.", "Ambasador"),
        ("Ambassdor John Doe III", "John Doe III", "Ambassdor"),
        (
            "Charg\u00e9 d\u2019Affaires a.i. Jane Roe",
            "Jane Roe",
            "Charg\u00e9 d\u2019Affaires a.i.",
        ),
        ("EMIN Robert A. Pollard", "Robert A. Pollard", "EMIN"),
        ("ECPO Mincouns William R. Stewart", "William R. Stewart", "ECPO Mincouns"),
        ("John T. Godfrey, A/DCM", "John T. Godfrey", "A/DCM"),
        ("EUR/RUS Director Jane Roe", "Jane Roe", "EUR/RUS Director"),
        ("Principal Officer Jane Roe", "Jane Roe", "Principal Officer"),
        ("Ambassador", None, "Ambassador"),
    ],
)
def test_split_name_title(who, name, title):
    assert split_name_title(who) == (name, title)


def test_classified_by_prose_is_not_the_line():
    text = "The water is classified by AyA \nas unpotable.\n"
    assert parse_classified_by(text) == (None, None, -1)


def test_classified_by_in_paragraph_keeps_the_paragraph():
    text = "SUBJECT: X\n\n\u00b61. (U) CLASSIFIED BY CDA JOSEPH MERANTE FOR REASONS 1.5 (D).\n"
    by, reasons, end = parse_classified_by(text)
    assert by.name == "JOSEPH MERANTE" and reasons == "1.5 (D)"
    assert text[end:].startswith("\u00b61.")


def test_classified_by_long_line_is_bounded():
    text = "Classified By: " + "a " * 50_000 + "\n"
    by, _, _ = parse_classified_by(text)
    assert by is not None and len(by.raw) <= 600


@pytest.mark.parametrize(
    ("line", "name", "title"),
    [
        # an initial never ends a name, even before a word of the title vocabulary
        (
            "Classified By: Charge d'Affaires a.i. John Q. Public III, Re asons 1.4 (b)",
            "John Q. Public III",
            "Charge d'Affaires a.i.",
        ),
        ("Classified By: CDA John Q. Public Jr., reasons 1.4 (b)", "John Q. Public Jr.", "CDA"),
    ],
)
def test_an_initial_is_followed_by_the_surname(line, name, title):
    cb, _reasons, _end = parse_classified_by(line)
    assert (cb.name, cb.title) == (name, title)
