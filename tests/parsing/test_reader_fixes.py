"""Issue 14's parser items on real snippets: headings glued to paragraphs, page breaks
inside a sentence, REF year suffixes, truncated REFs and self-references."""

from __future__ import annotations

import pytest

from cables.parsing import parse_cable
from cables.parsing.body import split_heading
from cables.parsing.pagebreaks import strip_page_breaks
from cables.parsing.references import cited_ids, find_ref_block, parse_references
from tests.cabletext import cable_text
from tests.conftest import corpus_path

# 09WARSAW1139 ¶3 (its end) and the heading line under it
WARSAW_P3 = (
    "The Polish side included Deputy Foreign Minister Jacek Najder; MG Mieczyslaw "
    "Gocul, Chief of Strategic Planning Directorate, General Staff of the Armed Forces; "
    "and Piotr Pacholski, MOD Director of the Missile Defense Office.\n"
    "NEW BMD ARCHITECTURE IN EUROPE"
)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        (WARSAW_P3, "NEW BMD ARCHITECTURE IN EUROPE"),
        ("The minister agreed.\n\nGROUND BASED INTERCEPTORS", "GROUND BASED INTERCEPTORS"),
        # not headings: a wrapped line, a marker, a one-word name, an END line
        ("He said the talks went\nWELL ENOUGH FOR NOW", None),
        ("The talks went well.\nSIPDIS", None),
        ("The talks went well.\nCELLUCCI", None),
        ("The talks went well.\nEND SUMMARY", None),
        ("The talks went well.\nTHE TALKS WENT WELL.", None),
        # an all-capitals cable: every line looks like a heading, none is split off
        ("THE MINISTER AGREED.\nNEW BMD ARCHITECTURE", None),
    ],
)
def test_a_heading_line_is_split_off_a_paragraph(text, heading):
    rest, found = split_heading(text)
    assert found == heading
    assert rest == (text if heading is None else text[: text.rfind("\n")].rstrip())


def test_a_heading_is_its_own_paragraph_element():
    text = (
        "UNCLAS WARSAW 001139\n\nE.O. 12958: N/A\nTAGS: PREL MARR PL\n"
        "SUBJECT: CONSTRUCTIVE PROGRESS ON BMD\n\n"
        f"¶3. (U) {WARSAW_P3}\n\n¶4. (S) Undersecretary Komorowski began.\n"
    )
    paragraphs = parse_cable(text).paragraphs
    assert [(p.number, p.heading) for p in paragraphs] == [(3, False), (None, True), (4, False)]
    assert paragraphs[0].text.endswith("Missile Defense Office.")
    assert paragraphs[1].text == "NEW BMD ARCHITECTURE IN EUROPE"


# 09STATE97244: the newer page marker inside a sentence, and between two items
STATE_BREAK = (
    "proliferation poses an increasing threat to Allies' forces,\n"
    "\n"
    "STATE 00097244 003 OF 006\n"
    "\n"
    "\n"
    "territory, and populations.\n"
    "\n"
    "- As a result, NATO has noted the significant contribution to\n"
    "acquiring, missile defense capabilities.\n"
    "\n"
    "STATE 00097244 004 OF 006\n"
    "\n"
    "- At the 2008 Summit, NATO leaders agreed to consider options"
)


def test_a_page_break_inside_a_sentence_leaves_no_gap():
    out = strip_page_breaks(STATE_BREAK)
    assert "Allies' forces,\nterritory, and populations." in out
    assert "capabilities.\n\n- At the 2008 Summit" in out  # a real boundary is kept
    assert "00097244" not in out


def test_a_section_restart_inside_a_sentence_leaves_no_gap():
    text = (
        "the delegation will meet the\n\n"
        "C O N F I D E N T I A L SECTION 02 OF 02 ROME 003639\n\n"
        "SIPDIS\n\nminister on Tuesday."
    )
    assert strip_page_breaks(text) == "the delegation will meet the\nminister on Tuesday."


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("LIMA 248 (06)", [(2006, "LIMA", 248)]),
        ("LIMA 4516 (06)", [(2006, "LIMA", 4516)]),
        ("THE HAGUE 3128 (2005)", [(2005, "THEHAGUE", 3128)]),
        # 09SAOPAULO663: the suffix is BRASILIA's, not a prefix of the next item
        ("BRASILIA 709 (08) SAO PAULO 542", [(2008, "BRASILIA", 709), (None, "SAOPAULO", 542)]),
        ("08 SAO PAULO 542", [(2008, "SAOPAULO", 542)]),
        # 07LIMA1862: an extract cut inside the year: which cable is not known
        ("LIMA 4968 (0..", []),
    ],
)
def test_ref_year_suffixes(item, expected):
    assert cited_ids(item) == expected


# 07LIMA1862 as the mirror printed it: the extract stops inside REF D, then the
# site's record block follows with no blank line
LIMA_TRUNCATED = (
    "SUBJECT: CLOCK TICKING FOR GARCIA IN THE HIGHLANDS \n"
    " \n"
    "REF: A. LIMA 4516 (06) \n"
    " \n"
    "     ¶B. LIMA 248 (06) \n"
    "     ¶C. LIMA 37 (05) \n"
    "     ¶D. LIMA 4968 (0..\n"
    "id: 109673\n"
    "date: 5/24/2007 17:21\n"
    "refid: 07LIMA1862\n"
    "origin: Embassy Lima\n"
    "destination: 07LIMA4516\n"
)


def test_a_truncated_ref_does_not_swallow_the_record_after_it():
    block, _, _ = find_ref_block(LIMA_TRUNCATED, 0, len(LIMA_TRUNCATED))
    assert "id:" not in block and "refid" not in block
    refs = parse_references(block, 2007, 5, None, ("LIMA", 1862))
    assert [(r.letter, r.reference_id) for r in refs] == [
        ("A", "06LIMA4516"),
        ("B", "06LIMA248"),
        ("C", "05LIMA37"),
        ("D", None),
    ]
    assert refs[-1].text == "LIMA 4968 (0.."


def test_a_cable_never_cites_itself():
    refs = "A. LIMA 1862 (07) B. 07 LIMA 1862 C. LIMA 37 (05)"
    cable = parse_cable(cable_text(station="LIMA", serial=1862, year=2007, refs=refs))
    assert cable.reference_id == "07LIMA1862"
    assert [r.reference_id for r in cable.references] == ["05LIMA37"]


@pytest.mark.parametrize("reference_id", ["09STATE96550", "09STATE97244"])
def test_the_talking_points_phrase_reads_whole_in_both_cables(reference_id):
    text = corpus_path("cablegate", "txt", f"{reference_id}.txt").read_text(encoding="utf-8")
    flat = [" ".join(p.text.split()) for p in parse_cable(text).paragraphs]
    assert any("increasing threat to Allies' forces, territory, and populations" in t for t in flat)


def test_warsaw_1139_heading_in_the_corpus():
    text = corpus_path("cablegate", "txt", "09WARSAW1139.txt").read_text(encoding="utf-8")
    paragraphs = parse_cable(text).paragraphs
    i = next(i for i, p in enumerate(paragraphs) if p.number == 3)
    assert paragraphs[i].text.endswith("Missile Defense Office.")
    assert paragraphs[i + 1].heading and paragraphs[i + 1].text == "NEW BMD ARCHITECTURE IN EUROPE"
