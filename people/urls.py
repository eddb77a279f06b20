"""``/people/``, ``/person/<slug>/`` and their JSON twins."""

from django.urls import path, register_converter

from people import views


class PersonSlugConverter:
    """A person's key (``cellucci_paul``): a slug no longer than the column, so a
    10,000-character value is a 404 before any query."""

    regex = "[-a-zA-Z0-9_]{1,200}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PersonSlugConverter, "personslug")

app_name = "people"

urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people.json", views.people_list_json, name="people_list_json"),
    path("person/<personslug:slug>/", views.person_detail, name="person_detail"),
    path("person/<personslug:slug>.json", views.person_detail_json, name="person_detail_json"),
]
