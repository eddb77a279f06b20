"""Reading lists: private pages for their owner (``/lists/``), a read-only permalink
for a public list (``/lists/<id>/public/``), and exports (``.json``, ``.csv``, ``.bib``)."""

from django.urls import path

from readinglists import views

app_name = "readinglists"

urlpatterns = [
    path("lists/", views.list_index, name="index"),
    path("lists.json", views.list_index_json, name="index_json"),
    path("lists/new/", views.list_create, name="create"),
    path("lists/add/", views.cables_add, name="add"),
    path("lists/<int:pk>/", views.list_detail, name="detail"),
    path("lists/<int:pk>/public/", views.list_public, name="public"),
    path("lists/<int:pk>.json", views.list_export, {"fmt": "json"}, name="export_json"),
    path("lists/<int:pk>.csv", views.list_export, {"fmt": "csv"}, name="export_csv"),
    path("lists/<int:pk>.bib", views.list_export, {"fmt": "bib"}, name="export_bib"),
    path("lists/<int:pk>/edit/", views.list_update, name="update"),
    path("lists/<int:pk>/delete/", views.list_delete, name="delete"),
    path("lists/<int:pk>/entries/<int:entry>/note/", views.entry_note, name="entry_note"),
    path("lists/<int:pk>/entries/<int:entry>/remove/", views.entry_remove, name="entry_remove"),
    path("lists/<int:pk>/entries/<int:entry>/move/", views.entry_move, name="entry_move"),
]
