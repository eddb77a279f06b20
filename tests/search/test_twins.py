"""The twins a script uses (issue 14 item 12) and safe CSV (issue 15 item 9):
``/search.json`` pages with ``per_page``, ``next`` and ``prev`` and absolute URLs; the
CSV has tags, release date, summary and absolute URLs, is named after the search,
neutralises spreadsheet formulas and streams the database a chunk at a time; the
JSON, CSV and Atom twins carry a read-only CORS header, the HTML pages do not."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cables.csvcells import csv_cell, csv_text
from cables.models import Cable
from readinglists.models import ListEntry, ReadingList
from search import selectors
from search.services import index_cables_update
from tests.search.factories import make_cable

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# -- CSV cells -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+2", "'+1+2"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("MISSILE DEFENSE = COSTS", "MISSILE DEFENSE = COSTS"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(value, cell):
    assert csv_cell(value) == cell


def test_the_quoted_cell_reads_back_as_text():
    text = csv_text([["subject", "note"], ["=1+1", 'say "hi",\n@me']])
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [
        ["subject", "note"],
        ["'=1+1", 'say "hi",\n@me'],  # one cell: its second line is no formula
    ]


@pytest.fixture
def hostile(db, index_dir):
    make_cable(
        "08OTTAWA100",
        subject='=HYPERLINK("http://evil.example","click")',
        tags=("PREL", "MARR"),
    )
    Cable.objects.filter(reference_id="08OTTAWA100").update(
        summary="@SUM(1+1)*cmd|' /C calc'!A0",
        released=datetime(2011, 8, 30, tzinfo=UTC),
    )
    make_cable("08OTTAWA200", subject="-2+3 PLAIN MISSILE NOTE", tags=("PREL",))
    index_cables_update(pending=True)


def test_search_csv_neutralises_formulas_and_has_tags_release_summary_absolute_urls(
    client, hostile
):
    response = client.get("/search.csv", {"tag": "PREL", "sort": "oldest"})
    rows = _csv(response)
    assert rows[0] == selectors.CSV_COLUMNS
    assert rows[0] == [
        "reference_id",
        "created",
        "released",
        "post",
        "classification",
        "caveats",
        "tags",
        "subject",
        "summary",
        "url",
    ]
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    first = by_id["08OTTAWA100"]
    assert first["subject"] == '\'=HYPERLINK("http://evil.example","click")'
    assert first["summary"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert first["tags"] == "PREL;MARR"
    assert first["released"] == "2011-08-30T00:00:00+00:00"
    assert first["url"] == f"{ORIGIN}/cable/08OTTAWA100/"
    assert by_id["08OTTAWA200"]["subject"] == "'-2+3 PLAIN MISSILE NOTE"
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_reading_list_csv_neutralises_formulas_in_notes(client, hostile):
    user = User.objects.create_user("ada@example.org", "ada@example.org", "pw-ada-12345")
    reading_list = ReadingList.objects.create(owner=user, title="=cmd")
    for position, (cable, note) in enumerate(
        zip(Cable.objects.order_by("reference_id"), ["-1+1", "\t@x"], strict=True)
    ):
        ListEntry.objects.create(
            reading_list=reading_list, cable=cable, note=note, position=position
        )
    client.force_login(user)
    rows = list(csv.DictReader(io.StringIO(client.get(f"/lists/{reading_list.pk}.csv").text)))
    assert [row["note"] for row in rows] == ["'-1+1", "'\t@x"]
    assert rows[0]["subject"].startswith("'=HYPERLINK")


def test_csv_is_named_after_the_search(client, hostile):
    response = client.get("/search.csv", {"q": "missile note", "tag": "PREL", "year": "2008"})
    assert response["Content-Disposition"] == (
        'attachment; filename="cables-matching-missile-note-tagged-prel-in-2008.csv"'
    )
    everything = client.get("/search.csv")
    assert everything["Content-Disposition"] == 'attachment; filename="all-cables.csv"'
    long = client.get("/search.csv", {"q": " ".join(f"longword{i}" for i in range(40))})
    assert long.status_code == 200
    name = long["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert name.endswith(".csv") and len(name) <= 104


def test_the_whole_archive_csv_streams_reading_the_database_in_chunks(
    client, db, index_dir, monkeypatch
):
    for serial in range(1, 11):
        make_cable(f"08OTTAWA{serial}", created=datetime(2008, 1, serial, tzinfo=UTC))
    index_cables_update(pending=True)
    monkeypatch.setattr(selectors, "CSV_CHUNK", 3)
    response = client.get("/search.csv", {"sort": "oldest"})
    assert response.streaming
    lines = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        assert next(lines).startswith(b"reference_id,")
        assert queries.captured_queries == []  # nothing read for the header
        assert next(lines).startswith(b"08OTTAWA1,")
        first_chunk = len(queries.captured_queries)
        assert first_chunk == 2  # one chunk of cables and its tags, no more
        rest = list(lines)
    assert len(rest) == 9
    # ten cables in chunks of three: four chunks, two queries each, read as sent
    assert len(queries.captured_queries) == 8


# -- the JSON twin --------------------------------------------------------------------


@pytest.fixture
def many(db, index_dir):
    for serial in range(1, 26):
        make_cable(
            f"08OTTAWA{serial}",
            created=datetime(2008, 1 + serial % 12, 1 + serial % 28, tzinfo=UTC),
            tags=("PREL", "MARR") if serial % 2 else ("PREL",),
        )
    index_cables_update(pending=True)


def test_search_json_pages_with_per_page_next_and_prev(client, many):
    url = "/search.json?tag=PREL&sort=oldest&per_page=8"
    seen = []
    pages = 0
    previous = None
    while url:
        data = client.get(url).json()
        pages += 1
        assert data["per_page"] == 8
        assert len(data["results"]) <= 8 + 3  # the last page takes up to 3 orphans
        assert data["prev"] == previous
        seen += [row["reference_id"] for row in data["results"]]
        previous = url if url.startswith(ORIGIN) else ORIGIN + url
        url = data["next"]
        if url:
            assert url.startswith(f"{ORIGIN}/search.json?") and "per_page=8" in url
    assert len(seen) == len(set(seen)) == 25 == data["total"]
    assert pages == data["pages"] == 3  # 8 + 8 + 9 (orphans join the last page)


def test_search_json_urls_are_absolute_throughout(client, many):
    data = client.get("/search.json", {"q": "missile", "per_page": "5"}).json()
    assert data["results"][0]["url"].startswith(f"{ORIGIN}/cable/")
    assert data["links"]["csv"] == f"{ORIGIN}/search.csv?q=missile"
    assert data["links"]["feed"] == f"{ORIGIN}/search.atom?q=missile"
    assert data["links"]["html"] == f"{ORIGIN}/search/?q=missile"
    assert data["next"] == f"{ORIGIN}/search.json?q=missile&page=2&per_page=5"
    for facet in data["facets"]:
        for item in facet["results"]:
            assert item["toggle_url"].startswith(f"{ORIGIN}/search.json?")
            assert item["toggle_url"].endswith("per_page=5")
    bars = [bar for bar in data["histogram"] if bar["url"]]
    assert bars and all(bar["url"].startswith(f"{ORIGIN}/search.json?") for bar in bars)
    # the default page size keeps the URLs it had
    plain = client.get("/search.json", {"q": "missile"}).json()
    assert plain["per_page"] == 20 and "per_page" not in plain["next"]


def test_search_json_html_link_points_at_the_page_showing_the_first_row(client, many):
    data = client.get("/search.json", {"tag": "PREL", "per_page": "10", "page": "3"}).json()
    assert data["links"]["html"] == f"{ORIGIN}/search/?tag=PREL&page=2"  # rows 21-25


@pytest.mark.parametrize("value", ["0", "101", "1000", "-5", "ten", "2.5", "١٠", "\x00"])
def test_per_page_out_of_range_is_a_400_with_the_archives_message(client, many, value):
    response = client.get("/search.json", {"per_page": value})
    assert response.status_code == 400
    data = response.json()
    assert "give a whole number from 1 to 100" in data["detail"]
    assert data["messages"] == [data["detail"]]


def test_per_page_100_is_taken(client, many):
    data = client.get("/search.json", {"per_page": "100"}).json()
    assert data["per_page"] == 100 and len(data["results"]) == 25 and data["next"] is None


# -- CORS ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/search.json?q=missile",
        "/search.csv?q=missile",
        "/search.atom?q=missile",
        "/cable/08OTTAWA1.json",
        "/cable/08OTTAWA1/graph.json",
        "/tags.json",
        "/tag/PREL.json",
        "/posts.json",
        "/date/2008.json",
        "/people.json",
    ],
)
def test_twins_carry_a_read_only_cors_header_and_still_revalidate(client, many, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in first["Access-Control-Expose-Headers"]
    again = client.get(url)  # from the page cache (or streamed again: the CSV)
    assert again["Access-Control-Allow-Origin"] == "*"
    conditional = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert conditional.status_code == 304
    assert conditional["Access-Control-Allow-Origin"] == "*"
    # read-only: nothing but GET and HEAD
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", ["/search/?q=missile", "/cable/08OTTAWA1/", "/tags/", "/"])
def test_html_pages_carry_no_cors_header(client, many, url):
    assert "Access-Control-Allow-Origin" not in client.get(url)


def test_a_private_export_carries_no_cors_header(client, many):
    user = User.objects.create_user("ada@example.org", "ada@example.org", "pw-ada-12345")
    reading_list = ReadingList.objects.create(owner=user, title="mine")
    client.force_login(user)
    for fmt in ("json", "csv"):
        response = client.get(f"/lists/{reading_list.pk}.{fmt}")
        assert response.status_code == 200
        assert "Access-Control-Allow-Origin" not in response
