"""The signer on real closing lines from the Cablegate corpus (cable id as param id)."""

from __future__ import annotations

import pytest

from cables.parsing.signer import find_signer

from .snippets import parse_closing_snippet

CASES = [
    # (cable id, closing lines, signer); "form-..." ids are the forms the issue names
    ("03OTTAWA492", "15. (C) The last paragraph.\n\nCELLUCCI", "CELLUCCI"),
    (
        "06BOGOTA10462",
        "with us.\nWOOD\n=======================CABLE ENDS============================",
        "WOOD",
    ),
    ("07NAPLES118", 'us, and we are eager to engage.  End Comment.\nTRUHN\n"', "TRUHN"),
    ("06BERN1971", "Dan Fried. \\\nCONEWAY \\", "CONEWAY"),
    ("05MADRID541", "cooperation.\nMANZANARES .", "MANZANARES"),
    (
        "06BRASILIA2193",
        "\u00b622. (U) Consulate General Sao Paulo contributed to this cable. Sobel",
        "Sobel",
    ),
    ("07MADRID1722", "(Complimentary closing)\nEnd Text. AGUIRRE", "AGUIRRE"),
    (
        "06NEWDELHI3997",
        "\u00b625. (U) Visit New Delhi\u2019s Classified Website:\n"
        "NEW DELHI 00003997 009 OF 009\n(http://www.state.sgov.gov/p/sa/newdelhi/) MULFORD",
        "MULFORD",
    ),
    ("08BRASILIA43", "\u00b69. (S/NF) Operational elements are many.\nSOBEL 2008-01-08", "SOBEL"),
    (
        "07RIYADH2441",
        "Joining Aramco in 1972, he advanced.\n(APPROVED: KINCANNON) FRAKER",
        "FRAKER",
    ),
    (
        "09ANKARA321",
        "Visit Ankara's Classified Web Site at http://www.intelink.sgov.gov/wiki/Portal:Turkey"
        "\n\nJeffrey",
        "Jeffrey",
    ),
    (
        "07REYKJAVIK171",
        "\u00b67.  (U) Have a good flight, and we'll see you tonight.\nvan Voorst",
        "van Voorst",
    ),
    ("09KABUL3661", "traditional bad habits.\nEND COMMENT\nEIKENBERRY", "EIKENBERRY"),
    ("10KABUL104", "post-jirga plan cross U.S. redlines. END COMMENT EIKENBERRY", "EIKENBERRY"),
    ("05TASHKENT284", "-------\nXXXXXXXXXXXX\nPURNELL", "PURNELL"),
    ("09REYKJAVIK50", "VAN VOORST\n1\nSENSITIVE BUT UNCLASSIFIED", "VAN VOORST"),
    (
        "75TEHRAN2069",
        "HELMS\nDeclassified/Released US Department of State EO\nSystematic Review 05 JUL 2006",
        "HELMS",
    ),
    ("09MALABO27", "SMITH\n</td></tr>\n</table>", "SMITH"),
    ("08ISLAMABAD3716", "FEIERSTEIN\nNNNN\nEnd Cable Text", "FEIERSTEIN"),
    ("09BRUSSELS537", "Glaser has cleared this message. MINIMIZE CONSIDERED MURRAY .", "MURRAY"),
    (
        "10KUWAIT88",
        "http://www.intelink.sgov.gov/wiki/Portal:Kuwa it\n"
        "********************************************* *********\nJONES",
        "JONES",
    ),
    ("form-slash", "the new minister.\n\nSMITH/JONES", "SMITH/JONES"),
    ("form-two-words", "End comment.\nLA LIME", "LA LIME"),
    ("form-apostrophe", "End comment.\nO'BRIEN\nSECRET", "O'BRIEN"),
    ("form-for", "the Estonian view.\nBRENNAN FOR GROSSMAN", "BRENNAN FOR GROSSMAN"),
    (
        "09TALLINN114",
        "forces and significantly increases the quantity and\n"
        "quality of reserve training.\nXXXXXXXXXXXX",
        None,
    ),
    (
        "07MOSCOW1442",
        "create new winners and losers, is a bet on the modernizers\nworth taking.",
        None,
    ),
    (
        "08LONDON1870",
        "SUBJECT: UK SUPPORT FOR IMPLEMENTATION OF UNSCR 1816 ON\nSOMALI PIRACY",
        None,
    ),
    ("08RIGA497", "Classif...", None),
    ("08BEIJING4687", "affairs.\nRandt\n\nHTS ACTIVIST LIU XIAOBO...", None),
]


@pytest.mark.parametrize(("snippet", "signer"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_signer_snippet(snippet, signer):
    assert parse_closing_snippet(snippet).signer == signer


@pytest.mark.parametrize(
    "closing",
    ["COMMENT FOLLOWS.", "END SUMMARY.", "NNNN", "SECTION 02 OF 02", "SIPDIS", "CONFIDENTIAL"],
)
def test_never_a_signer(closing):
    assert find_signer("\u00b61. (C) Text here, a sentence.\n\n" + closing + "\n")[0] is None


def test_signer_offset_and_long_line():
    body = "\u00b61. (C) Text.\n\nWILKINS\n"
    name, at = find_signer(body)
    assert name == "WILKINS" and body[at:].startswith("WILKINS")
    assert find_signer("x" * 100_000 + " " * 100_000)[0] is None
