"""Reading lists: private pages for their owner (``/lists/``), a read-only permalink
for a public list (``/lists/<id>/public/``), and exports (``.json``, ``.csv``, ``.bib``)."""

from django.urls import path, register_converter

from readinglists import views


class RowIdConverter:
    """A row id that fits a 64-bit column (a longer number is a 404, not an overflow)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowIdConverter, "rowid")

app_name = "readinglists"

urlpatterns = [
    path("lists/", views.list_index, name="index"),
    path("lists.json", views.list_index_json, name="index_json"),
    path("lists/new/", views.list_create, name="create"),
    path("lists/add/", views.cables_add, name="add"),
    path("lists/<rowid:pk>/", views.list_detail, name="detail"),
    path("lists/<rowid:pk>/public/", views.list_public, name="public"),
    path("lists/<rowid:pk>.json", views.list_export, {"fmt": "json"}, name="export_json"),
    path("lists/<rowid:pk>.csv", views.list_export, {"fmt": "csv"}, name="export_csv"),
    path("lists/<rowid:pk>.bib", views.list_export, {"fmt": "bib"}, name="export_bib"),
    path("lists/<rowid:pk>/edit/", views.list_update, name="update"),
    path("lists/<rowid:pk>/delete/", views.list_delete, name="delete"),
    path("lists/<rowid:pk>/entries/<rowid:entry>/note/", views.entry_note, name="entry_note"),
    path("lists/<rowid:pk>/entries/<rowid:entry>/remove/", views.entry_remove, name="entry_remove"),
    path("lists/<rowid:pk>/entries/<rowid:entry>/move/", views.entry_move, name="entry_move"),
]
