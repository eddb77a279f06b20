"""Browsing by tag, post and date, and the JSON twins of those pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.cables.factories import cable_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(db):
    cable_make("07OTTAWA10", created=datetime(2007, 5, 1, tzinfo=UTC), tags=("PREL", "CA"))
    cable_make("08OTTAWA20", created=datetime(2008, 2, 1, tzinfo=UTC), tags=("PREL", "MARR", "CA"))
    cable_make("08OTTAWA30", created=datetime(2008, 2, 2, tzinfo=UTC), tags=("MARR", "CA"))
    cable_make(
        "08MEXICO40", created=datetime(2008, 3, 3, tzinfo=UTC), tags=("SNAR", "MX", "UNGA/C-6")
    )
    cable_make("08USNATO50", created=datetime(2008, 3, 4, tzinfo=UTC), tags=("NATO", "PREL"))


def test_tags_page_groups_by_kind_with_counts(client, archive):
    response = client.get("/tags/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Subjects") < html.index("Countries")
    assert 'href="/tag/PREL/" title="External Political Relations">PREL</a>' in html
    assert '<link rel="alternate" type="application/json" href="/tags.json"' in html
    data = client.get("/tags.json").json()
    rows = {t["code"]: t for g in data["groups"] for t in g["items"]}
    assert rows["PREL"]["count"] == 3
    assert rows["CA"]["kind"] == "country"
    assert rows["CA"]["count"] == 3
    assert rows["UNGA/C-6"]["url"] == "http://testserver/tag/UNGA/C-6/"


def test_tag_page(client, archive):
    response = client.get("/tag/MARR/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Military and Defense Arrangements" in html
    assert "2 cables in this archive carry this tag" in html
    assert 'href="/search/?tag=MARR">All 2 cables in search</a>' in html
    assert 'href="/cable/08OTTAWA30/"' in html
    co = html[html.index('id="co-h"') : html.index('id="latest-h"')]
    assert 'href="/tag/CA/"' in co and 'href="/tag/PREL/"' in co and "/tag/MARR/" not in co

    data = client.get("/tag/MARR.json").json()
    assert data["count"] == 2
    assert data["years"] == [{"year": 2008, "count": 2, "url": "http://testserver/date/2008/"}]
    assert {t["code"]: t["count"] for t in data["co_occurring"]} == {"CA": 2, "PREL": 1}
    assert [c["reference_id"] for c in data["latest"]] == ["08OTTAWA30", "08OTTAWA20"]
    assert data["search_url"] == "http://testserver/search/?tag=MARR"


def test_tag_codes_in_another_case_redirect_and_unknown_is_404(client, archive):
    assert client.get("/tag/marr/")["Location"] == "/tag/MARR/"
    assert client.get("/tag/marr.json")["Location"] == "/tag/MARR.json"
    response = client.get("/tag/NOPE/")
    assert response.status_code == 404
    assert "No cable in this archive carries the tag NOPE" in response.content.decode()
    assert client.get("/tag/NOPE.json").status_code == 404


def test_tag_with_a_slash(client, archive):
    assert client.get("/tag/UNGA/C-6/").status_code == 200
    assert client.get("/tag/UNGA/C-6.json").json()["count"] == 1


def test_posts_grouped_by_country(client, archive):
    html = client.get("/posts/").content.decode()
    assert html.index("Canada") < html.index("Mexico") < html.index("Multilateral")
    assert 'href="/post/OTTAWA/">Embassy Ottawa</a> <span class="count">3</span>' in html
    data = client.get("/posts.json").json()
    assert [g["label"] for g in data["groups"]] == [
        "Canada",
        "Mexico",
        "Multilateral and other posts",
    ]


def test_post_page(client, archive):
    html = client.get("/post/OTTAWA/").content.decode()
    assert "Embassy Ottawa" in html
    assert 'href="/search/?post=OTTAWA"' in html
    assert 'href="/search/?post=OTTAWA&amp;year=2007"' in html
    data = client.get("/post/OTTAWA.json").json()
    assert data["count"] == 3
    assert [(y["year"], y["count"]) for y in data["years"]] == [(2007, 1), (2008, 2)]
    assert data["top_tags"][0] == {
        "code": "CA",
        "kind": "country",
        "meaning": "Canada",
        "url": "http://testserver/tag/CA/",
        "count": 3,
    }
    assert client.get("/post/ottawa/")["Location"] == "/post/OTTAWA/"
    assert client.get("/post/NOWHERE/").status_code == 404


def test_dates(client, archive):
    html = client.get("/date/").content.decode()
    assert 'href="/date/2007/"' in html and 'href="/date/2008/"' in html
    assert client.get("/date.json").json()["years"][1] == {
        "year": 2008,
        "count": 4,
        "url": "http://testserver/date/2008/",
    }
    html = client.get("/date/2008/").content.decode()
    assert 'href="/date/2008/02/"' in html and 'href="/date/2008/03/"' in html
    assert 'href="/date/2008/01/"' not in html  # no cables in January: no link
    year = client.get("/date/2008.json").json()
    assert [m["count"] for m in year["months"]][:4] == [0, 2, 2, 0]
    month = client.get("/date/2008/02.json").json()
    assert [c["reference_id"] for c in month["cables"]] == ["08OTTAWA20", "08OTTAWA30"]
    assert client.get("/date/2008/2/").status_code == 200
    # Issue 14: a year outside the archive is a 404 like a month 13 (/date/2030/ was
    # a 200); its JSON twin and its months too.
    for url in ("/date/1999/", "/date/2030/", "/date/2030/01/", "/date/2008/13/"):
        assert client.get(url).status_code == 404, url
    outside = client.get("/date/2030/").content.decode()
    assert "knows cables sent from 2007 to 2008" in outside
    assert client.get("/date/2030.json").json()["error"] == "not found"
    assert client.get("/date/2030/01.json").status_code == 404


def test_month_pagination_with_orphans(client, db):
    start = datetime(2009, 6, 1, tzinfo=UTC)
    for i in range(53):  # 50 + 3 orphans: one page
        cable_make(f"09OTTAWA{i + 1}", created=start + timedelta(hours=i), tags=("PREL",))
    data = client.get("/date/2009/06.json").json()
    assert (data["count"], data["pages"], len(data["cables"])) == (53, 1, 53)
    cable_make("09OTTAWA54", created=start + timedelta(days=20), tags=("PREL",))
    data = client.get("/date/2009/06.json").json()
    assert (data["pages"], len(data["cables"])) == (2, 50)
    assert data["next"] == "http://testserver/date/2009/06.json?page=2"
    html = client.get("/date/2009/06/").content.decode()
    assert 'rel="next" href="?page=2"' in html
    page2 = client.get("/date/2009/06/?page=2")
    assert page2.status_code == 200 and "09OTTAWA54" in page2.content.decode()
    for bad in ("3", "0", "x"):
        response = client.get(f"/date/2009/06/?page={bad}")
        assert response.status_code == 404
        assert "There is no page" in response.content.decode()
    assert client.get("/date/2009/06.json?page=3").status_code == 404
    assert client.get("/date/2009/13/").status_code == 404


def test_nav_links_on_every_page(client, archive):
    for url in ("/tags/", "/posts/", "/date/", "/tag/PREL/", "/cable/08OTTAWA20/"):
        html = client.get(url).content.decode()
        assert '<a href="/tags/">Tags</a>' in html
        assert '<a href="/date/">Dates</a>' in html


def test_browse_pages_are_cheap(client, archive, django_assert_max_num_queries):
    for url, most in (("/tags/", 2), ("/tag/PREL/", 6), ("/posts/", 2), ("/post/OTTAWA/", 6)):
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
