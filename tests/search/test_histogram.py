"""The date histogram: the pure builder (search.histogram), the month counts the
engine gives it (search.facets.date_histogram), and the search page and its JSON twin
drawing and linking it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from itertools import pairwise
from xml.etree import ElementTree

import pytest

from cables.models import Cable
from search.filters import SearchParams
from search.histogram import (
    MAX_MONTHS,
    MIN_BAR,
    PLOT_HEIGHT,
    WIDTH,
    histogram_chart,
    histogram_entries,
    histogram_periods,
)
from search.selectors import search_run
from search.services import index_cables_update
from tests.search.factories import make_cable


def month(year: int, month: int) -> int:
    return year * 12 + month - 1


def url(year: int, month: int | None) -> str:
    return f"/x?year={year}" + (f"&month={month}" if month else "")


# -- the pure builder ------------------------------------------------------------------


def test_periods_fill_the_gaps_between_the_first_and_last_month():
    periods = histogram_periods({month(2008, 11): 3, month(2009, 2): 5, -1: 99})
    assert [(p.period, p.label, p.count) for p in periods] == [
        ("2008-11", "Nov 2008", 3),
        ("2008-12", "Dec 2008", 0),
        ("2009-01", "Jan 2009", 0),
        ("2009-02", "Feb 2009", 5),
    ]
    assert (periods[0].year, periods[0].month) == (2008, 11)


def test_a_span_over_ten_years_is_counted_per_year():
    ten_years = {month(2000, 1): 1, month(2000, 1) + MAX_MONTHS - 1: 2}
    assert len(histogram_periods(ten_years)) == MAX_MONTHS  # still months
    longer = {month(1998, 6): 1, month(1998, 7): 4, month(2008, 6): 2, month(2008, 7): 0}
    periods = histogram_periods(longer)
    assert [p.period for p in periods] == [str(y) for y in range(1998, 2009)]
    assert [p.count for p in periods] == [5, *[0] * 9, 2]
    assert all(p.month is None for p in periods)


def test_nothing_counted_draws_nothing():
    assert histogram_periods({}) == []
    assert histogram_periods({-1: 4, month(2008, 1): 0}) == []
    assert histogram_chart([]) is None
    assert histogram_chart([{"period": "2008-01", "label": "Jan 2008", "count": 0}]) is None


def test_entries_link_only_periods_with_cables():
    entries = histogram_entries(histogram_periods({month(2008, 1): 2, month(2008, 3): 1}), url)
    assert entries == [
        {"period": "2008-01", "label": "Jan 2008", "count": 2, "url": "/x?year=2008&month=1"},
        {"period": "2008-02", "label": "Feb 2008", "count": 0, "url": None},
        {"period": "2008-03", "label": "Mar 2008", "count": 1, "url": "/x?year=2008&month=3"},
    ]
    years = histogram_entries(histogram_periods({month(1990, 1): 1, month(2005, 1): 1}), url)
    assert years[0]["url"] == "/x?year=1990" and years[1]["url"] is None


def test_chart_bars_are_scaled_to_the_tallest_and_titled():
    entries = histogram_entries(
        histogram_periods({month(2008, 1): 400, month(2008, 2): 100, month(2008, 4): 1}), url
    )
    chart = histogram_chart(entries)
    assert chart.resolution == "month" and chart.total == 501 and chart.empty == 1
    tall, quarter, empty, tiny = chart.bars
    assert tall.height == PLOT_HEIGHT and tall.y == 0
    assert quarter.height == pytest.approx(PLOT_HEIGHT / 4)
    assert quarter.y + quarter.height == PLOT_HEIGHT  # bars stand on the axis
    assert empty.height == 0 and empty.url is None and empty.title == "Mar 2008: no cables"
    assert tiny.height == MIN_BAR  # one cable among four hundred is still seen
    assert tall.title == "Jan 2008: 400 cables" and tiny.title == "Apr 2008: 1 cable"
    assert [b.x for b in chart.bars] == sorted(b.x for b in chart.bars)
    assert chart.bars[-1].x + chart.bars[-1].width <= WIDTH
    assert chart.description == (
        "Cables per month from Jan 2008 to Apr 2008: 501 cables; the most, 400, in Jan 2008; "
        "1 month with none."
    )
    assert [t.label for t in chart.ticks] == ["Jan", "Feb", "Mar", "Apr", "2008"]
    assert chart.height > chart.plot_height + 26  # room for the row of years


def test_axis_labels_do_not_crowd():
    across_new_year = histogram_chart(
        histogram_entries(histogram_periods({month(2008, 11): 1, month(2009, 2): 1}), url)
    )
    assert [(t.label, t.y > across_new_year.ticks[0].y) for t in across_new_year.ticks] == [
        ("Nov", False),
        ("Dec", False),
        ("Jan", False),
        ("Feb", False),
        ("2008", True),
        ("2009", True),
    ]
    many_months = histogram_chart(
        histogram_entries(histogram_periods({month(2003, 3): 1, month(2010, 2): 1}), url)
    )
    labels = [t.label for t in many_months.ticks]
    assert labels == ["Mar 2003", *[str(y) for y in range(2004, 2011)]]
    many_years = histogram_chart(
        histogram_entries(histogram_periods({month(1966, 1): 1, month(2010, 2): 1}), url)
    )
    assert many_years.resolution == "year" and len(many_years.bars) == 45
    xs = [t.x for t in many_years.ticks]
    assert all(b - a >= 40 for a, b in pairwise(xs))
    assert {t.label for t in many_years.ticks} <= {str(y) for y in range(1966, 2011)}


def test_a_single_period_is_one_bar():
    chart = histogram_chart(histogram_entries(histogram_periods({month(2008, 2): 7}), url))
    assert len(chart.bars) == 1 and chart.bars[0].width > 0
    assert chart.description == "Cables per month in Feb 2008: 7 cables."


# -- the search page and its twin ------------------------------------------------------

pytestmark = pytest.mark.django_db


def db_month_counts(**filters) -> dict[str, int]:
    counts: dict[str, int] = {}
    for created in Cable.objects.filter(created__isnull=False, **filters).values_list(
        "created", flat=True
    ):
        key = f"{created:%Y-%m}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_histogram_counts_the_results_per_month_with_the_gaps(archive):
    result = search_run(params=SearchParams())
    periods = {e["period"]: e["count"] for e in result.histogram}
    expected = db_month_counts()
    assert {k: v for k, v in periods.items() if v} == expected
    assert list(periods) == sorted(periods)  # a time axis, every month of the span
    assert len(periods) == 35  # Jan 2008 .. Nov 2010
    assert sum(periods.values()) == Cable.objects.exclude(created=None).count()
    narrowed = search_run(params=SearchParams(post="MEXICO"))
    assert [(e["period"], e["count"]) for e in narrowed.histogram] == [("2009-06", 2)]
    narrowed = search_run(params=SearchParams(q="missile", post="MEXICO"))
    assert [(e["period"], e["count"]) for e in narrowed.histogram] == [("2009-06", 1)]


def test_each_bar_narrows_the_search_to_its_month_keeping_the_query(client, archive):
    response = client.get("/search/", {"q": "defense", "tag": "PREL", "from": "2008-01-01"})
    html = response.content.decode()
    figure = html.split('<figure class="date-histogram">', 1)[1].split("</figure>", 1)[0]
    svg = figure[figure.index("<svg") : figure.index("</svg>") + 6]
    ElementTree.fromstring(svg)  # noqa: S314 - our own page; well-formed markup
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg)
    assert links
    data = client.get("/search.json", {"q": "defense", "tag": "PREL", "from": "2008-01-01"})
    bins = [e for e in data.json()["histogram"] if e["count"]]
    assert len(links) == len(bins)
    for (href, label), entry in zip(links, bins, strict=True):
        href = href.replace("&amp;", "&")
        assert "q=defense" in href and "tag=PREL" in href and "from=2008-01-01" in href
        year, mon = entry["period"].split("-")
        assert f"year={year}&month={int(mon)}" in href
        assert label.startswith(entry["label"])
        narrowed = client.get(href.replace("/search/", "/search.json", 1)).json()
        assert narrowed["total"] == entry["count"]  # the bar said what the click gives
    assert "<title>" in svg and "no cables" in svg  # empty months are drawn, unlinked
    assert 'aria-labelledby="histogram-caption"' in svg
    assert "<table>" in figure  # the text alternative


def test_json_twin_has_the_histogram_linking_the_twin(client, archive):
    data = client.get("/search.json", {"tag": "MX"}).json()
    assert data["histogram"] == [
        {
            "period": "2009-06",
            "label": "Jun 2009",
            "count": 2,
            "url": "http://testserver/search.json?tag=MX&year=2009&month=6",
        }
    ]


def test_a_long_span_is_drawn_per_year_and_links_years(client, archive):
    make_cable("95OTTAWA900", created=datetime(1995, 5, 5, tzinfo=UTC), subject="OLD WALRUS")
    index_cables_update(pending=True)
    data = client.get("/search.json").json()
    periods = [e["period"] for e in data["histogram"]]
    assert periods == [str(y) for y in range(1995, 2011)]
    assert data["histogram"][0] == {
        "period": "1995",
        "label": "1995",
        "count": 1,
        "url": "http://testserver/search.json?year=1995",
    }
    html = client.get("/search/").content.decode()
    assert 'href="/search/?year=1995" aria-label="1995: 1 cable"' in html
    assert "Cables per year from 1995 to 2010" in html


def test_hostile_query_is_escaped_in_the_bar_links(client, archive):
    q = 'missile OR "<script>" OR "&amp;"'
    html = client.get("/search/", {"q": q}).content.decode()
    figure = html.split('<figure class="date-histogram">', 1)[1].split("</figure>", 1)[0]
    assert "<script>" not in figure
    assert "%3Cscript%3E" in figure


def test_no_dated_results_no_histogram(client, archive):
    html = client.get("/search/", {"q": "undated"}).content.decode()  # 87ROME800 only
    assert "date-histogram" not in html
    assert client.get("/search.json", {"q": "undated"}).json()["histogram"] == []
