"""Glossary of the State Department TAGS used on cables (pure Python, no Django).

Every cable carries a ``TAGS:`` line such as ``TAGS: MARR PARM PREL CA``: four-letter
subject tags (``PREL``), ``K``-program tags (``KNNP``), two-letter geographic codes
(``CA`` Canada, FIPS 10-4 rather than ISO), organisations (``NATO``) and free-form
person tags (``CHAVEZ, HUGO``). The table lives in ``tags.csv`` beside this module;
see ``README.md`` for where the meanings come from and how to add one.

    >>> lookup("PREL").meaning
    'External Political Relations'
    >>> classify("CHAVEZ, HUGO").kind
    'person'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from cables.parsing import tag_vocab

__all__ = [
    "BASES",
    "DATA_FILE",
    "KINDS",
    "KIND_HEADINGS",
    "TagInfo",
    "all_tags",
    "classify",
    "kind_label",
    "lookup",
    "normalize",
]

DATA_FILE = Path(__file__).with_name("tags.csv")

#: Display order of tag kinds, with human labels.
KINDS: MappingProxyType[str, str] = MappingProxyType(
    {
        "subject": "Subject",
        "program": "Program",
        "country": "Country",
        "region": "Region",
        "organization": "Organization",
        "person": "Person",
        "freetext": "Free text",
        "unknown": "Unknown",
    }
)

#: The same kinds heading a group of tags (the tag list's sections).
KIND_HEADINGS: MappingProxyType[str, str] = MappingProxyType(
    {
        "subject": "Subjects",
        "program": "Programs",
        "country": "Countries",
        "region": "Regions",
        "organization": "Organizations",
        "person": "People",
        "freetext": "Free text",
        "unknown": "Not in the glossary",
    }
)

#: How sure a table row is (the ``basis`` column of ``tags.csv``).
BASES: MappingProxyType[str, str] = MappingProxyType(
    {
        "handbook": "Standard TAGS subject or program tag",
        "fips": "FIPS 10-4 country code",
        "state": "State Department geographic or organisation tag",
        "usage": "Meaning inferred from how the cables use it",
        "variant": "Non-standard or misspelt form of a standard tag",
    }
)

PERSON_MEANING = "Person tag"
FREE_TEXT_MEANING = "Free-text subject tag"
UNKNOWN_MEANING = "Not in the TAGS glossary"

_CODE_RE = re.compile(r"[A-Z]{2,4}")
_STRIP = " \t\r\n.,;:"


@dataclass(frozen=True, slots=True)
class TagInfo:
    code: str
    kind: str
    meaning: str
    basis: str = ""

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


def normalize(code: str) -> str:
    """The table key for a token as written on a cable: trimmed and upper-cased."""
    return " ".join(code.strip(_STRIP).split()).upper()


@cache
def _table() -> dict[str, TagInfo]:
    table: dict[str, TagInfo] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            info = TagInfo(
                code=row["code"],
                kind=row["kind"],
                meaning=row["meaning"],
                basis=row.get("basis") or "",
            )
            table[info.code] = info
    return table


def all_tags() -> list[TagInfo]:
    """Every glossary entry, in display order (kind, then code)."""
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(_table().values(), key=lambda t: (order.get(t.kind, len(order)), t.code))


def lookup(code: str) -> TagInfo | None:
    """The glossary entry for ``code`` (case and surrounding punctuation ignored)."""
    if not code:
        return None
    return _table().get(normalize(code))


def classify(code: str) -> TagInfo:
    """Always a :class:`TagInfo`: the glossary entry, else a guess from the token's shape.

    Free-text subject tags as the parser writes them (``HUMAN RIGHTS``, ``COUNTERTERRORISM``)
    are ``freetext``; tokens that look like names ("CHAVEZ, HUGO", "OVIP (BUSH)",
    "Mariner", anything else that is not a 2-4 letter upper-case code) are ``person``
    tags; the rest are ``unknown``.
    """
    known = lookup(code)
    if known is not None:
        return known
    token = " ".join((code or "").strip(_STRIP).split())
    if token.upper() == token and not tag_vocab.is_person(token) and tag_vocab.is_free_text(token):
        return TagInfo(token, "freetext", FREE_TEXT_MEANING)
    letters = sum(ch.isalpha() for ch in token)
    if letters >= 2 and not any(ch.isdigit() for ch in token):
        looks_like_name = (
            "," in token
            or "(" in token
            or any(ch.islower() for ch in token)
            or not _CODE_RE.fullmatch(token)
        )
        if looks_like_name:
            return TagInfo(token, "person", PERSON_MEANING)
    return TagInfo(token, "unknown", UNKNOWN_MEANING)


def kind_label(kind: str, *, plural: bool = False) -> str:
    """What a kind is called: for one tag (``"Subject"``) or, ``plural``, heading a
    group of them (``"Subjects"``)."""
    labels = KIND_HEADINGS if plural else KINDS
    return labels.get(kind, kind.replace("_", " ").capitalize())
