"""The TAGS line."""

from __future__ import annotations

import re

from .fields import FIELD_SCAN

# ----------------------------------------------------------------------- TAGS
TAGS_RE = re.compile(r"^[ \t]*(?:TAGS?\b|[Tt]ags?:)[ \t]*:?[ \t]*(?P<tags>[^\n]*)", re.M)
_NEXT_FIELD_RE = re.compile(
    r"^\s*(?:SUBJ|SUBJECT|REF|REFS|CLASSIFIED|E\.?\s?O\b|¶|\d+\s*\.|\(|[A-Z]\.\s)", re.I
)
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9&/_-]*")
_NOT_TAGS = frozenset({"SIPDIS", "NOFORN", "AND", "SUBJECT", "SUBJ", "TAGS", "TAG"})
_KNOWN_TAGS_TEXT = """
    ABLD ADCO ADPM AEMR AFIN AGAO AINF AINR AMED AMGT AMGMT AODE AORC APCS APER ASEC ASIG
    ASUP BEXP BTIO CASC CBW CDB CJAN CMGT CPAS CVIS EAGR EAID EAIR ECIN ECON ECPS EFIN EFIS
    EINT EINV ELAB ELTN EMIN ENRG ENVR EPET ETRD ETTC EWWT IAEA KACT KAWC KBCT KCFE KCOR
    KCRM KCIP KDEM KDRG KFRD KGHG KGIC KHIV KHLS KIPR KIRF KISL KJUS KMCA KMDR KMPI KNNP
    KOCI KOMC KPAL KPAO KPKO KPLS KPRP KRVC KSCA KSEP KSPR KSTC KSUM KTDB KTEX KTFN KTIA
    KTIP KUNR KWBG KWMN MARR MASS MCAP MNUC MOPS NATO OEXC OIIP OPDC OREP OSCE OTRA OVIP
    PARM PBTS PGOV PHSA PHUM PINR PINS PKAO PMIL PNAT PREF PREL PROP PTER SCUL SENV SMIG
    SNAR SOCI SPCE TBIO TINT TNGD TPHY TRGY TSPA TSPL UNGA UNSC
"""
KNOWN_TAGS = frozenset(_KNOWN_TAGS_TEXT.split())


def parse_tags(text: str) -> tuple[tuple[str, ...], int]:
    match = TAGS_RE.search(text, 0, FIELD_SCAN)
    if not match:
        return (), -1
    chunks = [match.group("tags")]
    end = match.end()
    while end < len(text):
        nl = text.find("\n", end + 1)
        nl = len(text) if nl < 0 else nl
        line = text[end + 1 : nl]
        if not line.strip() or _NEXT_FIELD_RE.match(line) or len(line) > 120:
            break
        if not re.fullmatch(r"[\sA-Z0-9,;&/_()\[\]#-]+", line):
            break
        chunks.append(line)
        end = nl
    raw = _LINK_RE.sub(r" \1 ", " ".join(chunks))
    subject = re.search(r"\bSUBJ(?:ECT)?\b", raw)
    if subject:
        raw = raw[: subject.start()]
    tags: list[str] = []
    for token in _TAG_TOKEN_RE.findall(raw):
        token = token.upper().strip("-/")
        if not token or token in _NOT_TAGS:
            continue
        if token.endswith("SIPDIS") and len(token) > 6:
            token = token[:-6]
        tags.extend(_split_run_together(token))
    return tuple(dict.fromkeys(tags)), end


def _split_run_together(token: str) -> list[str]:
    if len(token) >= 8 and len(token) % 4 == 0 and token not in KNOWN_TAGS:
        parts = [token[i : i + 4] for i in range(0, len(token), 4)]
        if all(p in KNOWN_TAGS for p in parts):
            return parts
    return [token]
