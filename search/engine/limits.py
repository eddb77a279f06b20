"""The limits of the query language, in one place: the parser
(:mod:`search.engine.query`) and the evaluator (:mod:`search.engine.evaluate`)
enforce them, the search help page shows them (``templates/search/help.html``).

Every limit keeps one request's work bounded whatever a reader (or a robot) types:
a query is read in time linear in its length, and its evaluation touches at most
``MAX_WORDS`` words, found in at most ``MAX_QUERY_POSTINGS`` places, and
``MAX_TOTAL_EXPANSION`` words reached by wildcards, whose postings number at most
``MAX_EXPANSION_POSTINGS``.

A query over ``MAX_QUERY_LENGTH`` is cut (at a space) and the rest read as usual; a
query over any other limit is refused with a message (the pages answer 400)."""

from __future__ import annotations

# Characters of the query that are read; the rest is cut off, with a message.
MAX_QUERY_LENGTH = 1000
# Words of a query: each plain word, each word of a phrase, each field value.
MAX_WORDS = 50
# How deep parentheses may nest: ``((a OR b) c)`` is 2.
MAX_DEPTH = 10
# The longest word (the longest words of the cables are far shorter).
MAX_WORD_LENGTH = 120
# Letters a wildcard needs before its ``*``: ``ab*``.
MIN_PREFIX = 2
# Index words one wildcard may reach in one field; the first ones (in alphabetical
# order) are used and the page says so.
MAX_EXPANSION = 512
# Index words all the wildcards of a query may reach together (each in each field
# it searches: a plain ``milit*`` searches the subject and the text).
MAX_TOTAL_EXPANSION = 2048
# Places (documents, each field apart) where the words all the wildcards of a query
# reach are found, together: reading them is the cost of a wildcard (``co*`` reaches
# "could", "country", "continu"... in most cables).
MAX_EXPANSION_POSTINGS = 250_000
# Places where a query's own words (not its wildcards) are found, together: the
# postings its evaluation reads. 50 of the archive's most common words OR-ed are in
# about 4 million places at 251,287 cables (a third of a second of CPU, and seconds when
# the index is not in memory); an ordinary query of a few words is in well under one
# million ("united states" 0.3, "prime minister government official" 0.5).
MAX_QUERY_POSTINGS = 2_000_000
# Notes about one query shown at most (the rest are counted).
MAX_MESSAGES = 8


def query_limits() -> dict[str, int]:
    """The limits by name, for the help page."""
    return {
        "max_query_length": MAX_QUERY_LENGTH,
        "max_words": MAX_WORDS,
        "max_depth": MAX_DEPTH,
        "max_word_length": MAX_WORD_LENGTH,
        "min_prefix": MIN_PREFIX,
        "max_expansion": MAX_EXPANSION,
        "max_total_expansion": MAX_TOTAL_EXPANSION,
        "max_expansion_postings": MAX_EXPANSION_POSTINGS,
        "max_query_postings": MAX_QUERY_POSTINGS,
    }


def query_cut(text: str, *, max_length: int | None = MAX_QUERY_LENGTH) -> tuple[str, str]:
    """``text`` cut to ``max_length`` characters at the last space before the limit
    (anywhere when it has none), and the message saying so ("" when not cut)."""
    if max_length is None or len(text) <= max_length:
        return text, ""
    cut = text[:max_length]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    message = (
        f"The query was {len(text):,} characters long; only its first {len(cut):,} "
        f"were read (the limit is {max_length:,})."
    )
    return cut, message
