"""The fixed search query mix, one definition for our search, the peer and HTTP.

Each query is a plain dict of search-page parameters (``q``, ``tag`` list, ``post``,
``classification``, ``from``, ``to``, ``year``): our side reads its query string
through ``search.filters.search_params_from`` exactly as the view does; the peer
translates the same dict to SQL. Every query asks for all facet counts and the first
page of 20 rows.
"""

from __future__ import annotations

from urllib.parse import urlencode

BROAD = "embassy"
RARE = "tsvangirai"
PHRASE = '"missile defense"'
PHRASE_FREQUENT = '"united states"'  # two of the commonest words: the most positions


def query_mix(top_post: str) -> list[dict]:
    """The seven queries; ``top_post`` is the archive's most prolific post (its code)."""
    return [
        {"key": "broad", "label": f"broad term: {BROAD}", "q": BROAD},
        {"key": "rare", "label": f"rare term: {RARE}", "q": RARE},
        {"key": "phrase", "label": f"phrase: {PHRASE}", "q": PHRASE},
        {
            "key": "phrase_frequent",
            "label": f"phrase of frequent words: {PHRASE_FREQUENT}",
            "q": PHRASE_FREQUENT,
        },
        {"key": "tag", "label": "tag only: PREL", "tag": ["PREL"]},
        {
            "key": "tag_post_dates",
            "label": f"tag + post + dates: PGOV, {top_post}, 2008-01-01..2009-12-31",
            "tag": ["PGOV"],
            "post": top_post,
            "from": "2008-01-01",
            "to": "2009-12-31",
        },
        {
            "key": "three_filters",
            "label": "term + three filters: iran, PREL, SECRET//NOFORN, 2009",
            "q": "iran",
            "tag": ["PREL"],
            "classification": "SECRET//NOFORN",
            "year": 2009,
        },
    ]


PARAMS = ("q", "tag", "post", "classification", "caveat", "from", "to", "year")


def querystring(query: dict) -> str:
    """The search page's query string for ``query`` (``tag`` repeated)."""
    pairs: list[tuple[str, str]] = []
    for name in PARAMS:
        value = query.get(name)
        if value in (None, "", []):
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, str(item)))
    return urlencode(pairs)


# Extra words for the HTTP search page, so its URL list is not seven cached queries.
HTTP_WORDS = [
    "embassy",
    "government",
    "minister",
    "election",
    "president",
    "security",
    "military",
    "police",
    "parliament",
    "oil",
    "nuclear",
    "trade",
    "visa",
    "border",
    "refugees",
    "corruption",
    "terrorism",
    "opposition",
    "economy",
    "bank",
    "energy",
    "water",
    "health",
    "media",
    "prison",
    "army",
    "treaty",
]
HTTP_TAGS = ("PREL", "PGOV", "ECON", "PHUM", "MARR", "KDEM", "ETRD", "PTER")


def http_search_urls(top_post: str) -> list[str]:
    """Search-page URLs for the load test: the mix, then words, words with a tag."""
    urls = [f"/search/?{querystring(q)}" for q in query_mix(top_post)]
    for i, word in enumerate(HTTP_WORDS):
        urls.append(f"/search/?{urlencode({'q': word})}")
        tag = HTTP_TAGS[i % len(HTTP_TAGS)]
        urls.append(f"/search/?{urlencode([('q', word), ('tag', tag)])}")
    return urls
