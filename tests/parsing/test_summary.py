"""The summary on real snippets from the Cablegate corpus (cable id as param id)."""

from __future__ import annotations

import pytest

from cables.parsing.summary import find_summary

from .snippets import parse_header_snippet

CASES = [
    # (cable id, snippet, summary)
    (
        "09TRIPOLI258",
        "\u00b61. (C ) Summary: On March 24, the Ambassador met with Mohammad Ali al-Hweij. "
        "He pledged his ministry's help. End summary.",
        "On March 24, the Ambassador met with Mohammad Ali al-Hweij. He pledged his "
        "ministry's help.",
    ),
    (
        "05LIMA4861",
        "Classified By: Political Counselor Alexander Margulies.  Reason:  1.4(b/d).\n\n"
        "----------\nSUMMARY\n----------\n\n\u00b61.  (C)  Former President Alberto "
        "Fujimori's arrest in Chile\nsurprised everyone.\n\n\u00b62. (C) Next paragraph.",
        "Former President Alberto Fujimori's arrest in Chile surprised everyone.",
    ),
    (
        "08TRIPOLI541",
        "CLASSIFIED BY: John T. Godfrey, CDA. REASON: 1.4 (b), (d) 1. (C)  Summary: "
        "European Union (EU) governments remain concerned.\n\n2. (C) More.",
        "European Union (EU) governments remain concerned.",
    ),
    (
        "09USNATO397",
        "1.(C/REL ISAF) BEGIN SUMMARY: On September 18 the Executive Director briefed at "
        "NATO Headquarters. END SUMMARY",
        "On September 18 the Executive Director briefed at NATO Headquarters.",
    ),
    (
        "09TELAVIV457",
        "\u00b61.  (C)  SUMMARY  During their trip to Israel, CODEL Cardin\ndiscussed Iran. "
        "END SUMMARY",
        "During their trip to Israel, CODEL Cardin discussed Iran.",
    ),
    (
        "09CAIRO255",
        "1.(C) Summary and comment: On February 11, Egyptian State Security released "
        "blogger and activist Philip Rizk.\n\n2.(C) More.",
        "On February 11, Egyptian State Security released blogger and activist Philip Rizk.",
    ),
    (
        "09LIMA345",
        "\u00b61. (SBU) Introduction and Summary: The Garcia Administration's efforts have "
        "been stronger. End Introduction and Summary.",
        "The Garcia Administration's efforts have been stronger.",
    ),
    (
        "10BRASILIA19",
        "\u00b61. (C) Summary: Brazil committed to send up to an additional 1300 troops. End\n"
        "Summary.\n\nMOD: GOOD COOPERATION BETWEEN FORCES, HOPE FOR MORE",
        "Brazil committed to send up to an additional 1300 troops.",
    ),
    (
        "07BERN258",
        "Classified By: Ambassador Peter Coneway, Reasons 1.4 b/d \\\n \\\n"
        "Summary \\\n------- \\\n \\\n1.(C/NF) Swiss State Secretary of Foreign Affairs "
        "Michael \\\nAmbuehl met the Ambassador. \\\n \\\n2. (C) More.",
        "Swiss State Secretary of Foreign Affairs Michael Ambuehl met the Ambassador.",
    ),
    (
        "08MEXICO714",
        "  \u00b61.  C)  Summary  DHS Secretary Chertoff stressed with\nMexico's Minister "
        "the importance.  End Summary.",
        "DHS Secretary Chertoff stressed with Mexico's Minister the importance.",
    ),
    (
        "06NEWDELHI3506",
        "\u00b61. (C) Summary: The Taliban came calling. (END SUMMARY)",
        "The Taliban came calling.",
    ),
]


@pytest.mark.parametrize(("snippet", "summary"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_summary_snippet(snippet, summary):
    assert parse_header_snippet(snippet).summary == summary


def test_summary_in_prose_is_not_a_summary():
    body = "\u00b61. (C) The Ambassador said a summary of the talks was sent.\n\n\u00b62. (C) x.\n"
    assert find_summary(body, 0) is None


def test_summary_long_lines_are_fast():
    body = "\u00b61. (C) Summary: " + "word " * 40_000 + "\n" + " " * 100_000
    assert find_summary(body, 0).startswith("word word")
