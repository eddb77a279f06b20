"""The TAGS glossary: table well-formed, examples right, and the real corpus covered."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from cables import glossary
from cables.glossary import KINDS, TagInfo, classify, lookup
from tests.conftest import corpus_path

EXAMPLES = {
    "PREL": ("subject", "External Political Relations"),
    "PGOV": ("subject", "Internal Governmental Affairs"),
    "MARR": ("subject", "Military and Defense Arrangements"),
    "PARM": ("subject", "Arms Controls and Disarmament"),
    "ETRD": ("subject", "Foreign Trade"),
    "PHUM": ("subject", "Human Rights"),
    "PTER": ("subject", "Terrorists and Terrorism"),
    "SNAR": ("subject", "Narcotics"),
    "KNNP": ("program", "Nuclear Nonproliferation"),
    "CA": ("country", "Canada"),
    "GM": ("country", "Germany"),
    "CH": ("country", "China"),
    "RS": ("country", "Russia"),
    "JA": ("country", "Japan"),
    "KN": ("country", "North Korea"),
    "KS": ("country", "South Korea"),
    "IZ": ("country", "Iraq"),
    "UK": ("country", "United Kingdom"),
    "FR": ("country", "France"),
    "IR": ("country", "Iran"),
    "EG": ("country", "Egypt"),
    "LY": ("country", "Libya"),
    "CS": ("country", "Costa Rica"),
    "BR": ("country", "Brazil"),
    "MX": ("country", "Mexico"),
    "IC": ("country", "Iceland"),
    "BA": ("country", "Bahrain"),
    "SP": ("country", "Spain"),
    "SZ": ("country", "Switzerland"),
    "AS": ("country", "Australia"),
    "UP": ("country", "Ukraine"),
    "RP": ("country", "Philippines"),
    "TU": ("country", "Turkey"),
    "KV": ("country", "Kosovo"),
    "EZ": ("country", "Czech Republic"),
    "LO": ("country", "Slovakia"),
    "IS": ("country", "Israel"),
    "WE": ("country", "West Bank"),
}

# Tokens on corpus TAGS lines that are 2-4 capital letters but that we could not
# identify: prose words and distribution noise caught on the TAGS line, and a few
# one-off garbles. Keep this list short; it is printed by the coverage test.
JUNK_ALLOWLIST = frozenset(
    {
        "AND", "FOR", "WITH", "REF", "ETC", "LOG", "COM", "DEPT",  # words / routing noise
        "AER", "KPAK", "KX", "MUCN", "OTR", "PKFK", "PROV",  # unidentified one-offs
    }
)  # fmt: skip

# --- the table ---------------------------------------------------------------------


def _rows() -> list[dict[str, str]]:
    with glossary.DATA_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_table_parses_with_known_kinds_and_bases():
    rows = _rows()
    assert len(rows) > 600
    for row in rows:
        assert set(row) == {"code", "kind", "meaning", "basis"}, row
        assert row["kind"] in KINDS and row["kind"] != "unknown", row
        assert row["basis"] in glossary.BASES, row
        assert row["meaning"].strip() == row["meaning"] and row["meaning"], row


def test_codes_unique_and_uppercase():
    codes = [row["code"] for row in _rows()]
    dupes = [code for code, n in Counter(codes).items() if n > 1]
    assert not dupes
    for code in codes:
        assert code == code.upper() == code.strip() and code, code
        assert re.fullmatch(r"[A-Z][A-Z0-9-]*", code), code


@pytest.mark.parametrize(("code", "expected"), sorted(EXAMPLES.items()))
def test_examples(code, expected):
    info = lookup(code)
    assert info is not None
    assert (info.kind, info.meaning) == expected


def test_standard_subject_tags_and_fips_codes_are_covered():
    subjects = [t for t in glossary.all_tags() if t.basis == "handbook"]
    assert len(subjects) >= 130
    for code in ("AADP", "ABLD", "ABUD", "CVIS", "ECON", "OVIP", "SOCI", "TSPL", "KTFN"):
        assert lookup(code) is not None, code
    fips = {t.code for t in glossary.all_tags() if t.basis == "fips"}
    assert len(fips) >= 260
    assert {"AF", "ZI", "VT", "WZ", "YM", "MU", "BM", "CE"} <= fips


def test_every_kind_has_a_label_in_display_order():
    assert list(KINDS) == [
        "subject",
        "program",
        "country",
        "region",
        "organization",
        "person",
        "freetext",
        "unknown",
    ]
    assert all(label for label in KINDS.values())
    assert list(glossary.KIND_HEADINGS) == list(KINDS)
    assert lookup("PREL").kind_label == "Subject"
    assert glossary.kind_label("country") == "Country"
    assert glossary.kind_label("country", plural=True) == "Countries"
    assert glossary.kind_label("unknown", plural=True) == "Not in the glossary"
    assert glossary.kind_label("new_kind") == "New kind"


# --- lookup / classify -------------------------------------------------------------


def test_lookup_normalizes_and_misses_return_none():
    assert lookup(" prel, ") == lookup("PREL")
    assert lookup("") is None
    assert lookup("QQQQ") is None


def test_tag_info_is_frozen():
    info = lookup("PREL")
    with pytest.raises(AttributeError):
        info.meaning = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "token", ["CHAVEZ, HUGO", "OVIP (BUSH)", "OVIP (JOHN KERRY)", "Mariner", "ALQADHAFI"]
)
def test_classify_person_tags(token):
    info = classify(token)
    assert info == TagInfo(token, "person", glossary.PERSON_MEANING)


@pytest.mark.parametrize("token", ["HUMAN RIGHTS", "COUNTERTERRORISM", "DOMESTIC POLITICS"])
def test_classify_free_text_tags(token):
    info = classify(token)
    assert info == TagInfo(token, "freetext", glossary.FREE_TEXT_MEANING)


@pytest.mark.parametrize("token", ["QQQ", "ZZZZ", "001311", "X", ""])
def test_classify_unknown(token):
    info = classify(token)
    assert info.kind == "unknown"
    assert info.meaning == glossary.UNKNOWN_MEANING


def test_classify_known_is_lookup():
    assert classify("KNNP") is lookup("KNNP")
    assert classify("ca").meaning == "Canada"


# --- coverage of the real corpus ---------------------------------------------------

_START = re.compile(r"(?<![A-Za-z])TAGS?(?![A-Za-z])\s*:?", re.I)
_STOP = re.compile(
    r"UNCLAS|C O N F|S E C R E T|\bSECTION \d|SUBJ|\bREFS?\b\s*:|CLASSIFIED\s+BY|¶|"
    r"\((?:U|C|S|SBU)\)",
    re.I,
)
_PRE_OK = re.compile(r"12958|13526|DECL|N/A|E\.?O\.?", re.I)


def tags_text(text: str) -> str | None:
    """The TAGS field of a cable: the first ``TAGS`` line plus continuation lines."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _START.search(line)
        if not m:
            continue
        before = line[: m.start()]
        if before.strip() and not _PRE_OK.search(before[-40:]):
            continue
        rest = line[m.end() :]
        stop = _STOP.search(rest)
        if stop:
            return rest[: stop.start()]
        parts = [rest]
        for nxt in lines[i + 1 : i + 4]:
            if not nxt.strip() or _STOP.search(nxt) or re.search(r"[a-z]", nxt) or len(nxt) > 90:
                break
            parts.append(nxt)
        return " ".join(parts)
    return None


def test_tags_text_handles_inline_and_continued_fields():
    def tokens(text: str) -> list[str]:
        return re.findall(r"[A-Z]+", tags_text(text) or "")

    assert tokens("E.O. 12958: DECL: 1/1/15 TAGS: PREL BR SUBJECT: X") == ["PREL", "BR"]
    assert tokens("TAGS PGOV, PINS,\n ZI, MDC\n\nSUBJECT: Y") == ["PGOV", "PINS", "ZI", "MDC"]
    assert tokens("SECRET\nTAGS: PTER TU\nCLASSIFIED BY: X") == ["PTER", "TU"]
    assert tags_text("No tags here") is None


@pytest.mark.corpus
def test_corpus_tag_codes_have_meanings():
    txt_dir = corpus_path("cablegate", "txt")
    counts: Counter[str] = Counter()
    for path in sorted(txt_dir.glob("*.txt")):
        field = tags_text(path.read_text(encoding="utf-8", errors="replace"))
        if field is None:
            continue
        for token in re.split(r"[,\s;]+", field):
            token = token.strip(".:")
            if re.fullmatch(r"[A-Z]{2,4}", token):
                counts[token] += 1
    assert len(counts) > 400, "TAGS extraction found suspiciously few codes"

    unknown = {code: n for code, n in counts.items() if lookup(code) is None}
    total = sum(counts.values())
    junk = sum(unknown.values())
    print(
        f"\n{len(counts)} distinct codes, {total} occurrences; "
        f"{total - junk} ({100 * (total - junk) / total:.2f}%) with a meaning; "
        f"unidentified: {dict(sorted(unknown.items(), key=lambda kv: -kv[1]))}"
    )
    assert set(unknown) <= JUNK_ALLOWLIST, sorted(set(unknown) - JUNK_ALLOWLIST)
    assert junk / total < 0.03
    assert not [code for code in JUNK_ALLOWLIST if lookup(code)], "allowlisted but now known"
    stale = JUNK_ALLOWLIST - set(counts)
    assert not stale, f"allowlisted tokens no longer in the corpus: {sorted(stale)}"
