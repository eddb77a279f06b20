"""The vocabulary of titles and offices found around a classifier's name.

``is_title_word(token)`` says whether one token of a Classified By line belongs to the
title (``Ambassador``, ``Amb.``, ``Ambasador``, ``DCM``, ``A/DCM``, ``PolCouns``,
``MinCouns``, ``d'Affaires``, ``a.i.``, ``Embassy``, ``EUR/RUS`` ...) rather than to the
name. Titles are written in full, abbreviated, run together (``POLMINCOUNS``,
``EconMinCouns``) and misspelt (``Minster``, ``Ambassdor``, ``Counselour``); the checks
below cover the vocabulary, compounds of known abbreviations, and one-letter typos of
the long words.
"""

from __future__ import annotations

import unicodedata

_WORDS_TEXT = """
ACTING ACTG ACTIING ADMINISTRATOR ARMS ARSO ADVISER ADVISOR AFFAIRES AFFAIRS AFFAIR AGENCY
AGRICULTURAL AMB AMBASSADOR
AMBASSADOR-AT-LARGE AMBASSADOR-DESIGNATE ALTERNATE AMCONGEN AMCONSUL AMEMBASSY
ANALYST ASSISTANT ASSOCIATE ATTACHE ATTACHÉ BRANCH BUREAU CDA CG CHARGE CHARGÉ CHARG CHG CHIEF
CHEIF CMDR COM COMMANDER COMMERCIAL CONGEN CONSUL CONSULAR CONSULATE CONSUL-GENERAL CONTROL
COORDINATOR COORDINATING COUNS COUNSE COUNSEL COUNSELOR COUNSELLOR COUNCELOR COUNCELLOR
COUNSELOR-DESIGNATE DAS DCM ADCM DEFENSE DEPARTMENT DEPT DEPUTY DESK DIR DIRECTOR DIRECTORATE
DIVISION DOS DEPT. ECON ECONOMIC ECONOMICS ECONOFF ECONCOUNS ECONMIN ECMIN ECOPOL ECONPOL ECPO
EMIN EPOL ECON-POLITICAL ECONOMIC-POLITICAL ECONOMIC/POLITICAL EMBASSY ENERGY ENVIRONMENT
ENVIRONMENTAL EXEC EXECUTIVE EXO FIRST FOREIGN GENERAL GLOBAL INTERAGENCY INTERIM
INTERNAL INTERNATIONAL ISSUES LEGAL LIAISON MANAGEMENT MGMT MIL MILITARY MIN MINCOUNS
MINISTER MINISTER-COUNSELOR MINISTER-COUNSELLOR MISSION NARCOTICS NARCOTIC NUCLEAR OFFICE
OFFICER OFFICIAL OPERATIONS PDAS PERMANENT POL POLCOUNS POLCOUNSELOR POLEC POLECON
POLITICAL POLITICL POLITICAL-ECONOMIC POLITICAL-MILITARY POLITICAL/ECONOMIC POLITICO-MILITARY
POL-ECON POL-ECONOMIC POL-MIL POLMIL POLMINCOUNS POLOFF POLOFFS PRESS PRINCIPAL PRINCIPLE
PROVINCIAL PUBLIC RECONSTRUCTION REGIONAL REPRESENTATIVE RSO SCIENCE SECRETARY SECTION
SECURITY SENIOR SPECIAL STATE TEAM TECHNOLOGY TRADE UNDER UNDERSECRETARY UNIT US U.S. USA
USUN USEU USNATO USOSCE USAID WATCH PRT A.I. A.I AI CONSULATE-GENERAL D'AFFAIRES DAFFAIRES
D'AFFAIRS D'AFFAI D' CHARGE' CHARGE'D'AFFAIRES ECONOMIC-POLITICAL-MILITARY SUB-NATIONAL
GOVERNANCE OPS PROGRAM PROGRAMS DEVELOPMENT POLICY STRATEGIC DESIGNATE ASST DEP SECSTATE
REPRESENTATIVE. OIC MANAGER MANAGING COMMISSIONER COMMISSION NATO EU UN OSCE SR DEPUTYCHIEF
DEPCHIEF POLICE PM PA PAO PAS PE MC ESTH RPSO REFCOORD LEGATT DATT DAO ODC MLO ORA IRPO AIT
COORDINATOR. ISN EUR NEA WHA AF EAP SCA INR IO DRL EEB OES CA DS PRM INL CT SES OMS EXO
FSO EMBOFF CONOFF CONSOFF ECOFF POLECONOFF MGT OFFICE. HQ HEADQUARTERS
"""
WORDS = frozenset(_WORDS_TEXT.split())

# Words that join the parts of a title ("Counselor for Political Affairs",
# "Deputy Chief of Mission", "Minister Counselor for Economic and Political Affairs").
CONNECTORS = frozenset({"FOR", "OF", "AND", "THE", "TO", "ON", "IN", "AT", "&", "-", "--"})

# Abbreviations that run together into one word: PolMinCouns, EconCouns, POLOFF, PolMC.
_MORPHEMES_TEXT = """
    POL POLIT POLITICAL ECON ECO ECONOMIC MIN MINISTER COUNS COUN COUNSELOR COUNSELLOR
    OFF OFFICER MC CHIEF DCM CDA AMB EMIN ECPO EPOL MIL DEP DEPUTY DIR ACT ACTING PRIN
    PAO RSO CG CONS CONSUL GEN OFFICE MGMT ADMIN SECT SEC PE ENV SCI TECH EST ESTH PUB
    PUBLIC AFF AFFAIRS COORD LEGAL DEF ATT ATTACHE NAS"""
_MORPHEMES = frozenset(_MORPHEMES_TEXT.split())

# One-letter typos of these are titles too (Minster, Ambasador, Counselour, Poltical).
_FUZZY = (
    "AMBASSADOR",
    "COUNSELOR",
    "COUNSELLOR",
    "POLITICAL",
    "ECONOMIC",
    "MINISTER",
    "DIRECTOR",
    "OFFICER",
    "DEPUTY",
    "AFFAIRES",
    "AFFAIRS",
    "PRINCIPAL",
    "CONSULATE",
    "SECRETARY",
    "ASSISTANT",
    "COORDINATOR",
    "REPRESENTATIVE",
    "MISSION",
    "EMBASSY",
    "DEPARTMENT",
    "MANAGEMENT",
)

# Title words that are also surnames: a title only right after another title word
# ("PRT Team Leader John Doe", "Section Head ...", but "CDA Damian R. Leader").
AFTER_TITLE = frozenset({"LEADER", "HEAD"})

_PARTICLES_TEXT = "VAN VON DE DER DEN DES DA DEL DELLA DI DU LA LE BIN BEN AL EL DOS DAS TER TEN Y"
PARTICLES = frozenset(_PARTICLES_TEXT.split())
SUFFIXES = frozenset({"JR", "JR.", "SR", "SR.", "II", "III", "IV"})


def fold(token: str) -> str:
    """Upper case, curly quotes made straight, accents removed, outer punctuation off."""
    token = token.replace("\u2019", "'").replace("`", "'").replace("\u2018", "'")
    if not token.isascii():
        token = "".join(
            ch for ch in unicodedata.normalize("NFKD", token) if not unicodedata.combining(ch)
        )
    return token.upper().strip(',;:"()[]')


def _within_one(word: str, target: str) -> bool:
    """Edit distance (insert, delete, substitute, swap) at most one."""
    lw, lt = len(word), len(target)
    if abs(lw - lt) > 1:
        return False
    i = 0
    while i < min(lw, lt) and word[i] == target[i]:
        i += 1
    if lw == lt:
        if word[i + 1 :] == target[i + 1 :]:
            return True
        return (
            i + 1 < lw
            and word[i] == target[i + 1]
            and word[i + 1] == target[i]
            and word[i + 2 :] == target[i + 2 :]
        )
    if lw > lt:
        return word[i + 1 :] == target[i:]
    return word[i:] == target[i + 1 :]


def _compound(word: str) -> bool:
    """``POLMINCOUNS`` = POL + MIN + COUNS: at least two known abbreviations."""
    n = len(word)
    if n < 4 or n > 24 or not word.isalpha():
        return False
    best = [0] + [-1] * n  # best[i]: most parts covering word[:i], -1 if none
    for i in range(n):
        if best[i] < 0:
            continue
        for j in range(i + 2, min(n, i + 10) + 1):
            if word[i:j] in _MORPHEMES and best[i] + 1 > best[j]:
                best[j] = best[i] + 1
    return best[n] >= 2


def is_title_word(token: str) -> bool:
    word = fold(token)
    if not word:
        return False
    bare = word.rstrip(".")
    if word in WORDS or bare in WORDS:
        return True
    if word.startswith("D'") and bare[2:] in WORDS:  # d'Affaires, D'AFFAIRS
        return True
    if "/" in bare:  # A/DCM, P/E, M/C, EUR/RUS, INR/OPS, S/ES-O, U/S
        return True
    if bare.startswith(("AMBAS", "AMBSS", "AMBASS")):
        return True
    parts = [p for p in bare.replace("-", " ").split() if p]
    if len(parts) > 1 and all(p in WORDS or _compound(p) for p in parts):
        return True
    if _compound(bare):
        return True
    if len(bare) >= 6 and bare.isalpha():
        return any(_within_one(bare, target) for target in _FUZZY)
    return False
