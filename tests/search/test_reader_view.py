"""Issue 14, the reader's view (items 7, 8, 10, 11, 13, 14), through the views: the
long query's links, honest limits, tag meanings, the cable opened from a search,
the time axis and one link per result. The layout at 400 px is the browser suite's
(tests/browser/test_reader_layout.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from cables.glossary import classify
from search.engine.limits import MAX_QUERY_LENGTH
from search.filters import SearchParams
from search.histogram import year_periods
from search.selectors import search_run
from search.services import index_cables_update
from tests.search.factories import make_cable

MARR = classify("MARR").meaning


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def results_block(html: str) -> str:
    return html.split('<ol class="results"', 1)[1].split("</ol>", 1)[0]


# -- item 7: a long query ----------------------------------------------------------


def test_a_10000_character_query_links_only_the_query_that_was_read(client, archive):
    words = " OR ".join("zz" + "q" * 95 + str(i) for i in range(100))
    q = f"missile OR {words}"
    assert len(q) > 10_000
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"was {len(q):,} characters long; only its first" in html  # the page says so
    links = [h for h in hrefs(html) if "q=" in h]
    assert len(links) > 10  # sort, facet, twin and result links all carry it
    for link in links:
        (used,) = parse_qs(urlsplit(link).query)["q"]
        assert len(used) <= MAX_QUERY_LENGTH and used.startswith("missile OR zz")
    assert len(response.content) < 100_000, len(response.content)
    assert f'maxlength="{MAX_QUERY_LENGTH}"' in html


# -- item 8: honest limits ---------------------------------------------------------


def test_more_lists_every_value_or_says_it_is_truncated(client, db, index_dir, monkeypatch):
    for i in range(15):
        make_cable(f"08OTTAWA{i + 1}", tags=(f"T{i:02d}",))
    index_cables_update(pending=True)
    tag = next(f for f in search_run(params=SearchParams(more="tag")).facets if f["name"] == "tag")
    assert len(tag["results"]) == 15 and not tag["truncated"] and tag["distinct"] == 15
    assert "All 15 shown." in client.get("/search/", {"more": "tag"}).content.decode()

    monkeypatch.setattr("search.facets.FACET_MORE", 5)
    data = client.get("/search.json", {"more": "tag", "q": "missile"}).json()
    tag = next(f for f in data["facets"] if f["name"] == "tag")
    assert len(tag["results"]) == 5 and tag["truncated"] and tag["distinct"] == 15
    html = client.get("/search/", {"more": "tag", "q": "missile"}).content.decode()
    assert "The 5 most frequent of 15 shown." in html


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ({"classification": "foo"}, "Classification “foo” was ignored: a classification is one"),
        ({"sort": "foo"}, "Sort “foo” was ignored: sort by relevance, newest, oldest."),
        ({"more": "foo"}, "More “foo” was ignored: only the list of tag,"),
        ({"year": "99999"}, "Year “99999” was ignored: a year is written with four digits"),
        ({"year": "2008", "month": "13"}, "Month “13” was ignored: a month is a number from 1"),
        ({"page": "0"}, "Page “0” was ignored: a page is a whole number, 1 or more."),
    ],
)
def test_bad_parameters_get_the_archives_own_words(client, archive, query, text):
    html = client.get("/search/", query).content.decode()
    assert text in html
    assert "Select a valid choice" not in html and "Ensure this value" not in html


def test_the_heading_does_not_nest_quotes(client, archive):
    phrase = client.get("/search/", {"q": '"missile defense"'}).content.decode()
    heading = phrase.split('id="search-heading">', 1)[1].split("</h1>", 1)[0]
    assert "“&quot;" not in heading and "&quot;missile defense&quot;" in heading
    words = client.get("/search/", {"q": "missile"}).content.decode()
    assert "for “missile”" in words


def test_a_one_tag_chip_says_tag_and_shows_its_meaning(client, archive):
    html = client.get("/search/", {"tag": "MARR"}).content.decode()
    chips = html.split('aria-label="Active filters"', 1)[1].split("</ul>", 1)[0]
    assert '<span class="chip-title">Tag</span> MARR' in chips
    assert "Tags</span>" not in chips
    assert f'<span class="chip-meaning">{MARR}</span>' in chips


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("?q=missile&from=&to=", "/search/?q=missile"),
        ("?from=&to=", "/search/"),
        (
            "?q=missile&tag=PREL&tag=&from=2008-01-01&to=",
            "/search/?q=missile&tag=PREL&from=2008-01-01",
        ),
    ],
)
def test_empty_parameters_redirect_to_the_short_url(client, archive, query, target):
    response = client.get("/search/" + query)
    assert response.status_code == 302 and response["Location"] == target


def test_no_link_of_the_page_has_an_empty_parameter(client, archive):
    html = client.get("/search/", {"q": "missile", "tag": "PREL"}).content.decode()
    for link in hrefs(html):
        assert not re.search(r"[?&][a-z]+=(&|$|#)", link), link


# -- item 10: tag meanings ---------------------------------------------------------


def test_facet_values_and_result_rows_show_tag_meanings(client, archive):
    html = client.get("/search/", {"q": "missile"}).content.decode()
    facet = html.split('class="facet facet-tag"', 1)[1].split("</section>", 1)[0]
    assert f'title="{MARR}">MARR</a>' in facet
    assert f'<span class="facet-meaning">{MARR}</span>' in facet
    rows = results_block(html).split('<li class="result"')[1:]
    assert all('<ul class="result-tags" aria-label="Tags">' in row for row in rows)
    paris = next(row for row in rows if "10PARIS500" in row)
    assert f'<li title="{MARR}"><span class="tag-code">MARR</span>' in paris


# -- item 14: one link per result ----------------------------------------------------


def test_one_link_per_result(client, archive):
    html = client.get("/search/", {"q": "missile"}).content.decode()
    rows = results_block(html).split('<li class="result"')[1:]
    assert len(rows) == search_run(params=SearchParams(q="missile")).total >= 3
    for row in rows:
        assert len(re.findall(r"<a\s", row)) == 1, row


# -- item 11: from a result to the next ----------------------------------------------


def result_links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'class="result-title"><a href="([^"]*)"', html)]


def test_result_links_carry_the_search_and_the_cable_page_uses_it(client, archive):
    html = client.get("/search/", {"q": "missile", "sort": "oldest"}).content.decode()
    links = result_links(html)
    assert links[0].startswith("/cable/") and links[0].endswith("?q=missile&sort=oldest&pos=1")
    ids = [link.split("/")[2] for link in links]
    total = len(ids)
    assert total == search_run(params=SearchParams(q="missile")).total >= 3

    middle = client.get(links[1]).content.decode()
    nav = middle.split('<nav class="result-nav"', 1)[1].split("</nav>", 1)[0]
    assert f"Result 2 of {total} for “missile”" in nav
    assert 'href="/search/?q=missile&amp;sort=oldest#r2"' in nav  # back to results
    assert f'href="/cable/{ids[0]}/?q=missile&amp;sort=oldest&amp;pos=1"' in nav
    assert f'href="/cable/{ids[2]}/?q=missile&amp;sort=oldest&amp;pos=3"' in nav
    text = middle.split('id="text"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"<mark>missile</mark>", text, re.IGNORECASE)
    assert '<meta name="robots" content="noindex">' in middle
    assert 'rel="canonical" href="http://testserver/cable/' in middle

    first = client.get(links[0]).content.decode()
    assert 'rel="prev"' not in first.split("</nav>", 2)[1] and 'rel="next"' in first
    # The plain permalink: no search, no marks (each URL is its own cached page).
    plain = client.get(f"/cable/{ids[1]}/").content.decode()
    assert "result-nav" not in plain and "<mark>" not in plain.split('id="text"', 1)[1]


def test_a_stale_position_finds_the_cable_and_bad_ones_do_no_harm(client, archive):
    links = result_links(client.get("/search/", {"q": "missile"}).content.decode())
    rid = links[2].split("/")[2]
    moved = client.get(f"/cable/{rid}/", {"q": "missile", "pos": "1"}).content.decode()
    assert f"Result 3 of {len(links)}" in moved
    for pos in ("0", "-4", "abc", "99999999999999999999"):
        response = client.get(f"/cable/{rid}/", {"q": "missile", "pos": pos})
        assert response.status_code == 200 and "Back to results" in response.content.decode()
    elsewhere = client.get(f"/cable/{rid}/", {"q": "nomatchwhatsoever", "pos": "1"})
    assert "No longer a result of" in elsewhere.content.decode()


def test_the_cable_page_escapes_the_query(client, archive):
    links = result_links(client.get("/search/", {"q": "missile"}).content.decode())
    rid = links[0].split("/")[2]
    html = client.get(f"/cable/{rid}/", {"q": "missile <script>alert(1)</script>", "pos": "1"})
    body = html.content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body


def test_the_page_cache_keeps_search_context_pages_apart(client, archive):
    links = result_links(client.get("/search/", {"q": "missile"}).content.decode())
    rid = links[0].split("/")[2]
    for _ in range(2):  # the second answer of each comes from the page cache
        assert "result-nav" in client.get(links[0]).content.decode()
        assert "result-nav" not in client.get(f"/cable/{rid}/").content.decode()
    first = client.get(links[0])
    again = client.get(links[0], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


# -- item 13: a time axis -------------------------------------------------------------


def test_year_periods_include_the_empty_years():
    periods = year_periods([(1972, 2), (1975, 1), (1974, 0)])
    assert [(p.period, p.count) for p in periods] == [
        ("1972", 2),
        ("1973", 0),
        ("1974", 0),
        ("1975", 1),
    ]
    assert year_periods([]) == []


@pytest.fixture
def spread(db, index_dir):
    for year in (1995, 2004, 2008):  # more than ten years: the search draws years too
        make_cable(f"{year % 100:02d}OTTAWA1", created=datetime(year, 5, 1, tzinfo=UTC))
    index_cables_update(pending=True)


@pytest.mark.parametrize("url", ["/tag/MARR/", "/post/OTTAWA/", "/date/"])
def test_per_year_series_are_one_svg_with_empty_years(client, spread, url):
    html = client.get(url).content.decode()
    assert html.count('<svg class="histogram-svg"') == 1
    assert 'class="bars"' not in html
    for year in (1996, 2005, 2006, 2007):
        assert f"<title>{year}: no cables</title>" in html
    assert "<title>2004: 1 cable</title>" in html and "<title>2009:" not in html


def test_the_search_draws_years_once_as_a_time_axis(client, spread):
    html = client.get("/search/", {"tag": "MARR"}).content.decode()
    assert html.count('<svg class="histogram-svg"') == 1
    assert "facet-year" not in html  # no second, list-shaped year facet
    assert "<title>2006: no cables</title>" in html
    assert 'href="/search/?tag=MARR&amp;year=2004"' in html
    chosen = client.get("/search/", {"tag": "MARR", "year": "2004"}).content.decode()
    assert '<span class="chip-title">Year</span> 2004' in chosen


def test_a_month_axis_links_its_years(client, db, index_dir):
    for month in (1, 6, 12):
        make_cable(f"08OTTAWA{month}", created=datetime(2008, month, 1, tzinfo=UTC))
    make_cable("09OTTAWA1", created=datetime(2009, 2, 1, tzinfo=UTC))
    index_cables_update(pending=True)
    html = client.get("/search/", {"q": "missile"}).content.decode()
    svg = html.split('<svg class="histogram-svg"', 1)[1].split("</svg>", 1)[0]
    assert svg.count('class="hist-year"') == 2  # 2008 and 2009, under the month bars
    assert "<title>Mar 2008: no cables</title>" in svg
    assert (
        '<a class="hist-year" href="/search/?q=missile&amp;year=2009" aria-label="All of 2009">'
        in html
    )
