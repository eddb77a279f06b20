"""Searching a real Whoosh index of ORM-made cables: language, facets, pages, twins."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cables.models import Cable
from search.filters import SearchParams, filterset_queryset, search_params_from
from search.links import search_url
from search.selectors import cables_citing_count, search_run
from search.services import index_cables_update

pytestmark = pytest.mark.django_db


def ids(q: str = "", **params) -> set[str]:
    result = search_run(params=SearchParams(q=q, **params), per_page=100)
    return {row["reference_id"] for row in result.rows}


def test_words_are_all_required_and_case_insensitive(archive):
    assert ids("missile defense") == {
        "08OTTAWA100",
        "10PARIS500",
        "09MEXICO300",
        "08OTTAWA200",
        "10PARIS600",
        "10STATE700",
        "09MEXICO400",
        "87ROME800",
    } & ids("MISSILE") & ids("Defense")
    assert ids("france europe") == {"10PARIS500"}


def test_phrase_or_not_prefix_and_fields(archive):
    assert ids('"missile defense"') == {"08OTTAWA100", "10PARIS500"}
    assert ids("kandahar OR juarez") == {"08OTTAWA200", "09MEXICO300"}
    assert ids("iran -sanctions") == {"10PARIS500"}
    assert ids("iran NOT sanctions") == {"10PARIS500"}
    assert ids("negotiat*") == {"09MEXICO400"}
    assert ids("subject:iran") == {"10PARIS600"}
    assert ids("tag:mx") == {"09MEXICO300", "09MEXICO400"}
    assert ids("post:Paris") == {"10PARIS500", "10PARIS600"}
    assert ids("ref:08OTTAWA100") == {"08OTTAWA200", "09MEXICO300"}
    assert ids("classification:secret") == {"09MEXICO300", "10PARIS500"}
    assert ids("classification:unclassified-fouo") == {"10STATE700"}
    assert ids("(iran OR kandahar) defense") == {"08OTTAWA200", "10PARIS500", "10PARIS600"}


def test_public_helpers(archive):
    assert cables_citing_count(reference_id="08OTTAWA100") == 2
    assert search_url(tags=("MARR",)) == "/search/?tag=MARR"
    assert search_url(q="ref:08OTTAWA100") == "/search/?q=ref%3A08OTTAWA100"


def test_browse_is_newest_first_and_sorts_both_ways(archive):
    newest = search_run(params=SearchParams()).rows
    assert [r["reference_id"] for r in newest][:2] == ["10STATE700", "10PARIS600"]
    assert newest[-1]["reference_id"] == "87ROME800"  # undated last
    oldest = search_run(params=SearchParams(sort="oldest")).rows
    assert oldest[0]["reference_id"] == "08OTTAWA100"
    relevance = search_run(params=SearchParams(q="missile"))
    assert relevance.sort == "relevance"
    assert relevance.rows[-1]["reference_id"] == "09MEXICO400"  # once, in the text only


def test_snippet_highlights_and_escapes(archive):
    Cable.objects.filter(reference_id="10PARIS600").update(index_pending=True)
    cable = Cable.objects.get(reference_id="10PARIS600")
    paragraph = cable.paragraphs.get()
    paragraph.text = "(C) Iran <b>sanctions</b> & the defense of Europe."
    paragraph.save()
    row = search_run(params=SearchParams(q="sanctions")).rows[0]
    assert any(seg["mark"] and seg["text"].lower() == "sanctions" for seg in row["segments"])
    assert "&lt;b&gt;<mark>sanctions</mark>&lt;/b&gt; &amp;" in row["snippet_html"]


FILTER_CASES = [
    {},
    {"tags": ("PREL",)},
    {"tags": ("PREL", "MARR")},
    {"xtags": ("PREL",)},
    {"post": "MEXICO"},
    {"classification": "SECRET"},
    {"caveat": "NOFORN"},
    {"year": 2010},
    {"year": 2010, "month": 2},
    {"tags": ("PREL",), "classification": "CONFIDENTIAL", "year": 2008},
    {"pclasses": ("S",)},
    {"pclasses": ("C", "U")},
    {"pclasses": ("SBU",), "classification": "UNCLASSIFIED//FOUO"},
]


@pytest.mark.parametrize("filters", FILTER_CASES)
def test_totals_and_facet_counts_equal_database_counts(archive, filters):
    assert_facets_match_database(SearchParams(**filters))


def assert_facets_match_database(params: SearchParams) -> None:
    from dataclasses import replace

    result = search_run(params=params, with_rows=False)
    assert result.total == filterset_queryset(params).count()
    facets = {f["name"]: f for f in result.facets}
    for item in facets["post"]["results"]:
        assert item["count"] == filterset_queryset(replace(params, post=item["value"])).count()
    for item in facets["classification"]["results"]:
        expected = filterset_queryset(replace(params, classification=item["value"])).count()
        assert item["count"] == expected
    for item in facets["caveat"]["results"]:
        assert item["count"] == filterset_queryset(replace(params, caveat=item["value"])).count()
    for item in facets["tag"]["results"]:
        tags = tuple(dict.fromkeys((*params.tags, item["value"])))
        assert item["count"] == filterset_queryset(replace(params, tags=tags)).count()
    for item in facets["by"]["results"]:
        assert item["value"]  # cables nobody classified are not a value
        assert item["count"] == filterset_queryset(replace(params, by=item["value"])).count()
    for item in facets["pclass"]["results"]:
        pclasses = tuple(dict.fromkeys((*params.pclasses, item["value"])))
        assert item["count"] == filterset_queryset(replace(params, pclasses=pclasses)).count()
    for item in facets["year"]["results"]:
        expected = filterset_queryset(replace(params, year=int(item["value"]), month=None)).count()
        assert item["count"] == expected
    if params.year:
        for item in facets["month"]["results"]:
            expected = filterset_queryset(replace(params, month=int(item["value"]))).count()
            assert item["count"] == expected


def test_date_range_filter(archive):
    params, _ = search_params_from({"from": "2009-06-01", "to": "2010-02-02"})
    assert ids(**{k: getattr(params, k) for k in ("date_from", "date_to")}) == {
        "09MEXICO300",
        "09MEXICO400",
        "10PARIS500",
    }
    assert_facets_match_database(params)


def test_updated_cable_is_not_counted_twice(archive):
    before = search_run(params=SearchParams(), with_rows=False)
    Cable.objects.filter(reference_id="10PARIS500").update(subject="CHANGED", index_pending=True)
    index_cables_update(pending=True)
    after = search_run(params=SearchParams(), with_rows=False)
    assert after.total == before.total == 8
    assert ids("subject:changed") == {"10PARIS500"}
    assert ids("subject:french") == set()


def test_selected_facet_values_have_remove_links(archive):
    result = search_run(params=SearchParams(tags=("PREL",), post="PARIS"))
    tag = next(f for f in result.facets if f["name"] == "tag")
    prel = next(r for r in tag["results"] if r["value"] == "PREL")
    assert prel["selected"] and prel["toggle_url"] == "/search/?post=PARIS"
    fr = next(r for r in tag["results"] if r["value"] == "FR")
    assert fr["toggle_url"] == "/search/?tag=PREL&tag=FR&post=PARIS"
    assert fr["exclude_url"] == "/search/?tag=PREL&xtag=FR&post=PARIS"


# -- through HTTP -----------------------------------------------------------------


@pytest.mark.parametrize("q", ["08OTTAWA200", "08 OTTAWA 200", "08ottawa200", "08OTTAWA000200"])
def test_a_cable_id_redirects_to_the_cable(client, archive, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 302
    assert response["Location"] == "/cable/08OTTAWA200/"


def test_an_unknown_id_is_searched_as_words(client, archive):
    assert client.get("/search/", {"q": "08OTTAWA999"}).status_code == 200


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ({"q": "internationalization " * 500}, "10,499 characters long"),
        ({"q": '"missile defense'}, "quotation mark was not closed"),
        ({"q": "(missile OR iran"}, "never closed"),
        ({"q": "colour:red"}, "There is no field"),
        ({"tag": "<script>alert(1)</script>"}, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ({"from": "2003-13-45"}, "From date “2003-13-45” was ignored"),
        ({"classification": "PURPLE"}, "Classification “PURPLE” was ignored"),
        ({"year": "abc"}, "Year “abc” was ignored"),
        ({"page": "abc"}, "Page “abc” was ignored"),
    ],
)
def test_bad_input_gives_a_message_never_a_500(client, archive, query, text):
    response = client.get("/search/", query)
    assert response.status_code == 200
    body = response.content.decode()
    assert text in body
    assert "<script>alert(1)" not in body


def test_page_beyond_the_end_is_a_friendly_404(client, archive):
    response = client.get("/search/", {"q": "missile", "page": "1000000000"})
    assert response.status_code == 404
    assert "There is no page 1,000,000,000" in response.content.decode()
    assert client.get("/search.json", {"page": "1000000000"}).status_code == 404


def test_html_page_advertises_its_twins(client, archive):
    body = client.get("/search/", {"q": "missile", "tag": "PREL"}).content.decode()
    assert (
        '<link rel="alternate" type="application/json" href="/search.json?q=missile&amp;tag=PREL"'
        in body
    )
    assert 'href="/search.csv?q=missile&amp;tag=PREL"' in body
    assert "<mark>" in body


def test_json_twin(client, archive):
    response = client.get("/search.json", {"q": "missile", "tag": "PREL"})
    data = json.loads(response.content)
    assert data["total"] == 3
    assert data["page"] == 1 and data["pages"] == 1
    first = data["results"][0]
    assert set(first) >= {
        "reference_id",
        "subject",
        "created",
        "post",
        "classification",
        "snippet",
        "url",
    }
    facet = data["facets"][0]
    assert set(facet) >= {"name", "results", "truncated"}
    assert set(facet["results"][0]) >= {"value", "label", "count", "selected", "toggle_url"}
    assert facet["results"][0]["toggle_url"].startswith("http://testserver/search.json")
    assert data["query"]["parsed"]


def test_csv_twin_streams_the_whole_result_set(client, archive):
    response = client.get("/search.csv", {"q": "missile", "page": "2"})
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "reference_id"
    assert len(rows) - 1 == search_run(params=SearchParams(q="missile")).total


def test_home_and_help(client, archive):
    assert "All 8 cables" in client.get("/").content.decode()
    help_page = client.get("/search/help/").content.decode()
    assert "ref:03OTTAWA492" in help_page


def test_more_link_expands_a_long_facet(client, db, index_dir):
    from tests.search.factories import make_cable

    for i in range(15):
        make_cable(f"08OTTAWA{i + 1}", tags=(f"T{i:02d}",))
    index_cables_update(pending=True)
    result = search_run(params=SearchParams())
    tag = next(f for f in result.facets if f["name"] == "tag")
    assert tag["truncated"] and tag["more_url"] == "/search/?more=tag"
    expanded = search_run(params=SearchParams(more="tag"))
    assert len(next(f for f in expanded.facets if f["name"] == "tag")["results"]) == 15


def test_no_index_yet_is_a_message(client, db, index_dir):
    response = client.get("/search/", {"q": "missile"})
    assert response.status_code == 200
    assert "rebuild_index" in response.content.decode()


def test_relevance_page_is_full_when_some_cables_have_no_subject(db, index_dir):
    """A cable without a subject once made every subject score NaN, and the top-20
    selection then returned an empty first page for broad queries."""
    from tests.search.factories import make_cable

    for serial in range(1, 101):
        make_cable(
            f"09LONDON{serial}",
            subject="" if serial % 3 == 0 else f"EMBASSY REPORT {serial}",
            paragraphs=(f"(C) The embassy reported on item {serial}.",),
        )
    index_cables_update(pending=True)
    result = search_run(params=SearchParams(q="embassy"))
    assert result.total == 100
    assert len(result.rows) == 20
