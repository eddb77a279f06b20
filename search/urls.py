from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search.json", views.search_json, name="search_json"),
    path("search.csv", views.search_csv, name="search_csv"),
    path("search.atom", views.search_atom, name="search_atom"),
    path("search/help/", views.search_help, name="search_help"),
]
