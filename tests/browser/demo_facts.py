"""What the demo corpus (``demo/``, ingested by the ``demo_archive`` fixture) holds,
as the browser tests rely on it."""

PHRASE = '"missile defense"'
# The demo cables containing the phrase.
PHRASE_HITS = {
    "04OTTAWA912",
    "04STATE61530",
    "05LONDON1246",
    "06REYKJAVIK94",
    "07STATE171204",
    "10OTTAWA88",
}
