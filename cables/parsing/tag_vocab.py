"""What the TAGS reader checks tokens against (pure Python, no Django).

``KNOWN_CODES`` comes from the glossary table ``cables/glossary/tags.csv`` (read once at
import): every code there except the rows that are two codes run together (``ECONEFIN``,
which the reader splits) and the person rows (``CLINTON``, which are surnames). The
rest of the module is small hand-made tables: ONE alias table for misspelt well-known
codes, the multi-word free-text tags seen on cables, and the words that are never tags.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

_GLOSSARY = Path(__file__).resolve().parent.parent / "glossary" / "tags.csv"

# The most common codes, in case the glossary file is missing (a trimmed checkout).
_FALLBACK = """
    ABLD ADCO ADPM AEMR AFIN AINF AMGT AODE AORC APER ASEC ASIG BEXP BTIO CASC CMGT CPAS
    CVIS EAGR EAID EAIR ECIN ECON ECPS EFIN EFIS EINV ELAB ELTN EMIN ENRG EPET ETRD ETTC
    EWWT IAEA KCOR KCRM KDEM KFRD KHIV KIPR KIRF KISL KJUS KNNP KPAL KPAO KPKO KTFN KTIP
    KWBG KWMN MARR MASS MCAP MNUC MOPS NATO OEXC OIIP OREP OTRA OVIP PARM PGOV PHUM PINR
    PINS PREF PREL PTER SCUL SENV SMIG SNAR SOCI TBIO UNGA UNSC
"""


def _load() -> tuple[frozenset[str], ...]:
    codes: set[str] = set()
    run_together: set[str] = set()
    organizations: set[str] = set()
    countries: set[str] = set()
    persons: set[str] = set()
    variants: set[str] = set()
    try:
        with _GLOSSARY.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                code = (row.get("code") or "").strip().upper()
                if not code:
                    continue
                if row.get("kind") == "person":
                    persons.add(code)
                elif "run together" in (row.get("meaning") or ""):
                    run_together.add(code)
                else:
                    codes.add(code)
                    if row.get("basis") == "variant":
                        variants.add(code)
                    elif row.get("kind") == "country" and len(code) == 2:
                        countries.add(code)
                    if row.get("kind") == "organization":
                        organizations.add(code)
    except (OSError, csv.Error, UnicodeDecodeError):
        codes = set(_FALLBACK.split())
    sets = (codes, persons, variants, countries, run_together, organizations)
    return tuple(map(frozenset, sets))


#: ``VARIANT_CODES``: the glossary's non-standard forms (``PGOVE``, ``JP``); the reader
#: still maps those that are a slip in a common code (``PGOVE`` -> ``PGOV``).
#: ``COUNTRY_CODES``: the two-letter FIPS country codes. ``RUN_TOGETHER``: the glossary's
#: rows that are codes run together (``ECONEFIN``, ``IRAJ``), always split.
#: ``ORGANIZATIONS``: organisation codes (``UN``, ``GOI``), which may open a free-text
#: tag (``UN SECURITY COUNCIL``).
(KNOWN_CODES, KNOWN_SURNAMES, VARIANT_CODES, COUNTRY_CODES, RUN_TOGETHER, ORGANIZATIONS) = _load()

#: Four-letter subject and program codes common enough that a one-letter slip in them
#: (``PGOVV``, ``PRELP``, ``PTERS``) is read as the code.
_COMMON_CODES_TEXT = """
    AEMR AFIN AMGT AORC APER ASEC CASC CMGT CVIS EAGR EAID EAIR ECIN ECON ECPS EFIN EINV
    ELAB ELTN EMIN ENRG EPET ETRD ETTC EWWT KCOR KCRM KDEM KFRD KGHG KHIV KIPR KIRF KISL
    KJUS KMDR KNNP KPAL KPAO KPKO KTFN KTIP KWBG KWMN MARR MASS MCAP MNUC MOPS OEXC OREP
    OTRA OVIP PARM PGOV PHUM PINR PINS PREF PREL PTER SCUL SENV SMIG SNAR SOCI TBIO TSPA
    """
COMMON_CODES = frozenset(_COMMON_CODES_TEXT.split())

#: THE alias table: misspellings of well-known codes that the general rules (a doubled
#: letter, one letter too many) do not catch: a dropped letter, two letters swapped.
ALIASES = {
    "PRL": "PREL",
    "PRE": "PREL",
    "PGV": "PGOV",
    "PGO": "PGOV",
    "PTR": "PTER",
    "PHU": "PHUM",
    "MAR": "MARR",
    "MAS": "MASS",
    "ETC": "ETTC",
    "OTR": "OTRA",
    "ECN": "ECON",
    "KDM": "KDEM",
    "MUCN": "MNUC",
    "PERL": "PREL",
    "PGVO": "PGOV",
    "PGOB": "PGOV",
    "PHUN": "PHUM",
    "PTRE": "PTER",
    "EOCN": "ECON",
    "KNPP": "KNNP",
    "KWNM": "KWMN",
    "SNRA": "SNAR",
    "PINRS": "PINR",
    "OVP": "OVIP",
    "PNR": "PINR",
}

#: Free-text tags of several words (as written, single spaces) and what they become.
PHRASES = {
    "HUMAN RIGHTS": "HUMAN RIGHTS",
    "DOMESTIC POLITICS": "DOMESTIC POLITICS",
    "COUNTER TERRORISM": "COUNTERTERRORISM",
    "COUNTER-TERRORISM": "COUNTERTERRORISM",
    "IRAQI FREEDOM": "IRAQI FREEDOM",
    "ITALIAN POLITICS": "ITALIAN POLITICS",
    "ITALY NATIONAL ELECTIONS": "ITALY NATIONAL ELECTIONS",
    "ISRAELI PALESTINIAN AFFAIRS": "ISRAELI PALESTINIAN AFFAIRS",
    "GOI EXTERNAL": "GOI EXTERNAL",
    "GOI INTERNAL": "GOI INTERNAL",
    "POLITICAL PARTIES": "POLITICAL PARTIES",
    "FOREIGN POLICY": "FOREIGN POLICY",
    "COUNTRY CLEARANCE": "COUNTRY CLEARANCE",
    "MEETINGS WITH AMBASSADOR": "MEETINGS WITH AMBASSADOR",
    "USEU BRUSSELS": "USEU BRUSSELS",
}
PHRASE_MAX_WORDS = max(len(p.split()) for p in PHRASES)

#: One-word free-text tags seen on cables (for the corpus report; the reader keeps any
#: word it cannot read as a code).
_FREE_WORDS_TEXT = """
    AFGHANISTAN ADANA AU-1 BILAT CODEL COUNTERTERRORISM DPRK ECONOMICS ELECTIONS GANGS
    INDIA-BURMA OFFICIALS POLITICS REGION TERRORISM TURKEY UNGA/C-6
    """
FREE_WORDS = frozenset(_FREE_WORDS_TEXT.split())

#: Words on a TAGS line that are never tags: handling caveats, labels, markings.
_NOT_TAGS_TEXT = """
    SIPDIS NOFORN NODIS EXDIS LIMDIS STADIS ORCON NOCONTRACT PROPIN SUBJECT SUBJ TAGS TAG
    AND N/A NONE CONFIDENTIAL SECRET UNCLASSIFIED UNCLAS SENSITIVE
    """
NOT_TAGS = frozenset(_NOT_TAGS_TEXT.split())

#: Given names seen first in person tags written "given surname" (``OVIP (NANCY
#: PELOSI)``): the reader turns those round to surname first.
_GIVEN_NAMES_TEXT = """
    JOHN JAMES ROBERT MICHAEL WILLIAM DAVID RICHARD JOSEPH THOMAS CHARLES CHRISTOPHER
    DANIEL MATTHEW GEORGE DONALD PAUL MARK STEVEN ANDREW KENNETH JOSHUA KEVIN BRIAN
    EDWARD RONALD TIMOTHY JASON JEFFREY RYAN JACOB GARY NICHOLAS ERIC JONATHAN STEPHEN
    LARRY FRANK SCOTT RAYMOND GREGORY SAMUEL PATRICK ALEXANDER JACK DENNIS JERRY HENRY
    CARL ARTHUR PETER HAROLD DOUGLAS NANCY HILLARY CONDOLEEZZA MADELEINE MARY PATRICIA
    JENNIFER LINDA ELIZABETH BARBARA SUSAN JESSICA SARAH KAREN LISA BETTY MARGARET
    SANDRA ASHLEY DOROTHY KIMBERLY EMILY DONNA MICHELLE CAROL AMANDA MELISSA DEBORAH
    STEPHANIE REBECCA LAURA SHARON CYNTHIA KATHLEEN AMY SHIRLEY ANNA ANN JOHNNIE BARACK
    JOE JIM BILL BOB TOM DICK CHUCK MIKE DAN TED NEWT HARRY JOHNNY HUGO TONY
"""
GIVEN_NAMES = frozenset(_GIVEN_NAMES_TEXT.split())

#: Words that start a visit tag but are no name (``OVIP CODEL SMITH``).
NOT_NAMES = frozenset(("CODEL", "STAFFDEL", "VISIT", "DELEGATION", "SECRETARY", "PRESIDENT"))

#: Short words that join the words of a free-text tag (``MEETINGS WITH AMBASSADOR``).
CONNECTORS = frozenset(("AND", "OF", "IN", "ON", "TO", "FOR", "THE", "WITH", "AT", "BY"))

_PERSON_RE = re.compile(r"[A-Z][A-Z'.-]*(?: [A-Z][A-Z'.-]*)*, [A-Z][A-Z'. -]*")
_FREE_RE = re.compile(r"[A-Z][A-Z-]*(?: [A-Z][A-Z-]*)+")


def is_person(tag: str) -> bool:
    """A person tag as the reader writes it: ``SURNAME, GIVEN NAMES``."""
    return bool(_PERSON_RE.fullmatch(tag))


def is_free_text(tag: str) -> bool:
    """An accepted free-text tag: several words, or a known one-word subject."""
    return tag in FREE_WORDS or bool(_FREE_RE.fullmatch(tag))
