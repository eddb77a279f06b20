"""Hostile queries: each is answered (200) or refused with the archive's message
(400), on the page, the JSON and the CSV twins; never a 500, never a recursion error.
The query parser's time grows at most linearly with the query's length."""

from __future__ import annotations

import json
import string
import time

import pytest
from django.core.cache import cache

from search.engine import evaluate
from search.engine.highlight import paragraph_snippet
from search.engine.limits import (
    MAX_DEPTH,
    MAX_MESSAGES,
    MAX_QUERY_LENGTH,
    MAX_WORD_LENGTH,
    MAX_WORDS,
    query_limits,
)
from search.engine.query import query_parse
from search.filters import SearchParams
from search.selectors import search_run
from search.services import caches_clear

REFUSED = "This query was not run:"
TWO_LETTER_PREFIXES = [a + b + "*" for a in string.ascii_lowercase for b in "aeiou"]  # 130

HOSTILE = {
    "10,000 ORs": " OR ".join(["missile"] * 10_000),
    "ORs within the limits": " OR ".join(["missile", "iran", "kandahar"] * 5),
    "10,000 nested parentheses": "(" * 10_000 + "missile" + ")" * 10_000,
    "10,000 nested parentheses with spaces": "( " * 10_000 + "missile" + " )" * 10_000,
    "parentheses 400 deep within the length": "(" * 400 + "missile" + ")" * 400,
    "parentheses at the depth limit": "(" * MAX_DEPTH + "missile" + ")" * MAX_DEPTH,
    "a star alone": "*",
    "a one-letter prefix": "a*",
    "a two-letter prefix": "mi*",
    "10 two-letter prefixes": " OR ".join(TWO_LETTER_PREFIXES[:10]),
    "130 two-letter prefixes": " OR ".join(TWO_LETTER_PREFIXES),
    "a 100 KB tag": "tag:" + "A" * 100_000,
    "a 100 KB quoted tag": 'tag:"' + "A B " * 25_000 + '"',
    "1,000 quoted phrases": " ".join(['"missile defense"'] * 1000),
    "10,000 empty phrases": '""' * 10_000,
    "a very long word": "x" * 5000,
    "a word at the length limit": "x" * MAX_WORD_LENGTH,
    "NUL between words": "missile\x00defense",
    "every control character": "".join(chr(i) for i in range(32)) + "missile\x7f",
    "200 NOTs": "NOT " * 200 + "missile",
    "ANDNOT chain": " ANDNOT ".join(["missile"] * 40),
    "5,000 unknown fields": "x:" * 5000,
    "10,001 quotation marks": '"' * 10_001,
    "2,000 open pclass": "pclass:(" * 2000,
    "1,000 bad wildcards": "*ssile " * 1000,
    "a name of 50,000 hyphens": 'person:"' + "a-" * 25_000 + '"',
    "wildcards after a colon": "1:* 2:?a 3:*b é:c?",
}


# -- the parser alone --------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("max_length", [MAX_QUERY_LENGTH, None], ids=["cut", "whole"])
def test_the_parser_answers_or_refuses_every_hostile_query(text, max_length):
    parsed = query_parse(text, max_length=max_length)
    assert len(parsed.messages) <= MAX_MESSAGES
    if parsed.refusal:
        assert parsed.refusal.startswith(REFUSED)
        assert parsed.query is None
    elif parsed.query is not None:
        # what Whoosh was given is small and shallow
        assert len(parsed.text) <= MAX_QUERY_LENGTH


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (HOSTILE["10,000 ORs"], f"the limit is {MAX_WORDS:,}"),
        (HOSTILE["1,000 quoted phrases"], "words"),
        (HOSTILE["130 two-letter prefixes"], "words"),
        (HOSTILE["parentheses 400 deep within the length"], "nest 400 deep"),
        (HOSTILE["a 100 KB tag"], f"a word of {MAX_QUERY_LENGTH - 4:,} characters"),
        (HOSTILE["a very long word"], "a word of 1,000 characters"),
    ],
)
def test_over_a_limit_is_refused_with_the_reason(text, reason):
    parsed = query_parse(text)
    assert parsed.refusal.startswith(REFUSED)
    assert reason in parsed.refusal
    assert parsed.query is None


def test_whole_queries_are_refused_by_their_real_size():
    nested = query_parse(HOSTILE["10,000 nested parentheses"], max_length=None)
    assert "nest 10,000 deep" in nested.refusal
    ors = query_parse(HOSTILE["10,000 ORs"], max_length=None)
    assert "it has 10,000 words" in ors.refusal


def test_within_the_limits_is_answered():
    for text in (
        HOSTILE["ORs within the limits"],
        HOSTILE["parentheses at the depth limit"],
        HOSTILE["a word at the length limit"],
        "missile " * MAX_WORDS,
    ):
        parsed = query_parse(text)
        assert not parsed.refusal and parsed.query is not None, text


def test_control_characters_separate_words():
    assert (
        query_parse(HOSTILE["NUL between words"]).display == query_parse("missile defense").display
    )


def test_a_run_of_nots_is_one_not_or_none():
    assert query_parse("NOT NOT missile").display == query_parse("missile").display
    assert (
        query_parse("iran NOT NOT NOT missile").display == query_parse("iran NOT missile").display
    )
    assert query_parse(HOSTILE["200 NOTs"]).display == query_parse("missile").display


def test_no_wildcard_without_its_letters_reaches_whoosh():
    parsed = query_parse(HOSTILE["wildcards after a colon"])
    assert "*" not in parsed.text and "?" not in parsed.text
    assert any("Only a trailing *" in m for m in parsed.messages)


def test_a_thousand_mistakes_are_a_few_notes():
    parsed = query_parse("*ssile " * 100)
    assert len(parsed.messages) == MAX_MESSAGES
    assert "more notes like these" in parsed.messages[-1]


# -- the scaling of the parser (ratios in one run, not wall-clock thresholds) ----------

SHAPES = {
    "ORs": "missile OR ",
    "phrases": '"missile defense" ',
    "one long word": "x",
    "tag value": "A",
    "spaces after a field": " ",
    "quotation marks": '"',
    "unknown fields": "x:",
    "prefixes": "mi* ",
    "bad wildcards": "*ssile ",
    "open pclass": "pclass:(",
    "name hyphens": "a-",
    "control characters": "\x00\x01",
    "NOTs": "NOT ",
    "minus words": "-a:b ",
    "mixed": '(iran OR -b:c "d e" f* tag:X) ',
}
PREFIX = {"tag value": "tag:", "spaces after a field": "subject:", "name hyphens": 'person:"'}


def _shape(name: str, size: int) -> str:
    head = PREFIX.get(name, "")
    unit = SHAPES[name]
    return head + (unit * (size // len(unit) + 1))[: size - len(head)]


def _nested(size: int) -> str:
    half = (size - 7) // 2
    return "(" * half + "missile" + ")" * half


def _seconds_per_kb(make, size: int, budget_kb: int = 100) -> float:
    """Best of three process times for reading ``budget_kb`` KB of queries of
    ``size`` characters, per KB."""
    texts = [make(size) for _ in range(max(1, budget_kb * 1000 // size))]
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for text in texts:
            query_parse(text, max_length=None)
        best = min(best, time.process_time() - started)
    return best / budget_kb


@pytest.mark.parametrize("name", [*SHAPES, "nested"])
def test_parse_time_grows_at_most_linearly(name):
    def make(size: int) -> str:
        return _nested(size) if name == "nested" else _shape(name, size)

    small, medium, large = (_seconds_per_kb(make, size) for size in (1_000, 10_000, 100_000))
    # Linear: the same time per KB at every size (a fixed cost per query makes short
    # ones dearer per KB). Quadratic would be 10 and 100 times dearer per KB.
    assert medium <= 4 * max(small, 1e-7), (small, medium, large)
    assert large <= 4 * max(small, medium, 1e-7), (small, medium, large)


# -- snippets --------------------------------------------------------------------------


def test_snippets_highlight_stems_among_thousands_of_terms():
    terms = {f"zz{i:05d}" for i in range(5000)} | {"embassi"}
    paragraphs = [(0, 1, "Iran said no."), (1, 2, "The embassy staff met the embassy's guests.")]
    segments, anchor = paragraph_snippet(paragraphs, terms)
    assert anchor == "p2"
    assert ("embassy", True) in segments


def test_snippets_count_words_not_substrings():
    # "ira" is in "admiral" and "irate": only the word Iran is the term "iran"
    paragraphs = [(0, 1, "The admiral was irate, irately so."), (1, 2, "Iran said no.")]
    segments, anchor = paragraph_snippet(paragraphs, {"iran"})
    assert anchor == "p2"
    assert ("Iran", True) in segments


def test_a_long_paragraph_is_highlighted_around_its_first_match():
    text = "Nothing here. " * 500 + "The minister spoke of sanctions. " + "More filler. " * 500
    segments, _ = paragraph_snippet([(0, 1, text)], {"sanction"})
    assert ("sanctions", True) in segments
    assert segments[0] == ("… ", False) and segments[-1] == (" …", False)


# -- the pages -------------------------------------------------------------------------


def _get(client, url: str, q: str):
    response = client.get(url, {"q": q})
    assert response.status_code in (200, 400), response.status_code
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_hostile_query_is_answered_or_refused_on_every_twin(client, archive, text):
    page = _get(client, "/search/", text)
    body = page.content.decode()
    data = json.loads(_get(client, "/search.json", text).content)
    assert data["refused"] == (page.status_code == 400)
    if page.status_code == 400:
        assert REFUSED in body
        assert "This query was not run: it is over a" in body
        assert any(m.startswith(REFUSED) for m in data["messages"])
        assert data["total"] == 0 and data["results"] == [] and data["facets"] == []
        csv_response = client.get("/search.csv", {"q": text})
        assert csv_response.status_code == 400
        assert REFUSED in csv_response.content.decode()
    else:
        assert REFUSED not in body
    # the page's links carry the query that was read, not a 100 KB one each
    assert len(body) < 1_000_000


@pytest.mark.django_db
def test_refusals_answer_400_with_the_message(client, archive):
    response = client.get("/search/", {"q": HOSTILE["10,000 ORs"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"words, and the limit is {MAX_WORDS:,}" in body
    assert 'href="/search/help/#limits"' in body
    atom = client.get("/search.atom", {"q": HOSTILE["parentheses 400 deep within the length"]})
    assert atom.status_code == 400
    assert "nest 400 deep" in atom.content.decode()


@pytest.mark.django_db
def test_nul_in_a_query_is_a_space_not_a_dropped_query(client, archive):
    response = client.get("/search.json", {"q": "missile\x00defense"})
    data = json.loads(response.content)
    assert response.status_code == 200
    assert data["query"]["q"] == "missile defense"
    assert data["total"] == search_run(params=SearchParams(q="missile defense")).total > 0


@pytest.mark.django_db
def test_the_wildcards_of_a_query_are_capped_in_total(client, archive, monkeypatch):
    query = "mi* OR de* OR ca*"  # missile, minister, ministry; defense, demarche...
    answered = client.get("/search.json", {"q": query})
    assert answered.status_code == 200 and json.loads(answered.content)["total"] > 0
    caches_clear()
    cache.clear()  # the page cache keeps the answer above
    monkeypatch.setattr(evaluate, "MAX_TOTAL_EXPANSION", 3)
    refused = client.get("/search.json", {"q": query})
    assert refused.status_code == 400
    message = json.loads(refused.content)["messages"][-1]
    assert message.startswith(REFUSED) and "reach more than 3 words" in message
    page = client.get("/search/", {"q": query})
    assert page.status_code == 400 and "reach more than 3 words" in page.content.decode()


@pytest.mark.django_db
def test_the_places_wildcards_reach_are_capped_before_any_is_read(client, archive, monkeypatch):
    caches_clear()
    monkeypatch.setattr(evaluate, "MAX_EXPANSION_POSTINGS", 2)
    assert search_run(params=SearchParams(q="kandahar*")).total == 1  # one place
    refused = client.get("/search.json", {"q": "missile*"})  # in every cable
    assert refused.status_code == 400
    message = json.loads(refused.content)["messages"][-1]
    assert message.startswith(REFUSED) and "in more than 2 places of the index" in message
    assert "missil* " in message  # the prefix as the analyzer reads it


@pytest.mark.django_db
def test_one_wide_wildcard_uses_its_first_words_and_says_so(archive, monkeypatch):
    caches_clear()
    monkeypatch.setattr(evaluate, "MAX_EXPANSION", 1)
    result = search_run(params=SearchParams(q="mi*"))
    assert not result.refused
    assert "“mi*” matches too many words; used the first 1." in result.messages
    assert len([m for m in result.messages if "matches too many" in m]) == 1


@pytest.mark.django_db
def test_the_help_page_lists_the_limits(client, archive):
    body = client.get("/search/help/").content.decode()
    assert 'id="limits"' in body
    for value in query_limits().values():
        assert f"{value:,}" in body


@pytest.mark.django_db
def test_the_places_a_querys_own_words_are_in_are_capped(client, archive, monkeypatch):
    """Many common words (OR-ed or not) read millions of postings at full scale: over
    MAX_QUERY_POSTINGS together, the query is refused before any is read."""
    caches_clear()
    total = search_run(params=SearchParams(q="missile OR walrus")).total
    assert total > 0
    monkeypatch.setattr(evaluate, "MAX_QUERY_POSTINGS", total - 1)
    caches_clear()
    cache.clear()
    refused = client.get("/search.json", {"q": "missile OR walrus"})
    assert refused.status_code == 400
    message = json.loads(refused.content)["messages"][-1]
    assert message.startswith(REFUSED)
    assert f"in more than {total - 1:,} places of the index together (missil " in message
    page = client.get("/search/", {"q": "missile OR walrus"})
    assert page.status_code == 400 and "Search for fewer or rarer words" in page.content.decode()
    # a rare word alone stays within the limit
    assert not search_run(params=SearchParams(q="kandahar")).refused
