"""The cable page, its JSON twin, the original text, placeholders, references, cited-by."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.cables.factories import cable_make, known_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(db):
    """08OTTAWA200 cites a loaded cable, a known one, an unverified id and a memo;
    08MEXICO300 cites it."""
    known_make("07STATE4567", month=11)
    cable_make("08OTTAWA100", subject="EARLIER CABLE", created=None)
    cable_make(
        "08OTTAWA200",
        subject="CABINET TO DISCUSS MISSILE DEFENSE",
        classification="CONFIDENTIAL//NOFORN",
        refs=[
            ("A", "OTTAWA 100", "08OTTAWA100"),
            ("B", "07 STATE 4567", "07STATE4567"),
            ("C", "OTTAWA 99999", "08OTTAWA99999"),
            ("D", "SMITH-JONES E-MAIL 2/5", ""),
        ],
    )
    cable_make(
        "08MEXICO300",
        classification="SECRET",
        tags=("SNAR", "PGOV", "MX"),
        refs=[("", "OTTAWA 200", "08OTTAWA200")],
    )


def test_cable_page_shows_the_header_panel(client, web):
    response = client.get("/cable/08OTTAWA200/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "CABINET TO DISCUSS MISSILE DEFENSE" in html
    assert 'class="badge badge-confidential"' in html
    assert "NOFORN" in html
    assert "19 February 2008, 15:23 UTC" in html
    assert 'href="/post/OTTAWA/">Embassy Ottawa</a>' in html
    assert "SECSTATE WASHDC" in html and "AMEMBASSY LONDON" in html
    assert "E.O. 12958" in html
    # the classifier's name links to a search for the cables they classified
    assert (
        '<a href="/search/?q=by%3A%22David+Wilkins%22" '
        'title="Search the cables David Wilkins classified">David Wilkins</a>, Ambassador'
    ) in html
    assert "1.4 (b) and (d)" in html
    assert 'href="/tag/MARR/" title="Military and Defense Arrangements"' in html
    assert 'href="/date/2008/02/"' in html


def test_paragraphs_have_anchors_and_markings(client, web):
    html = client.get("/cable/08OTTAWA200/").content.decode()
    for n in (1, 2, 3):
        assert f'id="p{n}"' in html
        assert f'href="#p{n}"' in html
        assert f"¶{n}</a>" in html
    assert "(C)</span> Summary: Canada will decide soon." in html
    assert "(U)</span> COMMENT" in html


def test_json_twin_is_advertised_and_complete(client, web):
    html = client.get("/cable/08OTTAWA200/").content.decode()
    assert '<link rel="alternate" type="application/json" href="/cable/08OTTAWA200.json"' in html
    assert 'href="/cable/08OTTAWA200.json" type="application/json">JSON</a>' in html

    data = client.get("/cable/08OTTAWA200.json").json()
    assert data["reference_id"] == "08OTTAWA200"
    assert data["url"] == "http://testserver/cable/08OTTAWA200/"
    assert data["classification"] == "CONFIDENTIAL//NOFORN"
    assert data["caveats"] == ["SIPDIS"]
    assert data["origin"]["code"] == "OTTAWA"
    assert data["created"] == "2008-02-19T15:23:00+00:00"
    assert [t["code"] for t in data["tags"]] == ["PREL", "MARR", "CA"]
    assert data["tags"][2]["meaning"] == "Canada"
    assert data["paragraphs"][2]["url"].endswith("/cable/08OTTAWA200/#p3")
    assert [r["kind"] for r in data["recipients"]] == ["to", "info"]
    assert [(r["letter"], r["status"]) for r in data["references"]] == [
        ("A", "loaded"),
        ("B", "known"),
        ("C", "unverified"),
        ("D", "unresolved"),
    ]
    assert data["references"][0]["url"] == "http://testserver/cable/08OTTAWA100/"
    assert data["references"][1]["url"] == "http://testserver/cable/07STATE4567/"
    assert data["references"][1]["month"] == 11
    assert data["references"][2]["url"] is None
    assert [c["reference_id"] for c in data["cited_by"]] == ["08MEXICO300"]
    assert "@misc{08OTTAWA200," in data["citation"]["bibtex"]
    assert data["body"].startswith("¶1.")


def test_references_link_every_cable_id_and_say_what_they_are(client, web):
    html = client.get("/cable/08OTTAWA200/").content.decode()
    refs = html[html.index('id="references"') : html.index('id="cited-by"')]
    assert '<a href="/cable/08OTTAWA100/">08OTTAWA100</a>' in refs
    assert '<a href="/cable/07STATE4567/">07STATE4567</a>' in refs
    assert "not in this archive (2007-11)" in refs
    # An id in no list still links to its page (who cites it), marked as such.
    assert '<a href="/cable/08OTTAWA99999/">08OTTAWA99999</a>' in refs
    assert "not in the Cablegate list" in refs
    assert "SMITH-JONES E-MAIL 2/5" in refs and "unresolved" in refs


def test_cited_by_lists_the_citing_cables(client, web):
    html = client.get("/cable/08OTTAWA200/").content.decode()
    cited = html[html.index('id="cited-by"') : html.index('id="graph"')]
    assert 'href="/cable/08MEXICO300/"' in cited
    assert "No cable in this archive cites" in client.get("/cable/08MEXICO300/").content.decode()


def test_cable_page_is_a_handful_of_queries(client, web, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        assert client.get("/cable/08OTTAWA200/").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/cable/08OTTAWA200.json").status_code == 200


def test_non_canonical_ids_redirect(client, web):
    for typed in ("08ottawa200", "08Ottawa0200", "08OTTAWA000200"):
        response = client.get(f"/cable/{typed}/")
        assert response.status_code == 301
        assert response["Location"] == "/cable/08OTTAWA200/"
    assert client.get("/cable/08ottawa200.json")["Location"] == "/cable/08OTTAWA200.json"
    assert client.get("/cable/08ottawa200/text/")["Location"] == "/cable/08OTTAWA200/text/"


def test_unknown_id_is_a_friendly_404(client, web):
    response = client.get("/cable/99NOWHERE1/")
    assert response.status_code == 404
    assert "There is no cable 99NOWHERE1 in this archive" in response.content.decode()
    assert client.get("/cable/99NOWHERE1.json").status_code == 404
    assert client.get("/cable/99NOWHERE1/graph.json").status_code == 404
    # an id some cable cites: the 404 page lists who cites it
    html = client.get("/cable/08OTTAWA99999/").content.decode()
    assert 'href="/cable/08OTTAWA200/"' in html


def test_placeholder_for_a_known_cable_not_loaded(client, web):
    response = client.get("/cable/07STATE4567/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "07STATE4567 is not in this archive" in html
    assert "November 2007" in html
    assert 'href="/cable/08OTTAWA200/"' in html
    assert '<link rel="alternate" type="application/json" href="/cable/07STATE4567.json"' in html
    data = client.get("/cable/07STATE4567.json").json()
    assert data["in_archive"] is False and data["known"] is True
    assert (data["year"], data["month"]) == (2007, 11)
    assert [c["reference_id"] for c in data["cited_by"]] == ["08OTTAWA200"]


HOSTILE = "</pre><script>alert('x')</script> & <b>bold</b> A<B"


def test_cable_text_is_escaped_everywhere(client, db):
    cable_make(
        "08OTTAWA666",
        subject="SUBJECT WITH <TAGS> & </title>",
        paragraphs=[(1, "C", HOSTILE)],
        body=HOSTILE + "\n\nmore </pre> text",
        header="HEADER <x> & </pre>",
        refs=[("A", "<script>ref</script>", "")],
    )
    html = client.get("/cable/08OTTAWA666/").content.decode()
    assert "<script>" not in html
    assert "</pre><script>" not in html
    assert (
        "&lt;/pre&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; "
        "&amp; &lt;b&gt;bold&lt;/b&gt;" in html
    )
    assert "SUBJECT WITH &lt;TAGS&gt; &amp; &lt;/title&gt;" in html
    assert "HEADER &lt;x&gt; &amp; &lt;/pre&gt;" in html
    # every <pre> the page opens is closed by its own </pre>, not by the cable text
    assert html.count("<pre") == html.count("</pre>")


def test_original_text_as_plain_text(client, web):
    response = client.get("/cable/08OTTAWA200/text/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("VZCZCXRO1234\n")
    assert "¶1. (C) Summary" in text
    assert client.get("/cable/07STATE4567/text/").status_code == 404


def test_citation_with_absolute_permalink(client, web):
    html = client.get("/cable/08OTTAWA200/").content.decode()
    cite = html[html.index('id="cite"') : html.index('id="original"')]
    assert (
        "Embassy Ottawa. “CABINET TO DISCUSS MISSILE DEFENSE.” Diplomatic cable 08OTTAWA200" in cite
    )
    assert "http://testserver/cable/08OTTAWA200/" in cite
    assert "month        = feb" in cite
    assert '<link rel="canonical" href="http://testserver/cable/08OTTAWA200/">' in html


def test_partial_extract_notice(client, db):
    cable_make("03OTTAWA492", partial=True, header="")
    html = client.get("/cable/03OTTAWA492/").content.decode()
    assert "partial extract" in html


def test_url_names_reverse():
    assert reverse("cables:cable_detail", args=["03OTTAWA492"]) == "/cable/03OTTAWA492/"
    assert reverse("cables:cable_json", args=["03OTTAWA492"]) == "/cable/03OTTAWA492.json"
    assert (
        reverse("cables:cable_graph_json", args=["03OTTAWA492"]) == "/cable/03OTTAWA492/graph.json"
    )
    assert reverse("cables:date_month", args=[2008, 2]) == "/date/2008/02/"
    assert reverse("cables:tag_detail", args=["UNGA/C-6"]) == "/tag/UNGA/C-6/"


def test_json_is_utf8_and_pretty(client, web):
    response = client.get("/cable/08OTTAWA200.json")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["paragraphs"][0]["anchor"] == "p1"


def test_undated_partial_extract_shows_the_month_from_the_id_list(client, db):
    from cables.models import Cable
    from cables.services import cable_ids_load

    cable_make("03OTTAWA492", partial=True, known=False)
    Cable.objects.filter(reference_id="03OTTAWA492").update(created=None, date_precision="")
    cable_ids_load(pairs=[("03OTTAWA492", 2)])  # the list, loaded after the cable, dates it
    page = client.get("/cable/03OTTAWA492/").content.decode()
    assert "month from the Cablegate id list" in page
    assert 'href="/date/2003/02/"' in page
    assert '<time datetime="2003-02">Feb 2003</time>' in page


def test_a_cited_id_in_no_list_still_has_a_page(client, db):
    """The seed's REF 02OTTAWA3101 is in neither the archive nor the Cablegate list:
    the REF links to a page that says so and lists who cites it."""
    cable_make("03OTTAWA492", refs=[("", "02 OTTAWA 3101", "02OTTAWA3101")])
    page = client.get("/cable/03OTTAWA492/").content.decode()
    assert 'href="/cable/02OTTAWA3101/"' in page
    placeholder = client.get("/cable/02OTTAWA3101/")
    assert placeholder.status_code == 200
    text = placeholder.content.decode()
    assert "not in the Cablegate list" in " ".join(text.split())
    assert 'href="/cable/03OTTAWA492/"' in text
    data = client.get("/cable/02OTTAWA3101.json").json()
    assert data["in_archive"] is False and data["known"] is False
    assert [c["reference_id"] for c in data["cited_by"]] == ["03OTTAWA492"]
    assert client.get("/cable/02OTTAWA3101/graph.json").status_code == 200
    assert client.get("/cable/99NOWHERE1/").status_code == 404


def test_the_header_panel_folds_and_names_what_it_holds(client, web):
    """Issue 14: the header panel is a disclosure (open in the HTML; the script folds
    it on a phone) whose summary counts the addressees and tags, and a long "To" list
    folds like a long "Info" list."""
    html = client.get("/cable/08OTTAWA200/").content.decode()
    assert '<details class="cable-meta-panel" data-open-wide open>' in html
    summary = html.split('<h2 id="meta-h">About this cable</h2>', 1)[1].split("</summary>", 1)[0]
    assert ">2 addressees, 3 tags<" in summary
