"""The header fields of the body: E.O./DECL, TAGS, SUBJECT, REF, Classified By."""

from __future__ import annotations

import re
from datetime import date

from .types import ClassifiedBy

FIELD_SCAN = 30_000  # header fields live in the first part of the body

# ---------------------------------------------------------------- E.O. and DECL
EO_RE = re.compile(
    r"^[ \t¶]*E\s?\.?\s?O\s?\.?[ \t]*(?P<eo>\d{5})\b[ \t]*:?[ \t]*(?P<decl>[^\n]*)",
    re.M | re.I,
)
_DECL_PREFIX_RE = re.compile(r"^(?:DECL(?:ASSIFY)?(?:\s+ON)?)\s*:?\s*", re.I)
_DATE_MDY_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}(?:\d{2})?)\b")
_DATE_YMD_RE = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})\b")


def parse_eo(text: str) -> tuple[str | None, date | str | None, int]:
    """``(eo, declassify_on, end offset)``."""
    match = EO_RE.search(text, 0, FIELD_SCAN)
    if not match:
        return None, None, -1
    decl = match.group("decl")
    tags = re.search(r"\bTAGS\b", decl)
    if tags:
        decl = decl[: tags.start()]
    decl = _DECL_PREFIX_RE.sub("", decl.strip()).strip(" .;,")
    return match.group("eo"), parse_decl(decl), match.end()


def parse_decl(raw: str) -> date | str | None:
    if not raw:
        return None
    for regex, order in ((_DATE_YMD_RE, "ymd"), (_DATE_MDY_RE, "mdy")):
        match = regex.match(raw)
        if match:
            a, b, c = (int(g) for g in match.groups())
            year, month, day = (a, b, c) if order == "ymd" else (c, a, b)
            if year < 100:
                year += 2000 if year < 66 else 1900
            try:
                return date(year, month, day)
            except ValueError:
                break
    return " ".join(raw.split())


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


# -------------------------------------------------------------------- SUBJECT
SUBJECT_RE = re.compile(r"^[ \t]*SUBJ(?:ECT)?\b[ \t]*[:.]?[ \t]*(?P<subject>[^\n]*)", re.M | re.I)
_SUBJECT_STOP_RE = re.compile(
    r"^\s*(?:REF\b|REFS\b|REFTEL|REFERENCE|CLASSIFIED\s+BY|\(U\)\s*CLASSIFIED|¶|\d+\s*\.\s|"
    r"E\.?\s?O\.?\s*\d|TAGS\b|SUMMARY\b|-{3,}|PAGE\s+\d)",
    re.I,
)
_INLINE_REF_RE = re.compile(r"\s+(?:REF|REFS|REFTEL)\s*:\s")
_INLINE_CLASSIFIED_RE = re.compile(r"\s+Classified\s+By\s*:", re.I)
PAGE_MARKER_RE = re.compile(r"\b[A-Z][A-Z ]{1,30}?\s+\d{8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\b")
_SUBJECT_MARK_RE = re.compile(r"^\((?P<mark>[A-Za-z/ ]{1,10})\)\s*")


def parse_subject(text: str) -> tuple[str | None, str | None, str | None, int]:
    """``(subject, subject_classification, inline REF text, end offset)``."""
    match = SUBJECT_RE.search(text, 0, FIELD_SCAN)
    if not match:
        return None, None, None, -1
    lines = [match.group("subject")]
    end = match.end()
    while end < len(text) and len(lines) < 8:
        nl = text.find("\n", end + 1)
        nl = len(text) if nl < 0 else nl
        line = text[end + 1 : nl]
        if not line.strip() or _SUBJECT_STOP_RE.match(line):
            break
        lines.append(line)
        end = nl
    subject = " ".join(" ".join(lines).split())
    inline_ref = None
    ref = _INLINE_REF_RE.search(subject)
    if ref:
        inline_ref = subject[ref.end() :]
        subject = subject[: ref.start()]
    classified = _INLINE_CLASSIFIED_RE.search(subject)
    if classified:
        subject = subject[: classified.start()]
    subject = PAGE_MARKER_RE.sub(" ", subject)
    if inline_ref:
        inline_ref = " ".join(PAGE_MARKER_RE.sub(" ", inline_ref).split())
    subject = " ".join(subject.split())
    mark = None
    marked = _SUBJECT_MARK_RE.match(subject)
    if marked:
        mark = marked.group("mark").upper().replace(" ", "")
        subject = subject[marked.end() :]
    return subject or None, mark, inline_ref, end


# -------------------------------------------------------------- CLASSIFIED BY
CLASSIFIED_RE = re.compile(
    r"^[ \t]*(?:\([A-Z]{1,3}\)[ \t]*)?CLASSIFIED[ \t]+BY\b[ \t]*:?[ \t]*(?P<text>[^\n]*)",
    re.M | re.I,
)
_REASONS_RE = re.compile(
    r"(?:[,;.]?\s*(?:\bFOR\s+)?\bREASONS?\b|[,;.]\s*(?=\b1\.[456]\s*\(?[A-H]\b)|"
    r"\s+(?:PER|UNDER)\s+(?=(?:E\.?\s?O\.?\s*\d{5}\s*,?\s*)?(?:SECTION\s*)?1\.[456]\b)|"
    r"[,;]\s*E\.?\s?O\.?\s*\d{5})"
    r"(?:\s*\(S\))?\s*[:\-]?\s*",
    re.I,
)
_TITLE_WORDS_TEXT = """
    ACTING AMB AMBASSADOR A/DCM ASSISTANT CDA CHARGE CHARGE' CHIEF CONSUL CONSULAR COUNSELOR
    COUNSELLOR D'AFFAIRES DAFFAIRES D'AFFAIRS DCM DEPUTY DIRECTOR ECON ECONOMIC ECONOFF
    ECONOMIC/POLITICAL FOR GENERAL HEAD MINISTER MINISTER-COUNSELOR MISSION OF OFFICER POL
    POL/ECON POLCOUNS POLECON POLITICAL POLMIL POLOFF POLITICAL/ECONOMIC POL-MIL PRINCIPAL
    PRINCIPLE RSO SECRETARY SECTION SENIOR THE AND A.I. A.I AI ADVISOR ADVISER AFFAIRS
    AFFAIRES ASSOCIATE ADMINISTRATOR ATTACHE DEFENSE ECONOMIC-POLITICAL ENERGY ENVIRONMENT
    EXECUTIVE INTERIM MANAGEMENT MILITARY OFFICE PUBLIC REGIONAL SPECIAL UNIT US U.S. USUN
    AMBASSADOR-AT-LARGE COORDINATOR PERMANENT REPRESENTATIVE ALTERNATE EUR NEA WHA AF EAP
    SCA ISN INR PM IO DAS PDAS A/S ECONCOUNS ECON/POL CONGEN POLITICO-MILITARY OFFICER,
    POLITICAL-ECONOMIC DEPT DEPARTMENT STATE
"""
_TITLE_WORDS = frozenset(_TITLE_WORDS_TEXT.split())


def parse_classified_by(text: str) -> tuple[ClassifiedBy | None, str | None, int]:
    match = CLASSIFIED_RE.search(text, 0, FIELD_SCAN)
    if not match:
        return None, None, -1
    lines = [match.group("text")]
    end = match.end()
    while end < len(text) and len(lines) < 4:
        nl = text.find("\n", end + 1)
        nl = len(text) if nl < 0 else nl
        line = text[end + 1 : nl]
        if not line.strip() or re.match(r"^\s*(?:¶|\d+\s*\.|\([A-Z/]+\))", line):
            break
        lines.append(line)
        end = nl
    raw = " ".join(" ".join(lines).split())
    reasons = None
    who = raw
    split = _REASONS_RE.search(raw)
    if split:
        who = raw[: split.start()]
        reasons = _reasons_prefix(raw[split.end() :])
    who = who.strip(" ,;.:")
    name, title = split_name_title(who)
    return ClassifiedBy(name=name, title=title, raw=raw), reasons, end


_REASON_TOKEN_RE = re.compile(
    r"(?:E\.?O\.?|\d{5}|AS|AMENDED|SECTIONS?|PARAS?|1\.[4-6][A-H]?|"
    r"\(?[A-H]\)?(?:[,/&]?\(?[A-H]\)?)*|AND|OR|&)",
    re.I,
)


_LEADING_REASONS_RE = re.compile(r"^[\s,;:.]*(?:FOR\s+)?(?:REASONS?\b)?\s*[:\-]?\s*", re.I)


def _reasons_prefix(text: str) -> str | None:
    """The reasons proper (``1.4 (b) and (d)``), without whatever runs on after them
    on the same line (a paragraph, a comment)."""
    text = _LEADING_REASONS_RE.sub("", text)
    kept: list[str] = []
    for token in text.split():
        if not _REASON_TOKEN_RE.fullmatch(token.strip(",.;:")):
            break
        kept.append(token)
    reasons = " ".join(kept).strip(" ,;:")
    if reasons.endswith(".") and not re.search(r"\b1\.[4-6]\.$", reasons):
        reasons = reasons[:-1]
    while reasons.split() and reasons.split()[-1].upper() in {"AND", "OR", "&", "AS"}:
        reasons = reasons.rsplit(None, 1)[0] if " " in reasons else ""
    if reasons:
        return reasons
    first = text.strip().split(". ")[0].strip().rstrip(".")
    return first[:120] or None


_INITIAL_RE = re.compile(r"^[A-Z]\.?$")


def _looks_like_name_part(word: str) -> bool:
    bare = word.strip(",.")
    if not bare or bare.upper() in _TITLE_WORDS or "/" in bare:
        return False
    return bare[0].isupper() and not any(ch.isdigit() for ch in bare)


def split_name_title(who: str) -> tuple[str | None, str | None]:
    """``"Political Minister Counselor Brian Flora"`` -> name, title;
    ``"John T. Godfrey, A/DCM, Embassy Tripoli"`` -> name first, then the title."""
    if not who:
        return None, None
    if "," in who:
        first, _, rest = who.partition(",")
        words = first.split()
        if 2 <= len(words) <= 5 and all(_looks_like_name_part(w) for w in words):
            return first.strip(), rest.strip() or None
        who_words = first.split()
        trailing = rest.strip()
    else:
        who_words = who.split()
        trailing = ""
    name_words: list[str] = []
    for word in reversed(who_words):
        if _looks_like_name_part(word) and len(name_words) < 4:
            name_words.insert(0, word)
        else:
            break
    if len(name_words) == len(who_words) and len(name_words) > 3:
        name_words = name_words[-3:]
    title_words = who_words[: len(who_words) - len(name_words)]
    title = " ".join(title_words)
    if trailing:
        title = f"{title}, {trailing}" if title else trailing
    name = " ".join(name_words) or None
    return name, title or None
