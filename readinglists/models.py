"""A researcher's reading lists: cables in an order of their choosing, with notes.

Writes live in ``readinglists.services``, reads in ``readinglists.selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from cables.models import Cable


class ReadingList(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_lists"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    public = models.BooleanField(
        default=False, help_text="Anyone with the link may read it, notes included"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-pk"]
        indexes = [models.Index(fields=["owner", "-updated"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("readinglists:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("readinglists:public", args=[self.pk])


class ListEntry(models.Model):
    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="entries")
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="list_entries")
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField()
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reading_list", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["reading_list", "cable"], name="unique_list_cable")
        ]
        verbose_name_plural = "list entries"

    def __str__(self) -> str:
        return f"{self.reading_list_id}: {self.cable_id}"
