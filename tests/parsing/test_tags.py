"""The TAGS reader on real snippets of the shared Cablegate corpus (the cable id is the
param id), through the whole parser (``parse_header_snippet``) and as unit calls."""

from __future__ import annotations

import time

import pytest

from cables.parsing import parse_cable
from cables.parsing.tags import parse_tags

from .snippets import parse_header_snippet, wrap_header

CASES = [
    # the label in every form
    pytest.param(
        "TAGS: [MARR](#) [PARM](#) [PREL](#) [CA](#)\nSUBJECT: CANADA",
        ("MARR", "PARM", "PREL", "CA"),
        id="03OTTAWA492-markdown-links",
    ),
    pytest.param(
        "TAGS PREL;PGOV;KCOR;HU;HR \nSUBJECT: PODRAVKA CORRUPTION CASE TIED TO XXXXXXXXXXXX AND",
        ("PREL", "PGOV", "KCOR", "HU", "HR"),
        id="10ZAGREB97-no-colon-semicolons",
    ),
    pytest.param(
        "E.O. 12958:  DECL: 03/20/2019 TAG PTER, PGOV, ASEC, EFIN, ENRG, KCIP, SW \n\n"
        "SUBJECT:  SWEDEN: CI/KR RESPONSE FOR S/CT",
        ("PTER", "PGOV", "ASEC", "EFIN", "ENRG", "KCIP", "SW"),
        id="09STOCKHOLM194-TAG-on-the-DECL-line",
    ),
    pytest.param(
        "E.O. 12958: DECL: 05/21/2015TAGS: PREL PGOV PTER PINR KMCA KMPI DOMESTIC POLITICS\n",
        ("PREL", "PGOV", "PTER", "PINR", "KMCA", "KMPI", "DOMESTIC POLITICS"),
        id="05SANAA1352-glued-to-the-DECL-date",
    ),
    pytest.param(
        "E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, pins, tu Subject: turkish p.m. "
        "Erdogan goes to washington: how strong a leader",
        ("PREL", "PGOV", "PINS", "TU"),
        id="04ANKARA348-lower-case-one-line",
    ),
    pytest.param(
        "Tags: knnp, dprk, sy, iaea, parm, prel\n\nSubject: syria's clandestine nuclear program",
        ("KNNP", "DPRK", "SY", "IAEA", "PARM", "PREL"),
        id="08STATE43817-lower-case",
    ),
    pytest.param(
        "C O R R E C T E D C O P Y (PRIMARY TAG) \n \nE.O. 12958: DECL: 01/16/2017 \n"
        "TAGS: KDEM LE PGOV PREL FR IR\nSUBJECT: FRANCE SEEKS EU COVER ON IRAN CIVIL SOCIETY",
        ("KDEM", "LE", "PGOV", "PREL", "FR", "IR"),
        id="07PARIS159-TAG-in-a-correction-note",
    ),
    # continuation lines
    pytest.param(
        "TAGS OVIP (CLINTON, HILLARY), PGOV, PREL, KDEV, ECON, \nNL, IS, SR \n"
        "SUBJECT: (U) Secretary Clinton's July 14 conversation",
        ("OVIP", "CLINTON, HILLARY", "PGOV", "PREL", "KDEV", "ECON", "NL", "IS", "SR"),
        id="09STATE78274-comma-continuation-person",
    ),
    pytest.param(
        "TAGS: OVIP RICE CONDOLEEZZA KISL PGOV PHUM LE\nSY, IS \n"
        "SUBJECT: (U) Secretary Rice's February 23 Meeting with",
        ("OVIP", "RICE, CONDOLEEZZA", "KISL", "PGOV", "PHUM", "LE", "SY", "IS"),
        id="06PARTO9-codes-only-continuation",
    ),
    pytest.param(
        "TAGS: PHUM PREF PREL PTER CASC SP PM FR VZ SZ CO\nCI, AR, EC, BR \\\n"
        "SUBJECT: COLOMBIAN FORCES KILL FARC'S KEY LEADER, SPURRING \\",
        tuple(
            [
                "PHUM",
                "PREF",
                "PREL",
                "PTER",
                "CASC",
                "SP",
                "PM",
                "FR",
                "VZ",
                "SZ",
                "CO",
                "CI",
                "AR",
                "EC",
                "BR",
            ]
        ),
        id="08BOGOTA800-backslash-line-end",
    ),
    pytest.param(
        "TAGS: AORC APER KAWC KJUS KUNR PREL UNGA UNGA\nUNGA/C-6, CS \n"
        "SUBJECT: COSTA RICA: MFA STUDYING UN APPEALS TRIBUNAL",
        ("AORC", "APER", "KAWC", "KJUS", "KUNR", "PREL", "UNGA", "UNGA/C-6", "CS"),
        id="09SANJOSE124-odd-code-in-continuation",
    ),
    pytest.param(
        "TAGS: OREP AMGT ASEC AFIN GM IZ IC KU COUNTRY\nCLEARANCE \n"
        "SUBJECT: KUWAIT GRANTS COUNTRY CLEARANCE FOR CODEL BOND",
        ("OREP", "AMGT", "ASEC", "AFIN", "GM", "IZ", "IC", "KU", "COUNTRY CLEARANCE"),
        id="07KUWAIT624-free-text-wrapped",
    ),
    pytest.param(
        "TAGS: PREL ECIN ECON EFIN PGOV EPET ENRG KCOR PINR\nSOCI, EK <br>\n"
        "SUBJECT: EQUATORIAL GUINEA RAW, PAPER 4:  THE BUSINESS OF CORRUPTION <br>",
        ("PREL", "ECIN", "ECON", "EFIN", "PGOV", "EPET", "ENRG", "KCOR", "PINR", "SOCI", "EK"),
        id="09MALABO27-html-line-break",
    ),
    pytest.param(
        "TAGS: PGOV PINR PE\nRUN-OFF,   \nSEEKS EMBASSY'S ASSISTANCE IN CEMENTING DEMOCRATIC",
        ("PGOV", "PINR", "PE"),
        id="06LIMA1452-subject-without-label-is-not-tags",
    ),
    # run-together codes
    pytest.param(
        "TAGS: ETRDEINVECINPGOVCS\nSUBJECT:  COSTA RICA--BEING OUTSIDE CAFTA HAS CONSEQUENCES",
        ("ETRD", "EINV", "ECIN", "PGOV", "CS"),
        id="06SANJOSE1792-run-together",
    ),
    pytest.param(
        "TAGS: EINVECONSENVCSJA\nSUBJECT: COSTA RICA NOT PARADISE-RAW SEWAGE EVERYWHERE",
        ("EINV", "ECON", "SENV", "CS", "JA"),
        id="07SANJOSE653-run-together-countries",
    ),
    pytest.param(
        "TAGS: KCRM KWMN ASEC PHUMBA\nSUBJECT: BAHRAIN SEEKS IOM'S ASSISTANCE TO COBAT TIP",
        ("KCRM", "KWMN", "ASEC", "PHUM", "BA"),
        id="08MANAMA492-code-and-country",
    ),
    pytest.param(
        "TAGS PGOV PREL MARR IRAJ\nSUBJECT: GOAJ INCREASINGLY CONCERNED ABOUT USG POLICY",
        ("PGOV", "PREL", "MARR", "IR", "AJ"),
        id="06BAKU1835-two-countries",
    ),
    pytest.param(
        "TAGS KDEM, PGOV, PINR, KDEMAF, AF \nSUBJECT: ABOVE THE LAW: CORRUPT GOVERNOR",
        ("KDEM", "PGOV", "PINR", "AF"),
        id="09KABUL4150-spurious-merge-dropped",
    ),
    pytest.param(
        "TAGS: PREL PGOV PHUM KIRF RS IN IS UP PGOV PHUM KIRF RS IN IS UP VT VTPREL\n"
        "SUBJECT: EASTERN CHURCHES UNDER STRESS",
        ("PREL", "PGOV", "PHUM", "KIRF", "RS", "IN", "IS", "UP", "VT"),
        id="02VATICAN3692-repeats-and-merge",
    ),
    # misspelt common codes
    pytest.param(
        "TAGS: PGOVE KWBG KPAL PTER PHUM PREL IS EG\nSUBJECT: X",
        ("PGOV", "KWBG", "KPAL", "PTER", "PHUM", "PREL", "IS", "EG"),
        id="09JERUSALEM1080-letter-too-many",
    ),
    pytest.param(
        "TAGS: KPKO PHUM PREL KWWMN UNSC LY\nSUBJECT: X",
        ("KPKO", "PHUM", "PREL", "KWMN", "UNSC", "LY"),
        id="09TRIPOLI754-doubled-letter",
    ),
    pytest.param(
        "TAGS: PGOV PRL PTER AJ IS IR\nSUBJECT: X",
        ("PGOV", "PREL", "PTER", "AJ", "IS", "IR"),
        id="09BAKU20-dropped-letter",
    ),
    pytest.param(
        "TAGS: KNNP MUCN PARM PREL IR EU EFIN EUN\n\nSUBJECT: IRAN DESIGNATIONS",
        ("KNNP", "MNUC", "PARM", "PREL", "IR", "EU", "EFIN", "EUN"),
        id="07BRUSSELS3423-letters-swapped",
    ),
    pytest.param(
        "TAGS: ECON EFIN EINV ETRD KTFN PREL PARM\nPTERS, SP\nSUBJECT: TREASURY UNDER SECRETARY",
        ("ECON", "EFIN", "EINV", "ETRD", "KTFN", "PREL", "PARM", "PTER", "SP"),
        id="08MADRID757-trailing-letter",
    ),
    # free-text and person tags
    pytest.param(
        "TAGS PHUM, PREL, PTER, IN, PK, Human Rights \nSUBJECT: ICRC FRUSTRATED",
        ("PHUM", "PREL", "PTER", "IN", "PK", "HUMAN RIGHTS"),
        id="05NEWDELHI2606-free-text",
    ),
    pytest.param(
        "TAGS: PINR PREL PTER YE COUNTER TERRORISM\nSUBJECT: SALEH ON KANAAN: WE'VE GOT HIM!!",
        ("PINR", "PREL", "PTER", "YE", "COUNTERTERRORISM"),
        id="05SANAA923-counter-terrorism",
    ),
    pytest.param(
        "TAGS: PREL PGOV IR IS KPAL PINR ELECTIONS GOI INTERNAL ISRAELI PALESTINIAN AFFAIRS "
        "GOI EXTERNAL\nSUBJECT: PERES TELLS CODEL BAYH THAT OLMERT WILL BE NEXT",
        (
            *("PREL", "PGOV", "IR", "IS", "KPAL", "PINR", "ELECTIONS", "GOI INTERNAL"),
            *("ISRAELI PALESTINIAN AFFAIRS", "GOI EXTERNAL"),
        ),
        id="06TELAVIV145-free-text-phrases",
    ),
    pytest.param(
        "TAGS: PHUM PREL AR UNSC MEETINGS WITH AMBASSADOR\nSUBJECT: AMBASSADOR'S MEETING",
        ("PHUM", "PREL", "AR", "UNSC", "MEETINGS WITH AMBASSADOR"),
        id="04BUENOSAIRES3067-free-text-words",
    ),
    pytest.param(
        "TAGS PGOV, PINS, ZI, MDC, ZANU-PF \n\nSUBJECT:  ZANU-PF REPORTEDLY INTERESTED IN DEAL",
        ("PGOV", "PINS", "ZI", "MDC", "ZANU-PF"),
        id="00HARARE5461-party-names",
    ),
    pytest.param(
        "Tags: ovip (steinberg, james b.), prel, parm, pgov, econ,\n"
        "etra, mnuc, marr, ch, jp, kn, ks, ir\n"
        "Subject: deputy secretary steinberg's meeting with xxxxx",
        (
            *("OVIP", "STEINBERG, JAMES B.", "PREL", "PARM", "PGOV", "ECON", "ETRA", "MNUC"),
            *("MARR", "CH", "JP", "KN", "KS", "IR"),
        ),
        id="09BEIJING2963-lower-case-person",
    ),
    pytest.param(
        "TAGS: PREL PGOV BR OVIP ZOELLICK ROBERT US\nSUBJECT: DEPUTY SECRETARY'S MEETING",
        ("PREL", "PGOV", "BR", "OVIP", "ZOELLICK, ROBERT", "US"),
        id="05BRASILIA2675-person-without-parentheses",
    ),
    pytest.param(
        "TAGS: ECON PINR PREL XK OVIP BIDEN JOSEPH PGOV\nSUBJECT: VICE PRESIDENT BIDEN'S",
        ("ECON", "PINR", "PREL", "XK", "OVIP", "BIDEN, JOSEPH", "PGOV"),
        id="09SANJOSE297-person-then-code",
    ),
]


@pytest.mark.parametrize(("snippet", "tags"), CASES)
def test_tags_through_the_parser(snippet, tags):
    assert parse_header_snippet(snippet).tags == tags


@pytest.mark.parametrize(("snippet", "tags"), CASES)
def test_parse_tags(snippet, tags):
    found, end = parse_tags(snippet)
    assert found == tags
    assert 0 < end <= len(snippet)


def test_tags_on_the_banner_line():
    # 05LIMA3571: a flattened extract, the E.O. and TAGS run into the banner's line
    line = (
        "C O N F I D E N T I A L SECTION 01 OF 02 LIMA 003571SIPDISEB FOR A/S WAYNE; "
        "WHA FOR MONSERRATE; INL FOR AGUILERAE.O. 12958: DECL: 08/16/2015TAGS: EMIN PGOV "
        "SNAR ASEC EINV ENRG PE\n"
    )
    text = wrap_header("Classified By: Ambassador J. Curtis Struble. Reason: 1.4 (b,d)")
    text = text.replace("C O N F I D E N T I A L LIMA 000123\n", line)
    assert parse_cable(text).tags == ("EMIN", "PGOV", "SNAR", "ASEC", "EINV", "ENRG", "PE")


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        # a page break inside the TAGS (the old telegram form; the lines are made up)
        (
            "TAGS: PREL, PGOV, IT,\nCONFIDENTIAL\n\nPAGE 02 ROME 03067 211833Z\nEUN, US\n"
            "SUBJECT: X",
            ("PREL", "PGOV", "IT", "EUN", "US"),
        ),
        (
            "TAGS: PREL, IT\nCONFIDENTIAL\n\nPAGE 02 ROME 03067 211833Z\nSUBJECT: X",
            ("PREL", "IT"),
        ),
        ("TAGS: PREL IT\nSIPDIS\nSUBJECT: X", ("PREL", "IT")),
        ("TAGS: PREL IT\n1. (C) THE PRESIDENT SAID", ("PREL", "IT")),
        ("TAGS: PGOVPREL SIPDIS IZ", ("PGOV", "PREL", "IZ")),
        ("TAGS: PGOVV, PTERR, PREl, PRELIZ", ("PGOV", "PTER", "PREL", "IZ")),
        ("E.O. 12958: DECL: 09/21/10 TAGS: PGOV PINS ZI", ("PGOV", "PINS", "ZI")),
        ("TAGS: OVIP (GATES, ROBERT M.), MARR", ("OVIP", "GATES, ROBERT M.", "MARR")),
        ("TAGS: OVIP GATES ROBERT M", ("OVIP", "GATES, ROBERT M")),
        ("TAGS: OVIP PELOSI NANCY", ("OVIP", "PELOSI, NANCY")),
        ("TAGS: OVIP PELOSI, NANCY, PREL", ("OVIP", "PELOSI, NANCY", "PREL")),
        ("TAGS: KDEM (CHAVEZ, HUGO) VE", ("KDEM", "CHAVEZ, HUGO", "VE")),
        ("TAGS: OVIP (BUSH)", ("OVIP", "BUSH")),
        ("tAgs: econ; efin", ("ECON", "EFIN")),
        ("The TAGS of this cable are wrong.", ()),
        ("He said the tags: the policy is clear.", ()),
        ("No label here", ()),
    ],
)
def test_parse_tags_units(text, tags):
    assert parse_tags(text)[0] == tags


@pytest.mark.parametrize(
    "text",
    [
        "TAGS: " + " " * 100_000 + "PREL",
        "TAGS: " + "A" * 100_000,
        "TAGS: " + "PREL" * 25_000,
        "TAGS: " + "PREL, " * 20_000,
        "TAGS: PREL,\n" * 20_000,
        "x TAGS: " * 20_000,
        "tag " * 30_000,
        "TAGS: " + "(" * 50_000 + "A, B" + ")" * 50_000,
        "TAGS: PREL\n" + "PGOV \\\n" * 50_000,
    ],
)
def test_parse_tags_is_fast_on_hostile_text(text):
    start = time.perf_counter()
    parse_tags(text)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        # free text and names in forms the sample does not show (made-up lines)
        (
            "TAGS: KNNP, PARM, IR, UN SECURITY COUNCIL",
            ("KNNP", "PARM", "IR", "UN SECURITY COUNCIL"),
        ),
        ("TAGS: PREL, DEMOCRACY AND GOVERNANCE, IZ", ("PREL", "DEMOCRACY AND GOVERNANCE", "IZ")),
        ("TAGS: PREL, OVIP\n(CLINTON, HILLARY)\nSUBJECT: X", ("PREL", "OVIP", "CLINTON, HILLARY")),
        ("TAGS: OVIP (NANCY PELOSI)", ("OVIP", "PELOSI, NANCY")),
        ("TAGS: OVIP JOSEPH BIDEN", ("OVIP", "BIDEN, JOSEPH")),
        ("TAGS: PREL (U)", ("PREL",)),
        ("TAGS: PREL IRAN", ("PREL", "IRAN")),
        ("TAGS: PREL-PGOV, ZANU-PF", ("PREL", "PGOV", "ZANU-PF")),
    ],
)
def test_parse_tags_more_forms(text, tags):
    assert parse_tags(text)[0] == tags
