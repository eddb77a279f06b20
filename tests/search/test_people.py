"""Searching for people and paragraph markings: the ``signer:``, ``by:``, ``person:`` and
``pclass:`` fields, the "Classified by" and "Paragraph marking" facets, whole person and
free-text tags, and the cable page's links into these searches."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from search.engine.columns import SEGMENT_KEYS, columns_for
from search.filters import SearchParams, search_params_from
from search.index import current_generation_dir, open_searcher, open_writer
from search.selectors import search_run
from search.services import caches_clear, index_cables_update
from tests.search.factories import make_cable
from tests.search.test_search import assert_facets_match_database

pytestmark = pytest.mark.django_db

GATES = "GATES, ROBERT M."


@pytest.fixture
def people(db, index_dir):
    cables = [
        make_cable(
            "08OTTAWA1",
            signer="CELLUCCI",
            classified_by="Brian Flora",
            tags=("PREL", GATES),
            paragraphs=(
                "(S) Missile defense first.",
                "(S) Missile defense again.",
                "(C) A confidential aside.",
            ),
        ),
        make_cable(
            "08OTTAWA2",
            signer="WILKINS",
            classified_by="Brian Flora",
            tags=("PHUM", "HUMAN RIGHTS"),
            paragraphs=("(S/NF) Not for foreigners.", "(U) Open talk."),
        ),
        make_cable(
            "09MEXICO3",
            post="MEXICO",
            signer="FLORA",
            classified_by="Robert Gates",
            tags=("MARR",),
            paragraphs=("(C) Troops.",),
        ),
        make_cable(
            "09MEXICO4",
            post="MEXICO",
            classification="UNCLASSIFIED",
            tags=("PREL", GATES),
            paragraphs=("(SBU) Sensitive but unclassified.",),
        ),
        make_cable(
            "10PARIS5",
            post="PARIS",
            signer="O'BRIEN",
            classified_by='John "Jack" Smith',
            tags=("MARR",),
            paragraphs=("(C) Quoted names.",),
        ),
        make_cable(
            "10PARIS6",
            post="PARIS",
            signer="FLORAS",
            classified_by="Floras Brian",
            created=datetime(2010, 5, 1, tzinfo=UTC),
            tags=("PREL",),
            paragraphs=("No marking at all.",),
        ),
    ]
    index_cables_update(pending=True)
    return cables


def ids(q: str = "", **params) -> set[str]:
    result = search_run(params=SearchParams(q=q, **params), per_page=100)
    return {row["reference_id"] for row in result.rows}


def facet(result, name: str) -> dict[str, dict]:
    found = next(f for f in result.facets if f["name"] == name)
    return {item["value"]: item for item in found["results"]}


# -- the query language --------------------------------------------------------------


@pytest.mark.parametrize("q", ["signer:CELLUCCI", "signer:cellucci", 'signer:"Cellucci"'])
def test_signer(people, q):
    assert ids(q) == {"08OTTAWA1"}


def test_signer_is_only_the_signer(people):
    assert ids("signer:flora") == {"09MEXICO3"}  # not the cables Brian Flora classified
    assert ids("signer:wilkins OR signer:cellucci") == {"08OTTAWA1", "08OTTAWA2"}


@pytest.mark.parametrize("q", ["by:flora", "by:FLORA", 'by:"Brian Flora"', 'by:"brian flora"'])
def test_classified_by(people, q):
    assert ids(q) == {"08OTTAWA1", "08OTTAWA2"}


def test_names_are_phrases_and_words_without_stemming(people):
    assert ids('by:"Flora Brian"') == set()  # word order counts
    assert ids('by:"Floras Brian"') == {"10PARIS6"}
    assert ids("by:floras") == {"10PARIS6"}  # no stemming either way
    assert ids("by:flor*") == {"08OTTAWA1", "08OTTAWA2", "10PARIS6"}
    assert ids("by:gates") == {"09MEXICO3"}
    assert ids("by:flora foreigners") == {"08OTTAWA2"}
    assert ids("missile -by:flora") == {"09MEXICO3", "09MEXICO4", "10PARIS5", "10PARIS6"}


def test_person_is_signer_classifier_or_person_tag(people):
    assert ids("person:gates") == {"08OTTAWA1", "09MEXICO3", "09MEXICO4"}
    assert ids('person:"GATES, ROBERT"') == {"08OTTAWA1", "09MEXICO4"}
    assert ids(f'person:"{GATES}"') == {"08OTTAWA1", "09MEXICO4"}
    assert ids("person:flora") == {"08OTTAWA1", "08OTTAWA2", "09MEXICO3"}
    assert ids("person:wilkins") == {"08OTTAWA2"}
    # signer, classifier and tags are separate names: no phrase runs across them
    assert ids('person:"cellucci brian"') == set()
    assert ids('person:"flora gates"') == set()


def test_names_with_quotes_and_apostrophes(people):
    assert ids("signer:O'Brien") == {"10PARIS5"}
    assert ids('signer:"o\'brien"') == {"10PARIS5"}
    assert ids('by:"John Jack Smith"') == {"10PARIS5"}
    assert ids("by:jack") == {"10PARIS5"}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("pclass:S", {"08OTTAWA1"}),
        ("pclass:s", {"08OTTAWA1"}),
        ("pclass:(S)", {"08OTTAWA1"}),
        ("pclass:S/NF", {"08OTTAWA2"}),
        ("pclass:C", {"08OTTAWA1", "09MEXICO3", "10PARIS5"}),
        ("pclass:SBU", {"09MEXICO4"}),
        ("pclass:U", {"08OTTAWA2"}),
        ("pclass:S pclass:C", {"08OTTAWA1"}),
        ("pclass:TS", set()),
    ],
)
def test_paragraph_marking(people, q, expected):
    assert ids(q) == expected


def test_tags_with_spaces_and_commas_are_whole(people):
    assert ids(f'tag:"{GATES}"') == {"08OTTAWA1", "09MEXICO4"}
    assert ids('tag:"gates,  robert m."') == {"08OTTAWA1", "09MEXICO4"}
    assert ids('tag:"HUMAN RIGHTS"') == {"08OTTAWA2"}
    assert ids("tag:gates") == set()  # a tag is one value, not its words
    assert ids("tag:human") == set()
    assert ids("tag:prel") == {"08OTTAWA1", "09MEXICO4", "10PARIS6"}


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("pclass:XYZ123", "is not a paragraph marking"),
        ("pclass:", "needs a value"),
        ("by:", "needs a value"),
        ('by:""', "names nobody"),
        ("signer:--", "names nobody"),
        ('person:"gates', "quotation mark was not closed"),
        ('caveat:"SIPDIS SIPDIS"', "takes one value"),  # once a Whoosh QueryError
        ('post:"OTTAWA OTTAWA"', "takes one value"),
    ],
)
def test_bad_values_are_explained(client, people, q, message):
    result = search_run(params=SearchParams(q=q))
    assert any(message in m for m in result.messages), result.messages
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert client.get("/search.json", {"q": q}).status_code == 200


def test_a_phrase_on_a_field_of_codes_never_raises(people):
    from whoosh import query as wq

    from search.engine.evaluate import query_evaluate

    with open_searcher() as searcher:
        columns = columns_for(searcher)
        phrase = wq.Phrase("caveat", ["sipdis", "sipdis"])
        assert query_evaluate(searcher, columns, phrase).mask.sum() == 6


# -- facets ----------------------------------------------------------------------------


def test_classified_by_facet(people):
    result = search_run(params=SearchParams())
    by = facet(result, "by")
    assert {v: i["count"] for v, i in by.items()} == {
        "Brian Flora": 2,
        "Robert Gates": 1,
        'John "Jack" Smith': 1,
        "Floras Brian": 1,
    }
    assert by["Brian Flora"]["toggle_url"] == "/search/?by=Brian+Flora"
    chosen = search_run(params=SearchParams(by="Brian Flora"))
    assert chosen.total == 2
    item = facet(chosen, "by")["Brian Flora"]
    assert item["selected"] and item["toggle_url"] == "/search/"
    # the other names still count over the other filters (one value per cable)
    assert facet(chosen, "by")["Robert Gates"]["count"] == 1


def test_paragraph_marking_facet_counts_each_cable_once(people):
    result = search_run(params=SearchParams())
    pclass = facet(result, "pclass")
    assert {v: i["count"] for v, i in pclass.items()} == {
        "S": 1,  # two (S) paragraphs, one cable
        "C": 3,
        "S/NF": 1,
        "U": 1,
        "SBU": 1,
    }
    assert pclass["S/NF"]["label"] == "(S/NF) Secret, NOFORN"
    assert pclass["C"]["toggle_url"] == "/search/?pclass=C"
    chosen = search_run(params=SearchParams(pclasses=("C",)))
    assert chosen.total == 3
    counts = {v: i["count"] for v, i in facet(chosen, "pclass").items()}
    assert counts == {"C": 3, "S": 1}  # both means both
    both = facet(chosen, "pclass")["S"]
    assert both["toggle_url"] == "/search/?pclass=C&pclass=S"
    assert facet(chosen, "pclass")["C"]["toggle_url"] == "/search/"


def test_a_person_tag_is_one_facet_and_filter_value(people):
    tags = facet(search_run(params=SearchParams()), "tag")
    assert tags[GATES]["count"] == 2
    assert tags["HUMAN RIGHTS"]["count"] == 1
    assert not {"GATES,", "ROBERT", "M.", "HUMAN", "RIGHTS"} & set(tags)
    url = tags[GATES]["toggle_url"]
    assert url == "/search/?tag=GATES%2C+ROBERT+M."
    params, _ = search_params_from(parse_qs(urlsplit(url).query))
    assert params.tags == (GATES,) and not params.messages
    assert ids(**{"tags": params.tags}) == {"08OTTAWA1", "09MEXICO4"}
    assert tags[GATES]["exclude_url"] == "/search/?xtag=GATES%2C+ROBERT+M."
    assert ids(xtags=(GATES,)) == {"08OTTAWA2", "09MEXICO3", "10PARIS5", "10PARIS6"}


FILTER_CASES = [
    {},
    {"by": "Brian Flora"},
    {"pclasses": ("C",)},
    {"pclasses": ("S", "C")},
    {"tags": (GATES,)},
    {"tags": ("HUMAN RIGHTS",), "by": "Brian Flora"},
    {"xtags": (GATES,), "pclasses": ("C",)},
    {"post": "PARIS", "by": 'John "Jack" Smith'},
]


@pytest.mark.parametrize("filters", FILTER_CASES)
def test_facet_counts_equal_database_counts(people, filters):
    assert_facets_match_database(SearchParams(**filters))


@pytest.mark.parametrize("q", ["by:flora", "pclass:C", "person:gates"])
def test_facet_counts_within_a_query(people, q):
    result = search_run(params=SearchParams(q=q))
    found = ids(q)
    assert result.total == len(found)
    for name in ("by", "pclass"):
        for value, item in facet(result, name).items():
            extra = {"by": value} if name == "by" else {"pclasses": (value,)}
            assert item["count"] == len(ids(q, **extra)), (name, value)


# -- through HTTP ----------------------------------------------------------------------


def test_url_parameters_in_the_page_and_its_twins(client, people):
    query = {"by": "Brian Flora", "pclass": ["S", "C"], "q": "missile"}
    html = client.get("/search/", query).content.decode()
    assert "1 cable for" in html
    assert "Classified by" in html and "Paragraph marking" in html
    assert 'aria-label="Remove Classified by Brian Flora"' in html
    assert '<input type="hidden" name="by" value="Brian Flora">' in html
    assert '<input type="hidden" name="pclass" value="S">' in html
    data = json.loads(client.get("/search.json", query).content)
    assert data["total"] == 1
    facets = {f["name"]: f for f in data["facets"]}
    assert {"by", "pclass"} <= set(facets)
    for name in ("by", "pclass"):
        assert set(facets[name]) >= {"name", "results", "truncated"}
        for item in facets[name]["results"]:
            assert set(item) >= {"value", "label", "count", "selected", "toggle_url"}
            assert item["toggle_url"].startswith("http://testserver/search.json")
    selected = [i["value"] for i in facets["pclass"]["results"] if i["selected"]]
    assert sorted(selected) == ["C", "S"]
    response = client.get("/search.csv", query)
    assert response["X-Total-Count"] == "1"
    assert b"08OTTAWA1" in b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ({"pclass": "<b>"}, "is not a paragraph marking"),
        ({"pclass": "SECRET-ISH"}, "is not a paragraph marking"),
        ({"by": "x" * 300}, "Classified by “"),
        ({"tag": "GATES; ROBERT"}, "is not a tag code"),
    ],
)
def test_bad_filter_values_give_a_message(client, people, query, text):
    response = client.get("/search/", query)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert "<b>" not in response.content.decode().split("<main", 1)[-1]


# -- the index keeps working across versions ------------------------------------------


def test_column_files_without_the_new_columns_are_rebuilt(people):
    folder = current_generation_dir() / "columns"
    files = [p for p in folder.glob("*.npz") if ".hot" not in p.name]
    assert files
    for path in files:
        with np.load(path) as data:
            old = {k: data[k] for k in data.files if not k.startswith(("by", "pcl"))}
        np.savez(path, **old)
    caches_clear()
    assert facet(search_run(params=SearchParams()), "by")["Brian Flora"]["count"] == 2
    with open_writer():  # the next commit writes them whole again
        pass
    for path in files:
        with np.load(path) as data:
            assert set(data.files) >= SEGMENT_KEYS
    caches_clear()
    with open_searcher() as searcher:
        columns = columns_for(searcher)
        assert "S/NF" in set(columns.pcl_vocab)


# -- the cable page --------------------------------------------------------------------


def test_cable_page_links_signer_and_classifier_to_searches(client, people):
    html = client.get("/cable/08OTTAWA1/").content.decode()
    assert 'href="/search/?q=signer%3A%22CELLUCCI%22"' in html
    assert 'href="/search/?q=by%3A%22Brian+Flora%22"' in html
    data = client.get("/cable/08OTTAWA1.json").json()
    assert data["signer"] == "CELLUCCI"
    assert data["classified_by"]["name"] == "Brian Flora"
    assert (
        data["classified_by"]["search_url"] == "http://testserver/search/?q=by%3A%22Brian+Flora%22"
    )
    assert data["signer_search_url"] == "http://testserver/search/?q=signer%3A%22CELLUCCI%22"


def test_cable_page_links_escape_quotes_and_find_the_cable(client, people):
    html = client.get("/cable/10PARIS5/").content.decode()
    by_url = "/search/?q=by%3A%22John+Jack+Smith%22"
    signer_url = "/search/?q=signer%3A%22O%27BRIEN%22"
    assert f'href="{by_url}"' in html
    assert f'href="{signer_url}"' in html
    assert "John &quot;Jack&quot; Smith" in html
    for url in (by_url, signer_url):
        data = client.get(url.replace("/search/", "/search.json")).json()
        assert [r["reference_id"] for r in data["results"]] == ["10PARIS5"]
        assert not data["messages"]


def test_cable_without_signer_or_classifier_has_no_links(client, people):
    html = client.get("/cable/09MEXICO4/").content.decode()
    assert "signer%3A" not in html and "by%3A" not in html
    data = client.get("/cable/09MEXICO4.json").json()
    assert data["signer"] is None and data["signer_search_url"] is None
    assert data["classified_by"] == {"name": None, "title": None, "search_url": None}
