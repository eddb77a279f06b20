from django.contrib import admin

from cables.models import Cable, CableTag, KnownCable, Paragraph, Post, Recipient, Reference, Tag
from cables.services.generation import archive_generation_bump


class GenerationBumpingAdmin(admin.ModelAdmin):
    """Every edit made in the admin bumps the archive generation, so no cached page
    shows the old version (related rows edited inline included)."""

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        archive_generation_bump()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        archive_generation_bump()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        archive_generation_bump()


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ["number", "classification", "text"]
    readonly_fields = fields
    can_delete = False


class ReferenceInline(admin.TabularInline):
    model = Reference
    fk_name = "source"
    extra = 0
    fields = ["letter", "text", "target_reference_id", "target_cable"]
    readonly_fields = fields
    can_delete = False


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0
    fields = ["kind", "name", "precedence", "routing"]
    readonly_fields = fields
    can_delete = False


class CableTagInline(admin.TabularInline):
    model = CableTag
    extra = 0
    fields = ["position", "tag"]
    readonly_fields = fields
    can_delete = False


@admin.register(Cable)
class CableAdmin(GenerationBumpingAdmin):
    list_display = ["reference_id", "created", "origin", "classification", "caveats", "subject"]
    list_filter = [
        "classification",
        "partial",
        "precedence",
        ("origin", admin.RelatedOnlyFieldListFilter),
        "tags",
    ]
    search_fields = ["reference_id", "subject", "signer", "classified_by_name"]
    date_hierarchy = "created"
    list_select_related = ["origin"]
    readonly_fields = ["ingested_at", "updated_at", "content_hash", "source"]
    inlines = [CableTagInline, RecipientInline, ReferenceInline, ParagraphInline]
    show_full_result_count = False


@admin.register(Post)
class PostAdmin(GenerationBumpingAdmin):
    list_display = ["code", "name", "country"]
    list_filter = ["country"]
    search_fields = ["code", "name"]


@admin.register(Tag)
class TagAdmin(GenerationBumpingAdmin):
    list_display = ["code"]
    search_fields = ["code"]


@admin.register(Reference)
class ReferenceAdmin(GenerationBumpingAdmin):
    list_display = ["source", "letter", "text", "target_reference_id", "target_cable"]
    list_filter = [("target_cable", admin.EmptyFieldListFilter)]
    search_fields = ["source__reference_id", "target_reference_id", "text"]
    raw_id_fields = ["source", "target_cable"]
    list_select_related = ["source", "target_cable"]


@admin.register(KnownCable)
class KnownCableAdmin(GenerationBumpingAdmin):
    list_display = ["reference_id", "year", "month"]
    list_filter = ["year"]
    search_fields = ["reference_id"]
