"""``/people/``, ``/person/<slug>/`` and their JSON twins."""

from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people.json", views.people_list_json, name="people_list_json"),
    path("person/<slug:slug>/", views.person_detail, name="person_detail"),
    path("person/<slug:slug>.json", views.person_detail_json, name="person_detail_json"),
]
