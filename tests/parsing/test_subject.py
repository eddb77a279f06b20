"""SUBJECT: real snippets of the Cablegate corpus (cable id as the case id), each
wrapped in a minimal cable and run through the whole parser."""

from __future__ import annotations

import pytest

from cables.parsing.subject import parse_subject, strip_page_markers
from tests.parsing.snippets import parse_header_snippet

CASES = [
    pytest.param(
        "TAGS: PREL PGOV KPAL ETRD KNNP PARM SENV MARR MNUC\n"
        "ECON, PHUM, RS, IS, IR, GG, AF, UK SUBJECT: MILIBAND'S RUSSIA TRIP AIMS TO MOVE "
        "BILATERAL RELATIONSHIP FORWARD  REF: LONDON DAILY 11/3/09  Classified By: Deputy "
        "Chief of Mission Richard LeBaron, reasons 1.4 (b,d).\n",
        "MILIBAND'S RUSSIA TRIP AIMS TO MOVE BILATERAL RELATIONSHIP FORWARD",
        None,
        id="09LONDON2499",
    ),
    pytest.param(
        "SUBJECT:\n\nEGIS CHIEF SOLIMAN AND U.S. AFRICA COMMAND DISCUSS SUDAN AND SOMALIA "
        "Classified By: Deputy Chief of Mission Matthew H. Tueller for reasons 1.4 (b) and "
        "(d).\n",
        "EGIS CHIEF SOLIMAN AND U.S. AFRICA COMMAND DISCUSS SUDAN AND SOMALIA",
        None,
        id="09CAIRO1787",
    ),
    pytest.param(
        "SUBJECT: FBI DIRECTOR MUELLER’S VISIT TO EGYPTREF: CAIRO 493\n\n"
        "Classified by DCM Stuart Jones for reasons 1.4 (b) and (d).\n",
        "FBI DIRECTOR MUELLER’S VISIT TO EGYPT",
        None,
        id="06CAIRO941",
    ),
    pytest.param(
        "SUBJECT: FBI DIRECTOR MUELLER&#8217;S VISIT TO EGYPT\n",
        "FBI DIRECTOR MUELLER’S VISIT TO EGYPT",
        None,
        id="06CAIRO941-html-reference",
    ),
    pytest.param(
        "TAGS: PREL PTER KISL PGOV PINR SOCI SCUL KPAO NL\n"
        "SUBJECT: ISLAMIC EDUCATION IN THE NETHERLANDS\n"
        "THE HAGUE 00001001 001.2 OF 002\n"
        "SENSITIVE BUT UNCLASSIFIED. PLEASE HANDLE ACCORDINGLY.\n\n"
        "REF: THE HAGUE 00149\n",
        "ISLAMIC EDUCATION IN THE NETHERLANDS",
        None,
        id="06THEHAGUE1001",
    ),
    pytest.param(
        "SUBJECT: AZERBAIJAN’S RITICAL ENERGY INFRASTRUCTURE \nVULNERABLE TO TERRRISM\n"
        "BAKU 00000855 001.2 OF 004\n"
        "Classified By: Charge d’Affaires Donald Lu per 1.4 (b,d).\n",
        "AZERBAIJAN’S RITICAL ENERGY INFRASTRUCTURE VULNERABLE TO TERRRISM",
        None,
        id="07BAKU855",
    ),
    pytest.param(
        "SUBJECT: KASHMIR: PENDING EXECUTION CAUSING STRIFE FOR CONGRESS NEW DELHI 00007273  "
        "001.2 OF 003 \n\nClassified By: PolCouns Ted Osius for Reasons 1.4 (B, D) \n",
        "KASHMIR: PENDING EXECUTION CAUSING STRIFE FOR CONGRESS",
        None,
        id="06NEWDELHI7273",
    ),
    pytest.param(
        "SUBJECT: (CUBA IS) A STATE ON THE TAKE \n\nREF: HAVANA 8769 \n",
        "(CUBA IS) A STATE ON THE TAKE",
        None,
        id="06HAVANA8986",
    ),
    pytest.param(
        "TAGS PGOV, PREL, PINR, UK\nSUBJECT: (C/NF) WHO WOULD REPLACE GORDON BROWN AS UK "
        "PRIMEREF: A. LONDON 1939  B. LONDON 1704\n\n"
        "Classified By: Ambassador Robert H. Tuttle, reasons 1.4 b, d.\n",
        "WHO WOULD REPLACE GORDON BROWN AS UK PRIME",
        "C/NF",
        id="08LONDON1991",
    ),
    pytest.param(
        "SUBJECT:  Ambassador delivers Secretary Powell's letter to President Kumaratunga \n"
        "Refs:  (A) 03 Colombo 2200 \n-      (B) 03 State 348254 \n",
        "Ambassador delivers Secretary Powell's letter to President Kumaratunga",
        None,
        id="04COLOMBO11",
    ),
    pytest.param(
        "SUBJECT: LABOR LEADERS DIFFER OVER LULA GOVERNMENT, BUT MOST WORKERS WILL LIKELY "
        "SUPPORT HIS RE-ELECTION SENSITIVE BUT UNCLASSIFIED - PLEASE PROTECT ACCORDINGLY. \n\n"
        "------- SUMMARY ------- \n",
        "LABOR LEADERS DIFFER OVER LULA GOVERNMENT, BUT MOST WORKERS WILL LIKELY SUPPORT HIS "
        "RE-ELECTION",
        None,
        id="06SAOPAULO280",
    ),
    pytest.param(
        "SUBJECT: RUSSIAN SCIEN...\nC O N F I D E N T I A L MOSCOW 001704 SIPDIS SIPDIS STATE "
        "FOR EUR/RUS (GUHA), EUR/ACE\n\nClassified By: EST Counselor Daniel O'Grady. "
        "Reasons: 1.4 (d) \n",
        "RUSSIAN SCIEN...",
        None,
        id="07MOSCOW1704",
    ),
    pytest.param(
        "SUBJECT: AS PREDICTED, ITALY’S HUMAN RIGHTS REPORT \n"
        "GENERATES FODDER FOR DOMESTIC POLITICAL MILLS\nREF: A. STATE 40721\n",
        "AS PREDICTED, ITALY’S HUMAN RIGHTS REPORT GENERATES FODDER FOR DOMESTIC POLITICAL MILLS",
        None,
        id="02ROME1196",
    ),
    pytest.param(
        "SUBJECT:  ZANU-PF REPORTEDLY INTERESTED IN DEAL WITH MDC \n"
        "  CONFIDENTIAL\nPAGE 02 HARARE 05461 01 OF 02 271458Z\n"
        "THAT INVOLVES MUGABE’S DEPARTURE\n\nREF: HARARE 5346\n",
        "ZANU-PF REPORTEDLY INTERESTED IN DEAL WITH MDC THAT INVOLVES MUGABE’S DEPARTURE",
        None,
        id="00HARARE5461-page-break",
    ),
    pytest.param(
        "E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, pins, tu Subject: turkish p.m. "
        "Erdogan goes to washington: how strong a leader in the face of strong challenges?\n",
        "turkish p.m. Erdogan goes to washington: how strong a leader in the face of strong "
        "challenges?",
        None,
        id="04ANKARA348",
    ),
    pytest.param(
        "SUBJECT: (CORRECTED COPY) SWISS FOREIGN MINISTER \\\nCALMY-REY EMPHASIZES IMPORTANCE "
        "OF U.S.-SWISS \\\nRELATIONS\\\n \\\n",
        "(CORRECTED COPY) SWISS FOREIGN MINISTER CALMY-REY EMPHASIZES IMPORTANCE OF "
        "U.S.-SWISS RELATIONS",
        None,
        id="06BERN1593",
    ),
    pytest.param(
        "SUBJECT: E.O. 13382 ENTITIES -- EXAMPLES OF PROLIFERATION\n",
        "E.O. 13382 ENTITIES -- EXAMPLES OF PROLIFERATION",
        None,
        id="06WELLINGTON967",
    ),
    pytest.param(
        "TAGS: KCFE NATO PARM RU GG HU\nSUBJECT: DEMARCHE DELIVERED: U.S. PROPOSAL FOR STRONG "
        "NAC \nSTATEMENT ...\n\nC O N F I D E N T I A L BUDAPEST 000807 SIPDIS DEPARTMENT FOR "
        "GEORGIA TASK FORCE AND EUR/CE-JAMIE LAMORE E.O. 12958: DECL: 08/11/2018 TAGS: KCFE "
        "NATO PARM RU GG HU\n\nSUBJECT: DEMARCHE DELIVERED: U.S. PROPOSAL FOR STRONG NAC "
        "STATEMENT CONDEMNING RUSSIAN ACTIONS IN GEORGIA REF: SECSTATE 85678 Classified By: "
        "PolOff Ryan C. Leong, reasons 1.4(b) and (d). \n",
        "DEMARCHE DELIVERED: U.S. PROPOSAL FOR STRONG NAC STATEMENT CONDEMNING RUSSIAN "
        "ACTIONS IN GEORGIA",
        None,
        id="08BUDAPEST807-truncated-then-full",
    ),
    pytest.param(
        "SUBJ: (SBU) CHINA'S NEW LEADERS\n\n",
        "CHINA'S NEW LEADERS",
        "SBU",
        id="subj-label-apostrophe",
    ),
]


@pytest.mark.parametrize(("snippet", "subject", "mark"), CASES)
def test_subject_in_a_cable(snippet, subject, mark):
    cable = parse_header_snippet(snippet)
    assert (cable.subject, cable.subject_classification) == (subject, mark)


def test_inline_ref_after_subject_goes_to_references():
    cable = parse_header_snippet(
        "SUBJECT: GENERAL PETRAEUS’ VISIT TO BAHRAINREF: MANAMA 510Classified By: CDA "
        "CHRISTOPHER HENZEL FOR REASONS 1.4 (b) and (d)\n",
        station="MANAMA",
        serial=541,
        year=2008,
    )
    assert cable.subject == "GENERAL PETRAEUS’ VISIT TO BAHRAIN"
    assert [r.reference_id for r in cable.references] == ["08MANAMA510"]


def test_no_subject_in_prose():
    assert parse_subject("THEM SUBJECT TO THE ANTI-TERRORISM ACT.\n")[0] is None


def test_page_marker_keeps_the_words_before_it():
    line = "IN THE NETHERLANDS THE HAGUE 00001001 001.2 OF 002"
    assert strip_page_markers(line).strip() == "IN THE NETHERLANDS"


def test_long_line_is_fast():
    import time

    text = "SUBJECT: " + "A " * 50_000 + "\n" + ("x" * 100_000) + "\n"
    start = time.perf_counter()
    parse_subject(text)
    parse_subject("SUBJECT: " + " " * 100_000 + "REF" * 20_000)
    parse_subject("SUBJECT: X\n" + ("A" * 1_000 + " 00001234 001.2 OF 003 ") * 100)
    parse_subject("TAGS: X SUBJECT" + " " * 100_000 + "\n")
    assert time.perf_counter() - start < 1.0
