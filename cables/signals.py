"""Edits through the model bump the archive generation (the admin, a shell, a test).

Ingest and re-parse write with bulk statements, which send no signals; they bump
once per committed batch themselves. Only the models a reader sees named on a page
and that ingest never deletes with a queryset are wired here: a ``post_delete``
receiver would turn Django's fast bulk delete of paragraphs, recipients, tags and
REF items into a row-by-row delete. The admin bumps for every model it edits
(:class:`cables.admin.GenerationBumpingAdmin`).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from cables.models import Cable, KnownCable, Post, Tag
from cables.services.generation import archive_generation_bump

WIRED = (Cable, Post, Tag, KnownCable)


def _bump(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    archive_generation_bump()


def signals_connect() -> None:
    for model in WIRED:
        post_save.connect(_bump, sender=model, dispatch_uid=f"generation-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"generation-delete-{model.__name__}")
