"""Reading the archive: cable pages, the reference graph, browsing by tag, post and date.

Every page has a JSON twin at the same path with ``.json`` (``/cable/03OTTAWA492.json``,
``/tag/MARR.json``, ``/date/2008/02.json``).
"""

from django.urls import path, register_converter

from cables import views, views_similar

# Path values are validated here, before any view or query runs: a value the pattern
# does not take (NUL, a year 0, more characters than the column holds) is a 404 from
# the resolver, with the archive's "Not found" page.


class CableIdConverter:
    """A cable id as typed: letters and digits, at most as long as the column."""

    regex = "[0-9A-Za-z]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CodeConverter:
    """A post code (``OTTAWA``, ``SANJOSE``)."""

    regex = "[0-9A-Za-z]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TagCodeConverter:
    """A tag code: ``MARR``, ``GATES, ROBERT M.``, ``UNGA/C-6`` (a slash included);
    at most 120 characters (the column's size) and no NUL, which no stored code can
    hold and which PostgreSQL refuses in a query (it was a 500). Every stored code
    matches, so every tag keeps its URL."""

    regex = "[^\\x00]{1,120}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class YearConverter:
    """Four digits, a year a date can hold: ``0000`` is no year (a 404, not a 500)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if year < 1:
            raise ValueError("no year 0")
        return year

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


class MonthConverter:
    """``02``; ``2`` is read too, URLs are always written with two digits."""

    regex = "[0-9]{1,2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


register_converter(CableIdConverter, "cableid")
register_converter(CodeConverter, "postcode")
register_converter(TagCodeConverter, "tagcode")
register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

app_name = "cables"

urlpatterns = [
    path("cable/<cableid:reference_id>/", views.cable_detail, name="cable_detail"),
    path("cable/<cableid:reference_id>.json", views.cable_json, name="cable_json"),
    path("cable/<cableid:reference_id>/text/", views.cable_text, name="cable_text"),
    path(
        "cable/<cableid:reference_id>/graph.json", views.cable_graph_json, name="cable_graph_json"
    ),
    path(
        "cable/<cableid:reference_id>/similar/",
        views_similar.cable_similar_page,
        name="cable_similar",
    ),
    path(
        "cable/<cableid:reference_id>/similar.json",
        views_similar.cable_similar_json,
        name="cable_similar_json",
    ),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags.json", views.tag_list_json, name="tag_list_json"),
    # Tag codes may hold a slash (UNGA/C-6), hence a converter that takes one.
    path("tag/<tagcode:code>.json", views.tag_detail_json, name="tag_detail_json"),
    path("tag/<tagcode:code>/", views.tag_detail, name="tag_detail"),
    path("posts/", views.post_list, name="post_list"),
    path("posts.json", views.post_list_json, name="post_list_json"),
    path("post/<postcode:code>/", views.post_detail, name="post_detail"),
    path("post/<postcode:code>.json", views.post_detail_json, name="post_detail_json"),
    path("date/", views.date_index, name="date_index"),
    path("date.json", views.date_index_json, name="date_index_json"),
    path("date/<yyyy:year>/", views.date_year, name="date_year"),
    path("date/<yyyy:year>.json", views.date_year_json, name="date_year_json"),
    path("date/<yyyy:year>/<mm:month>/", views.date_month, name="date_month"),
    path("date/<yyyy:year>/<mm:month>.json", views.date_month_json, name="date_month_json"),
]
