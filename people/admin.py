from django.contrib import admin

from people.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "cable_count", "signed_count", "classified_count")
    search_fields = ("slug", "name")
    readonly_fields = (
        "name",
        "slug",
        "surname",
        "cable_count",
        "signed_count",
        "classified_count",
        "tagged_count",
        "first_year",
        "last_year",
    )
