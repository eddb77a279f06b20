"""Reading the archive: cable pages, the reference graph, browsing by tag, post and date.

Every page has a JSON twin at the same path with ``.json`` (``/cable/03OTTAWA492.json``,
``/tag/MARR.json``, ``/date/2008/02.json``).
"""

from django.urls import path, register_converter

from cables import views, views_similar


class CableIdConverter:
    regex = "[0-9A-Za-z]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CodeConverter:
    """A post code (``OTTAWA``, ``SANJOSE``)."""

    regex = "[0-9A-Za-z]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

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
    # Tag codes may hold a slash (UNGA/C-6), hence <path:>.
    path("tag/<path:code>.json", views.tag_detail_json, name="tag_detail_json"),
    path("tag/<path:code>/", views.tag_detail, name="tag_detail"),
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
