"""Page breaks of the telegram formats never reach a field or a paragraph (real
snippets: 00HARARE5461, 01VATICAN5693, 02ROME3639, 05NEWDELHI9127)."""

from __future__ import annotations

import pytest

from cables.parsing.pagebreaks import strip_page_breaks
from tests.parsing.snippets import parse_header_snippet
from tests.parsing.timing import SIZES, growth, linear

OLD_FORMAT = """\
E.O. 12958: DECL: 09/21/10
TAGS: PGOV PINS ZI
SUBJECT: TALKING ABOUT A DEAL WITH ZANU-PF
REF: HARARE 5346  CONFIDENTIAL
PAGE 02 HARARE 05461 01 OF 02 271458Z

CLASSIFIED BY DCM EARL IRVING. REASONS: 1.5 (B) AND (D).

¶1. (C) THE CHALLENGE, XXXXXXXXXXXX SAID, IS  CONFIDENTIAL
PAGE 02 HARARE 05461 02 OF 02 271459Z CONVINCING ZANU-PF AND THE MDC TO SIT IN A ROOM.

¶2. (C) DEPUTY FOREIGN MINISTER MIGLIORE CALLED IN CHARGE
                       CONFIDENTIAL

PAGE 02        VATICA  05693  01 OF 02  021700Z
TO PRESENT A PRO MEMORIA ON THE SITUATION IN THE CONGO.
"""

SECTION_RESTART = """\
E.O. 12958: DECL: 07/19/2012
TAGS: PGOV ECON IT
SUBJECT: BOSSI ON ITALIAN POLITICS, DEVOLUTION, IMMIGRATION
AND THE EU

¶1. (C) THE NEXT STEP -- IN 2003 -- WILL BE TO CHANGE THE

                       CONFIDENTIAL

                           CONFIDENTIAL     PTQ4581

PAGE 01        ROME  03639  02 OF 03  231627Z
ACTION EUR-00

INFO  LOG-00   NP-00    AGRE-00  AID-00   ACQ-00   CA-01    CEA-01
      SAS-00     /018W
                  ------------------CF2A6B  231627Z /38
P 231625Z JUL 02
FM AMEMBASSY ROME
TO SECSTATE WASHDC PRIORITY 5040
INFO EU MEMBER STATES COLLECTIVE

C O N F I D E N T I A L SECTION 02 OF 03 ROME 003639

SIPDIS

E.O. 12958: DECL: 07/19/2012
TAGS: PGOV ECON PINR ELAB IT EUN ITPGOV
SUBJECT: BOSSI ON ITALIAN POLITICS, DEVOLUTION, IMMIGRATION
AND THE EU

CONSTITUTIONAL COURT BY ADDING REGIONAL GOVERNMENT
REPRESENTATIVES.
"""

NEW_FORMAT = """\
TAGS: PTER PGOV KISL IN
SUBJECT: INDIA'S DEMOCRACY AND ECONOMY MINIMIZE EXTREMIST
RECRUITMENT OF JUVENILES (C-CT5-00623)
REF: STATE 211901
NEW DELHI 00009127 001.2 OF 006
Classified By: POLCOUNS Geoffrey R. Pyatt for Reasons 1.4 (B, D)
¶1. (C) Muslims generally join secular parties, although the BJP
NEW DELHI 00009127 002.2 OF 006
does have Muslim members as well.
"""


def test_old_format_page_headers_are_removed():
    text = strip_page_breaks(OLD_FORMAT)
    assert "PAGE 02" not in text
    assert "CONFIDENTIAL" not in text
    assert "IS CONVINCING ZANU-PF" in text
    assert "CALLED IN CHARGE\nTO PRESENT" in text


def test_a_later_section_restart_is_removed():
    text = strip_page_breaks(SECTION_RESTART)
    assert "PAGE 01" not in text and "ACTION EUR" not in text and "SECTION 02" not in text
    assert text.count("SUBJECT:") == 1 and text.count("TAGS:") == 1
    assert "CHANGE THE\n" in text and "CONSTITUTIONAL COURT" in text


def test_new_format_page_markers_are_removed():
    text = strip_page_breaks(NEW_FORMAT)
    assert "00009127" not in text
    assert "the BJP\ndoes have" in text


@pytest.mark.parametrize(
    ("snippet", "refs"),
    [(OLD_FORMAT, ["00HARARE5346"]), (SECTION_RESTART, []), (NEW_FORMAT, ["00STATE211901"])],
)
def test_no_field_or_paragraph_holds_a_page_break(snippet, refs):
    cable = parse_header_snippet(snippet, station="HARARE", serial=5461, year=2000)
    words = [
        *cable.tags,
        cable.subject or "",
        *(r.text for r in cable.references),
        *(r.reference_id or "" for r in cable.references),
        *(p.text for p in cable.paragraphs),
    ]
    for word in words:
        assert "PAGE 0" not in word
        assert "00009127" not in word
        assert "PTQ4581" not in word
    assert "PAGE" not in cable.tags
    assert [r.reference_id for r in cable.references] == refs  # the REF, whole


def test_raw_text_is_kept_verbatim():
    cable = parse_header_snippet(OLD_FORMAT, station="HARARE", serial=5461, year=2000)
    assert "PAGE 02 HARARE 05461 02 OF 02 271459Z" in cable.body


def test_linear_on_long_lines():
    """1 KB, 10 KB, 100 KB of the same long lines: CPU time (best of three) grows at
    most linearly, a ratio within one run (``tests/parsing/timing.py``)."""

    def run(n: int) -> None:
        strip_page_breaks(
            "x" + " " * n + "CONFIDENTIAL\nPAGE 02 ROME 03067 211833Z\n" + "PAGE " * (n // 5)
        )

    times = growth(run)
    assert len(times) == len(SIZES) and linear(times), times


def test_linear_with_many_page_headers_after_a_long_line():
    def run(n: int) -> None:
        strip_page_breaks("x" * n + "\n" + "PAGE 02 ROME 03067 211833Z more text\n" * (n // 36))

    times = growth(run)
    assert len(times) == len(SIZES) and linear(times), times


def test_a_page_marker_run_into_a_paragraph_is_removed():
    # 08TBILISI1379: the marker sits in the middle of a flattened paragraph
    snippet = (
        "TAGS: PREL GG RS\nSUBJECT: GEORGIA: SITREP 10\n\n"
        "¶5. (C) Officials heard that ships with Armenian-bound goods were allowed to "
        "deliver, while ships delivering TBILISI 00001379 002 OF 002 goods for Georgia "
        "were turned away.\n"
    )
    cable = parse_header_snippet(snippet, station="TBILISI", serial=1379, year=2008)
    text = " ".join(p.text for p in cable.paragraphs)
    assert "00001379" not in text and "TBILISI" not in text
    assert "ships delivering goods for Georgia" in " ".join(text.split())
    assert "TBILISI 00001379 002 OF 002" in cable.body  # the stored text is verbatim
