"""The peer's schema: our index's fields, as close as tantivy allows.

Text (``subject``, ``text``): Whoosh's ``StemmingAnalyzer`` rebuilt from tantivy's
parts: tantivy's simple tokenizer (runs of letters and digits; Whoosh's pattern
``\\w+(\\.?\\w+)*`` also keeps ``u.s`` or ``1.5`` whole: tantivy's regex tokenizer can
say that, but it made indexing and snippets 2.6x slower, and this peer is the fast
anchor), lower-cased, Whoosh's english stop words dropped (single letters and digits
too, for its ``minsize=2``), then tantivy's english stemmer (Snowball "Porter2"; Whoosh
stems with the original Porter algorithm, so a few words stem apart). Unlike Whoosh,
tantivy keeps the positions of dropped stop words, so a phrase does not match across
one. Positions are indexed for phrases.

Facets (``tag``, ``post``, ``classification``, ``caveat``, ``by``, ``pclass``): whole
values, untokenized (``raw``), indexed for filters and ``fast`` (columnar) for counting
by aggregation; tags, caveats and paragraph markings are multi-valued. Dates:
``created`` (date), and ``day`` (days since 1970-01-01, UTC), ``year`` and ``month``
(``year * 12 + month - 1``) as indexed fast integers, as our column store holds them.
Names (``signer``, ``classified_by``): words, lower-cased, not stemmed. ``ref``: the
cited cable ids, lower-cased whole. ``reference_id``, ``subject`` and ``text`` are
stored (the page and its snippets come from tantivy's document store).
"""

from __future__ import annotations

import string

import tantivy

# whoosh.analysis.STOP_WORDS (Whoosh 2.7.4), copied: the peer does not import Whoosh.
WHOOSH_STOP_WORDS = [
    *("a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if"),
    *("in", "is", "it", "may", "not", "of", "on", "or", "tbd", "that", "the", "this", "to"),
    *("us", "we", "when", "will", "with", "yet", "you", "your"),
]
SHORT = list(string.ascii_lowercase + string.digits)  # Whoosh's minsize=2

TEXT_FIELDS = ("subject", "text")
FACET_FIELDS = ("tag", "post", "classification", "caveat", "by", "pclass")
INT_FIELDS = ("day", "year", "month")
NAME_FIELDS = ("signer", "classified_by")

# Our index's fields -> the peer's field holding the same values ("" = not indexed).
OURS_TO_PEER = {
    "reference_id": "reference_id",
    "subject": "subject",
    "text": "text",
    "tag": "tag",
    "post": "post",
    "classification": "classification",
    "caveat": "caveat",
    "created": "created",
    "paragraph_classification": "pclass",
    "ref": "ref",
    "signer": "signer",
    "classified_by": "classified_by",
}


def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    english = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.custom_stopword(WHOOSH_STOP_WORDS + SHORT))
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )
    names = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"\w+"))
        .filter(tantivy.Filter.lowercase())
        .build()
    )
    keyword = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
        .filter(tantivy.Filter.lowercase())
        .build()
    )
    return {"english_whoosh": english, "names": names, "keyword_lower": keyword}


def schema_build() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("reference_id", stored=True, tokenizer_name="raw")
    for name in TEXT_FIELDS:
        b.add_text_field(name, stored=True, tokenizer_name="english_whoosh")
    for name in FACET_FIELDS:
        b.add_text_field(name, fast=True, tokenizer_name="raw")
    b.add_date_field("created", stored=True, indexed=True, fast=True)
    for name in INT_FIELDS:
        b.add_integer_field(name, indexed=True, fast=True)
    for name in NAME_FIELDS:
        b.add_text_field(name, tokenizer_name="names")
    b.add_text_field("ref", tokenizer_name="keyword_lower")
    return b.build()


def index_open(path: str, *, create: bool = False) -> tantivy.Index:
    """The peer's index at ``path`` (created empty when ``create``), analyzers registered."""
    index = tantivy.Index(schema_build(), path=path, reuse=not create)
    for name, analyzer in analyzers().items():
        index.register_tokenizer(name, analyzer)
    return index


def our_fields() -> list[str]:
    """The field names of our index's schema: the engine's schema contract, which
    imports no Django."""
    from search.engine.schema import SCHEMA

    return sorted(SCHEMA.names())
