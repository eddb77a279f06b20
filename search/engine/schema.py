"""The schema contract: everything the index agrees on, declared once.

The Whoosh schema and its analyzers, the field boosts (declared here, applied by the
query parser only), the fields a query may name, the classification slugs, the stored
facet row, the day and minute encodings, and :func:`cable_document`, which turns a cable's plain
values into its Whoosh document. Every other module takes these from here. No Django:
the Django layer gathers the values from the database and calls
:func:`cable_document`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from cables.markings import MARKINGS, marking_level

ANALYZER = StemmingAnalyzer()

# Names (signer, classifier, person tags): words, lower-cased, never stemmed, no stop
# words, initials kept. Several names in one field are joined by NAME_GAP, which is
# dropped but keeps its position, so a phrase never runs from one name into the next.
NAME_GAP = "0gap0"
NAME_ANALYZER = (
    RegexTokenizer()
    | LowercaseFilter()
    | StopFilter(stoplist=[NAME_GAP], minsize=1, renumber=False)
)
# Tags: one term per whole tag (``GATES, ROBERT M.``, ``HUMAN RIGHTS``), lower-cased.
# The document joins a cable's tags with TAG_SEPARATOR (see :func:`tag_term`).
TAG_SEPARATOR = "\n"
TAG_ANALYZER = RegexTokenizer(r"[^\n]+") | LowercaseFilter()


def schema_build() -> Schema:
    """The explicit schema. ``facets`` is the stored :class:`FacetRow` the column store
    is built from (so the columns always follow Whoosh's own document numbers).
    ``signer``, ``classified_by`` and ``person`` are names; ``tag`` holds whole tags;
    ``classification`` holds the slug of the level and of the whole marking."""
    return Schema(
        reference_id=ID(stored=True, unique=True),
        subject=TEXT(analyzer=ANALYZER, phrase=True),
        text=TEXT(analyzer=ANALYZER, phrase=True),
        tag=KEYWORD(analyzer=TAG_ANALYZER),
        post=KEYWORD(lowercase=True),
        classification=KEYWORD(lowercase=True),
        caveat=KEYWORD(lowercase=True),
        created=DATETIME(),
        paragraph_classification=KEYWORD(lowercase=True),
        ref=KEYWORD(lowercase=True),
        signer=TEXT(analyzer=NAME_ANALYZER, phrase=True),
        classified_by=TEXT(analyzer=NAME_ANALYZER, phrase=True),
        person=TEXT(analyzer=NAME_ANALYZER, phrase=True),
        content_hash=STORED(),
        facets=STORED(),
    )


SCHEMA = schema_build()

# The scored (free-text) fields and their boosts: declared here, applied once, by the
# query parser (a plain word becomes ``subject:w^2.0 OR text:w``); the scorer reads
# the boost off the query and adds none of its own.
FIELD_BOOSTS: dict[str, float] = {"subject": 2.0, "text": 1.0}
DEFAULT_FIELDS: tuple[str, ...] = ("subject", "text")
SCORED_FIELDS = frozenset(FIELD_BOOSTS)
# A prefix's words weigh half a typed word.
PREFIX_BOOST = 0.5

# What a reader types before the colon -> the index field it searches.
QUERY_FIELDS: dict[str, str] = {
    "subject": "subject",
    "text": "text",
    "tag": "tag",
    "post": "post",
    "ref": "ref",
    "classification": "classification",
    "caveat": "caveat",
    "signer": "signer",
    "by": "classified_by",
    "person": "person",
    "pclass": "paragraph_classification",
}
NAME_QUERY_FIELDS = frozenset({"signer", "by", "person"})


def tag_term(code: str) -> str:
    """A tag as the ``tag`` field holds it: one line, single spaces."""
    return " ".join(code.split())


def names_join(names) -> str:
    """Several names as one ``person`` field value (no phrase across two of them)."""
    return f" {NAME_GAP} ".join(n for n in names if n)


# -- classification -------------------------------------------------------------------


def classification_slug(value: str) -> str:
    """``"UNCLASSIFIED//FOUO"`` -> ``"unclassified-fouo"``."""
    return re.sub(r"[^a-z]+", "-", value.lower()).strip("-")


def classification_slugs(markings=MARKINGS) -> dict[str, str]:
    """Every slug a query may use -> the marking it names: each marking
    (``secret-noforn``) and each level (``secret``), plus ``fouo``."""
    slugs: dict[str, str] = {}
    for marking in markings:
        slugs.setdefault(classification_slug(marking_level(marking)), marking_level(marking))
        slugs[classification_slug(marking)] = marking
    if "unclassified-fouo" in slugs:
        slugs["fouo"] = slugs["unclassified-fouo"]
    return slugs


CLASSIFICATION_SLUGS = classification_slugs()


def classification_terms(marking: str) -> str:
    """The ``classification`` field of a cable: the slug of its level and of its whole
    marking, so ``classification:secret`` finds SECRET and SECRET//NOFORN cables and
    ``classification:secret-noforn`` the latter only."""
    if not marking:
        return ""
    level, whole = classification_slug(marking_level(marking)), classification_slug(marking)
    return level if level == whole else f"{level} {whole}"


def classification_query_term(slug: str) -> str:
    """The index term a query slug searches (``fouo`` -> ``unclassified-fouo``)."""
    return classification_slug(CLASSIFICATION_SLUGS[slug])


# -- days -----------------------------------------------------------------------------

EPOCH = date(1970, 1, 1)


def day_number(value: datetime | date | None) -> int | None:
    """Days since :data:`EPOCH` (UTC) of a datetime or date; None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC).date()
    return (value - EPOCH).days


def minute_number(value: datetime | None) -> int | None:
    """Minutes since :data:`EPOCH` (UTC) of a datetime (the sort key of "newest" and
    "oldest": the full timestamp, not the day); None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return int(delta.total_seconds() // 60)


# -- the stored facet row and the document --------------------------------------------


class FacetRow(NamedTuple):
    """The stored ``facets`` value of a document, the column store's input. Stored as
    a plain tuple in this field order (:meth:`stored`); rows written by an older
    version are shorter and padded with the defaults (:meth:`from_stored`)."""

    post: str = ""
    classification: str = ""
    caveats: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    day: int | None = None
    classified_by: str = ""
    markings: tuple[str, ...] = ()
    minute: int | None = None  # the timestamp (rows written before it: day * 1440)

    def stored(self) -> tuple:
        return tuple(self)

    @classmethod
    def from_stored(cls, value) -> FacetRow:
        return cls(*tuple(value or ())[: len(cls._fields)])


@dataclass(frozen=True)
class CableValues:
    """A cable's plain values, as the Django layer gathers them from the database."""

    reference_id: str
    subject: str
    text: str
    post: str
    classification: str
    caveats: tuple[str, ...]
    tags: tuple[str, ...]
    markings: tuple[str, ...]
    refs: tuple[str, ...]
    signer: str
    classified_by: str
    person_tags: tuple[str, ...]
    created: datetime | None
    content_hash: str


def cable_document(values: CableValues) -> dict:
    """The Whoosh document of one cable. Each tag is one term of ``tag``; ``person``
    holds the signer, the classifier and the person tags; the stored ``facets`` row
    feeds the columns."""
    markings = tuple(sorted(set(values.markings)))
    signer = (values.signer or "").strip()
    classified_by = (values.classified_by or "").strip()
    row = FacetRow(
        post=values.post,
        classification=values.classification,
        caveats=tuple(values.caveats),
        tags=tuple(values.tags),
        day=day_number(values.created),
        classified_by=values.classified_by or "",
        markings=markings,
        minute=minute_number(values.created),
    )
    doc = {
        "reference_id": values.reference_id,
        "subject": values.subject or "",
        "text": values.text or "",
        "tag": TAG_SEPARATOR.join(tag_term(code) for code in values.tags),
        "post": values.post,
        "classification": classification_terms(values.classification),
        "caveat": " ".join(values.caveats),
        "paragraph_classification": " ".join(markings),
        "ref": " ".join(sorted(set(values.refs))),
        "signer": signer,
        "classified_by": classified_by,
        "person": names_join([signer, classified_by, *values.person_tags]),
        "content_hash": values.content_hash,
        "facets": row.stored(),
    }
    if values.created is not None:
        created = values.created
        doc["created"] = created.replace(tzinfo=None) if created.tzinfo else created
    return doc
