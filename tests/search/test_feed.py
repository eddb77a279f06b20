"""The Atom feed of a search (``/search.atom``): valid Atom 1.0, newest first, fresh
after an ingest, conditional GET, and no 500 for any query string."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import unescape
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.core.management import call_command

from cables.models import Cable
from cables.pagecache import page_key
from cables.selectors import archive_generation
from search.feeds import search_describe
from search.filters import search_params_from
from search.selectors import FEED_SIZE
from search.services import index_cables_update
from tests.cabletext import cable_text
from tests.search.factories import make_cable

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(response) -> ElementTree.Element:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed; raises if invalid
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    rels = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert set(rels) == {"self", "alternate"}
    assert rels["self"].startswith("http://testserver/search.atom")
    assert rels["alternate"].startswith("http://testserver/search/")
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "published", "author/{*}name", "summary"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        assert entry.find(f"{ATOM}summary").get("type") == "html"
        link = entry.find(f"{ATOM}link")
        assert link.get("rel") == "alternate" and link.get("href").startswith("http://testserver/")
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))  # RFC 3339
    return root


def entries(root: ElementTree.Element) -> list[ElementTree.Element]:
    return root.findall(f"{ATOM}entry")


def entry_ids(root: ElementTree.Element) -> list[str]:
    return [e.find(f"{ATOM}link").get("href").rsplit("/", 2)[-2] for e in entries(root)]


def test_feed_is_atom_with_the_cables_newest_first(client, archive):
    root = atom(client.get("/search.atom", {"q": "missile", "sort": "oldest"}))
    assert root.findtext(f"{ATOM}title") == "Cable Archive: cables matching “missile”"
    assert root.findtext(f"{ATOM}id") == "http://testserver/search.atom?q=missile"
    # newest first whatever the page's sort; the undated cable last
    newest = ["10STATE700", "10PARIS500", "09MEXICO400", "08OTTAWA100", "87ROME800"]
    assert entry_ids(root) == newest
    first = entries(root)[0]
    assert first.findtext(f"{ATOM}title") == "DEMARCHE REQUEST: MISSILE TECHNOLOGY"
    assert first.findtext(f"{ATOM}id") == "http://testserver/cable/10STATE700/"
    assert first.findtext(f"{ATOM}updated").startswith("2010-11-30T00:00:00")
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Embassy Secstate"
    assert root.findtext(f"{ATOM}updated").startswith("2010-11-30")  # the newest cable's
    categories = {(c.get("term"), c.get("scheme")) for c in first.findall(f"{ATOM}category")}
    assert ("PARM", "http://testserver/tags/") in categories
    assert ("SECSTATE", "http://testserver/posts/") in categories
    assert ("UNCLASSIFIED//FOUO", None) in categories
    summary = first.findtext(f"{ATOM}summary")
    assert "<mark>missile</mark>" in summary and "10STATE700" in summary


def test_a_feed_with_no_cable_is_valid_and_dated_by_the_archive(client, archive):
    root = atom(client.get("/search.atom", {"q": "zebra", "post": "PARIS"}))
    assert entries(root) == []
    assert root.findtext(f"{ATOM}subtitle") == "No cable matches this search yet."
    updated = datetime.fromisoformat(root.findtext(f"{ATOM}updated"))
    assert updated == archive_generation().changed_at
    root = atom(client.get("/search.atom", {"q": "france"}))
    assert root.findtext(f"{ATOM}subtitle") == "All 1 cable this search finds, newest first."


def test_feed_entries_link_cable_pages_that_answer(client, archive):
    root = atom(client.get("/search.atom", {"tag": "PREL"}))
    links = [e.find(f"{ATOM}link").get("href") for e in entries(root)]
    assert len(links) == Cable.objects.by_tag("PREL").count() == 5
    for link in links:
        assert client.get(link.removeprefix("http://testserver")).status_code == 200


def test_feed_holds_the_newest_fifty(client, db, index_dir):
    start = datetime(2005, 1, 1, tzinfo=UTC)
    for n in range(FEED_SIZE + 5):
        make_cable(f"05OTTAWA{n + 1000}", created=start + timedelta(days=n), subject=f"NUMBER {n}")
    index_cables_update(pending=True)
    root = atom(client.get("/search.atom", {"q": "missile"}))
    assert len(entries(root)) == FEED_SIZE
    assert entry_ids(root) == [f"05OTTAWA{n + 1000}" for n in reversed(range(5, FEED_SIZE + 5))]
    subtitle = root.findtext(f"{ATOM}subtitle")
    assert subtitle == f"The newest {FEED_SIZE} of the {FEED_SIZE + 5} cables this search finds."


def test_feed_without_a_query_uses_the_cable_summary(client, db, index_dir):
    cable = make_cable("08OTTAWA1", subject="", paragraphs=("(C) First paragraph.",))
    cable.summary = "Canada will decide."
    cable.save()
    index_cables_update(pending=True)
    entry = entries(atom(client.get("/search.atom")))[0]
    assert entry.findtext(f"{ATOM}title") == "08OTTAWA1"  # no subject: the id
    assert entry.findtext(f"{ATOM}summary").startswith("<p>Canada will decide.</p>")


def test_cable_text_is_escaped_into_valid_xml(client, db, index_dir):
    make_cable(
        "08OTTAWA7",
        subject='A <b>BOLD</b> & "QUOTED" SUBJECT\x0c',
        paragraphs=("(C) Walrus <script>alert(1)</script> & sons > daughters\x1b\x08.",),
        tags=("PREL", "A&B"),
    )
    index_cables_update(pending=True)
    for params in ({"q": "walrus"}, {}):
        root = atom(client.get("/search.atom", params))
        (entry,) = entries(root)
        assert entry.findtext(f"{ATOM}title") == 'A <b>BOLD</b> & "QUOTED" SUBJECT'
        summary = entry.findtext(f"{ATOM}summary")  # HTML, as its type says
        assert "<script>" not in summary and "&lt;script&gt;" in summary
        assert "Walrus" in unescape(summary) and "&amp; sons &gt; daughters" in summary
        terms = {c.get("term") for c in entry.findall(f"{ATOM}category")}
        assert "A&B" in terms


def test_a_bad_query_string_answers_400_in_plain_words(client, archive):
    response = client.get("/search.atom", {"q": "missile", "from": "2008-13-45"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "From date “2008-13-45” was ignored: use a real date written YYYY-MM-DD" in text
    assert "http://testserver/search/?q=missile" in text
    response = client.get("/search.atom", {"q": '"'})
    assert response.status_code == 400
    assert "nothing the archive can search for" in response.content.decode()


def test_feed_without_an_index_says_so(client, db, index_dir):
    response = client.get("/search.atom")
    assert response.status_code == 503
    assert "index has not been built" in response.content.decode()


HOSTILE = [
    {"q": "\x00\x01\x0b"},
    {"q": "missile\x0c"},
    {"q": "a" * 5000},
    {"q": '"' * 99},
    {"q": "((((((missile"},
    {"q": "tag: post: ref:"},
    {"q": "</feed><entry>"},
    {"tag": ["<x>"] * 40},
    {"tag": "PREL", "xtag": "PREL"},
    {"post": "../../etc"},
    {"classification": "<SECRET>"},
    {"year": "99999", "month": "13"},
    {"month": "2"},
    {"from": "2010-01-01", "to": "2008-01-01"},
    {"page": "-1"},
    {"sort": "random"},
    {"more": "tag"},
    {"by": "x" * 300},
    {"pclass": "S//NF//X//Y"},
]


@pytest.mark.parametrize("params", HOSTILE)
def test_hostile_query_strings_never_fail(client, archive, params):
    response = client.get("/search.atom", params)
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 200:
        atom(response)
    else:
        assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_raw_bytes_in_the_query_string_never_fail(client, archive):
    response = client.get("/search.atom?q=%ED%A0%80%FF%00&tag=%C0%AF")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        atom(response)


def test_feed_answers_304_to_its_etag(client, archive):
    first = client.get("/search.atom", {"q": "missile"})
    assert first["Cache-Control"].startswith("public") and first["ETag"]
    again = client.get("/search.atom", {"q": "missile"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert (
        client.get("/search.atom", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    )


def test_search_page_and_json_advertise_the_feed(client, archive):
    html = client.get("/search/", {"q": "missile", "tag": "PREL", "sort": "oldest"}).content
    html = html.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'href="/search.atom?q=missile&amp;tag=PREL" '
        'title="Cable Archive: cables matching “missile” tagged PREL">'
    ) in html
    assert 'class="follow" href="/search.atom?q=missile&amp;tag=PREL"' in html
    assert "Follow this search</a>" in html
    data = client.get("/search.json", {"q": "missile", "page": "1"}).json()
    assert data["links"]["feed"] == "http://testserver/search.atom?q=missile"


def test_search_described_in_words():
    params, _ = search_params_from(
        {
            "q": "enrichment",
            "tag": ["KNNP", "IR"],
            "post": "TEHRAN",
            "classification": "SECRET",
            "year": "2008",
            "month": "2",
            "from": "2008-02-10",
        }
    )
    assert search_describe(params) == (
        "cables matching “enrichment” tagged KNNP and IR from TEHRAN classified secret "
        "in February 2008 dated 2008-02-10 or later"
    )
    assert search_describe(search_params_from({})[0]) == "all cables"


# -- fresh after the next ingest -----------------------------------------------------


def ingest(*paths: Path) -> None:
    out = StringIO()
    call_command("ingest", *map(str, paths), stdout=out, stderr=out)


def test_a_filtered_feed_shows_a_cable_ingested_after_it_was_cached(client, tmp_path, index_dir):
    folder = tmp_path / "cables"
    folder.mkdir()
    (folder / "08TEHRAN100.txt").write_text(
        cable_text(station="TEHRAN", serial=100, month=1, tags="KNNP IR", subject="ENRICHMENT")
    )
    (folder / "08TEHRAN200.txt").write_text(
        cable_text(station="TEHRAN", serial=200, month=2, tags="PREL IR", subject="ELECTIONS")
    )
    ingest(folder)
    url = "/search.atom?tag=KNNP&post=TEHRAN"
    first = client.get(url)
    root = atom(first)
    assert root.findtext(f"{ATOM}title") == "Cable Archive: cables tagged KNNP from TEHRAN"
    assert entry_ids(root) == ["08TEHRAN100"]
    stored = cache.get(page_key(first.wsgi_request))
    assert stored is not None and stored[3] == first.content  # a shared copy was kept
    assert client.get(url).content == first.content  # and is served

    later = tmp_path / "later"
    later.mkdir()
    (later / "08TEHRAN300.txt").write_text(
        cable_text(station="TEHRAN", serial=300, month=3, tags="KNNP IR", subject="CENTRIFUGES")
    )
    ingest(later)  # bumps the archive generation
    fresh = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"] != first["ETag"]
    assert entry_ids(atom(fresh)) == ["08TEHRAN300", "08TEHRAN100"]
    assert entries(atom(fresh))[0].findtext(f"{ATOM}title") == "CENTRIFUGES"
