"""Issue 14, through ingest, the index and the pages: a cable known only to its month
counts, sorts and browses in that month everywhere; date sorts follow the full
timestamp; headings and page breaks; REF details; a known id typed in search;
snippets that show the match."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cables.models import Cable, Paragraph, Reference
from cables.parsing import KnownIds
from cables.parsing.routing import PARTIAL_NOTICE
from cables.services import cable_ids_load, cables_ingest
from cables.sources import SourceItem
from search.services import index_cables_update
from tests.cabletext import cable_text

# An undated partial extract, as the seed 03OTTAWA492 is: no date-time group, no
# date in the text; the Cablegate id list gives its month (February 2003).
PARTIAL = (
    f"{PARTIAL_NOTICE}\n\n"
    "C O N F I D E N T I A L OTTAWA 000492\n\n"
    "SIPDIS\n\n"
    "E.O. 12958: DECL: 02/19/2013\n"
    "TAGS: PREL MARR CA\n"
    "SUBJECT: CANADA AND MISSILE DEFENSE\n\n"
    "REF: 02 OTTAWA 3101\n\n"
    "¶1. (C) Canada will decide on missile defense before the summer.\n\n"
    "¶2. (C) The cabinet remains divided on missile defense.\n\n"
    "CELLUCCI\n"
)
KNOWN = [("03OTTAWA492", 2), ("03OTTAWA300", 1), ("03OTTAWA700", 3), ("09STATE96519", 9)]


def _at(text: str, dtg: str) -> str:
    """``cable_text`` sent at another time of its day (``191523Z`` -> ``dtg``)."""
    return text.replace("191523Z", dtg, 1)


def _ingest(texts: dict[str, str], known=KNOWN):
    items = [SourceItem(source=name, row=None, text=text) for name, text in texts.items()]
    report = cables_ingest(items=items, known_ids=KnownIds.from_pairs(known))
    assert not report.failures, report.failures
    index_cables_update(pending=True)
    return report


@pytest.fixture
def dated(db, index_dir):
    cable_ids_load(pairs=KNOWN)
    texts = {
        "partial.txt": PARTIAL,
        # January and March 2003 around it; the March one cites the partial extract
        "jan.txt": cable_text(
            serial=300, year=2003, month=1, day=20, subject="JANUARY MISSILE DEFENSE"
        ),
        "mar.txt": cable_text(
            serial=700,
            year=2003,
            month=3,
            day=5,
            subject="MARCH MISSILE DEFENSE",
            refs="OTTAWA 492",
        ),
    }
    _ingest(texts)
    return texts


def test_the_one_rule_stores_the_month_of_an_undated_cable(dated):
    cable = Cable.objects.get(reference_id="03OTTAWA492")
    assert cable.date_precision == "month"
    assert (cable.created.year, cable.created.month, cable.created.day) == (2003, 2, 1)
    assert cable.date.short() == "Feb 2003" and cable.date.iso() == "2003-02"
    assert Cable.objects.get(reference_id="03OTTAWA700").date_precision == "minute"


def test_a_month_cable_counts_sorts_and_browses_in_its_month(client, dated):
    data = json.loads(client.get("/search.json", {"q": "missile defense"}).content)
    row = next(r for r in data["results"] if r["reference_id"] == "03OTTAWA492")
    assert row["created"] == "2003-02" and row["date_precision"] == "month"
    years = next(f for f in data["facets"] if f["name"] == "year")
    assert {v["value"]: v["count"] for v in years["results"]}.get("2003") == 3

    page = client.get("/search/", {"q": "missile defense"}).content.decode()
    assert '<time datetime="2003-02">Feb 2003</time>' in page
    assert "undated" not in page

    oldest = json.loads(client.get("/search.json", {"q": "", "sort": "oldest"}).content)
    assert [r["reference_id"] for r in oldest["results"]] == [
        "03OTTAWA300",
        "03OTTAWA492",
        "03OTTAWA700",
    ]
    month = client.get("/date/2003/02/").content.decode()
    assert "03OTTAWA492" in month and "03OTTAWA700" not in month
    response = client.get("/search.csv", {"sort": "oldest"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[2][:2] == ["03OTTAWA492", "2003-02"]


def test_the_cited_by_table_and_the_twin_show_the_month(client, dated):
    page = client.get("/cable/03OTTAWA492/").content.decode()
    assert "month from the Cablegate id list" in page
    assert 'href="/date/2003/02/"' in page
    cited = client.get("/cable/03OTTAWA700/").content.decode()
    assert '<time datetime="2003-02">Feb 2003</time>' in cited  # the REF row
    data = json.loads(client.get("/cable/03OTTAWA492.json").content)
    assert data["created"] == "2003-02" and data["date_precision"] == "month"
    citing = json.loads(client.get("/cable/03OTTAWA492.json").content)["cited_by"]
    assert [c["reference_id"] for c in citing] == ["03OTTAWA700"]


def test_the_id_list_loaded_after_the_cables_dates_them(db, index_dir, client):
    _ingest({"partial.txt": PARTIAL}, known=[])
    assert Cable.objects.get(reference_id="03OTTAWA492").created is None
    cable_ids_load(pairs=[("03OTTAWA492", 2)])
    cable = Cable.objects.get(reference_id="03OTTAWA492")
    assert cable.date.iso() == "2003-02" and cable.index_pending
    index_cables_update(pending=True)
    assert "03OTTAWA492" in client.get("/date/2003/02/").content.decode()
    data = json.loads(client.get("/search.json", {"year": "2003", "month": "2"}).content)
    assert [r["reference_id"] for r in data["results"]] == ["03OTTAWA492"]


def test_reparse_keeps_the_month_and_does_not_take_it_for_the_text_date(dated):
    from cables.services import cables_reparse

    report = cables_reparse(everything=True, known_ids=KnownIds.from_pairs(KNOWN))
    assert not report.failures
    cable = Cable.objects.get(reference_id="03OTTAWA492")
    assert cable.date_precision == "month" and cable.date.iso() == "2003-02"


def test_newest_first_is_the_full_timestamp_then_the_id(client, db, index_dir):
    # three cables of one day, ingested in the wrong order, two of them at one minute
    texts = {
        "a.txt": _at(cable_text(serial=10, day=19), "190200Z"),
        "b.txt": _at(cable_text(serial=11, day=19), "192300Z"),
        "c.txt": _at(cable_text(serial=12, day=19), "191100Z"),
        "d.txt": _at(cable_text(serial=9, day=19), "191100Z"),
    }
    _ingest(texts, known=[])
    newest = json.loads(client.get("/search.json", {"sort": "newest"}).content)
    assert [r["reference_id"] for r in newest["results"]] == [
        "08OTTAWA11",
        "08OTTAWA12",
        "08OTTAWA9",
        "08OTTAWA10",
    ]
    oldest = json.loads(client.get("/search.json", {"sort": "oldest"}).content)
    assert [r["reference_id"] for r in oldest["results"]] == [
        "08OTTAWA10",
        "08OTTAWA12",
        "08OTTAWA9",
        "08OTTAWA11",
    ]
    latest = client.get("/post/OTTAWA/").content.decode()
    assert latest.index("08OTTAWA11") < latest.index("08OTTAWA12") < latest.index("08OTTAWA10")


def test_a_known_unloaded_id_typed_in_search_opens_its_placeholder(client, dated):
    response = client.get("/search/", {"q": "09STATE96519"})
    assert response.status_code == 302 and response["Location"] == "/cable/09STATE96519/"
    cited = client.get("/search/", {"q": "02 OTTAWA 3101"})  # cited, in no list
    assert cited.status_code == 302 and cited["Location"] == "/cable/02OTTAWA3101/"
    assert client.get("/search/", {"q": "08OTTAWA999"}).status_code == 200  # unknown
    data = json.loads(client.get("/search.json", {"q": "09STATE96519"}).content)
    assert data["exact_cable"]["reference_id"] == "09STATE96519"


HEADING_TEXT = (
    "(U) The Polish side included Piotr Pacholski, MOD Director of the Missile "
    "Defense Office.\nNEW BMD ARCHITECTURE IN EUROPE"
)


def test_a_heading_is_its_own_element_in_the_page_and_the_twin(client, db, index_dir):
    text = cable_text(paragraphs=(HEADING_TEXT, "(S) Undersecretary Komorowski began."))
    _ingest({"w.txt": text}, known=[])
    rows = list(Paragraph.objects.order_by("position").values_list("number", "heading", "text"))
    assert rows[0][:2] == (1, False) and rows[0][2].endswith("Missile Defense Office.")
    assert rows[1] == (None, True, "NEW BMD ARCHITECTURE IN EUROPE")
    page = client.get("/cable/08OTTAWA492/").content.decode()
    assert '<h3 class="cable-heading" id="t1">NEW BMD ARCHITECTURE IN EUROPE</h3>' in page
    data = json.loads(client.get("/cable/08OTTAWA492.json").content)
    assert [p["heading"] for p in data["paragraphs"]] == [False, True, False]


BROKEN = (
    "(C) NATO leaders have all agreed that ballistic missile\n"
    "proliferation poses an increasing threat to Allies' forces,\n"
    "\n"
    "OTTAWA 00000492 002 OF 003\n"
    "\n"
    "\n"
    "territory, and populations."
)


def test_a_phrase_runs_across_a_page_break_and_its_snippet_shows_it_whole(client, db, index_dir):
    _ingest({"b.txt": cable_text(paragraphs=(BROKEN, "(C) Nothing else."))}, known=[])
    para = Paragraph.objects.get(number=1).text
    assert "forces,\nterritory" in para
    q = '"increasing threat to allies forces territory"'
    data = json.loads(client.get("/search.json", {"q": q}).content)
    assert [r["reference_id"] for r in data["results"]] == ["08OTTAWA492"]
    html = data["results"][0]["snippet_html"]
    assert "<mark>increasing threat to Allies&#x27; forces, territory</mark>" in html


def test_ref_details_through_ingest(client, db, index_dir):
    refs = "A. LIMA 248 (06)\n     B. BRASILIA 709 (07) OTTAWA 542\n     C. OTTAWA 492"
    _ingest({"r.txt": cable_text(refs=refs)}, known=[])
    targets = list(Reference.objects.order_by("position").values_list("target_reference_id"))
    assert targets == [("06LIMA248",), ("07BRASILIA709",), ("08OTTAWA542",)]  # never itself
    single = cable_text(serial=77, refs="STATE 12345")
    _ingest({"s.txt": single}, known=[])
    page = client.get("/cable/08OTTAWA77/").content.decode()
    assert "–." not in page and '<span class="ref-letter">' not in page
