"""People named by the cables: signers, classifiers and person tags, one record each.

``Person`` is one normalised person (see :mod:`people.names` for the normal form and
the merge rule); ``PersonRole`` is one mention of a person on a cable in one role, as
the cable writes it; ``MentionGroup`` holds the mentions that are always the same
person, and ``PersonForm`` what a person's name and years come from. All are derived
from the cables and kept in step by :mod:`people.services` with every ingest or
re-parse batch.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from cables.models import Cable, Post
from people import names


class Role(models.TextChoices):
    SIGNED = names.SIGNED, "Signed"
    CLASSIFIED = names.CLASSIFIED, "Classified"
    TAGGED = names.TAGGED, "Tagged"


class Person(models.Model):
    slug = models.SlugField(max_length=200, unique=True, help_text="The key: cellucci_paul")
    name = models.CharField(max_length=200, help_text="Surname first: CELLUCCI, Paul")
    surname = models.CharField(max_length=120, db_index=True, help_text="Folded: van-voorst")
    cable_count = models.PositiveIntegerField(default=0, help_text="Cables, any role")
    signed_count = models.PositiveIntegerField(default=0)
    classified_count = models.PositiveIntegerField(default=0)
    tagged_count = models.PositiveIntegerField(default=0)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["slug"]
        indexes = [models.Index(fields=["-cable_count", "slug"], name="person_by_count")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", args=[self.slug])

    @property
    def key(self) -> str:
        return self.slug


class MentionGroup(models.Model):
    """The mentions that are always one person: the same surname (folded), post, year,
    role and written form. The merge rule (:func:`people.names.assign`) decides per
    group, never per mention, so a batch of cables touches only the groups of its
    (surname, post) pairs, however many mentions they hold. ``mentions`` counts the
    group's :class:`PersonRole` rows; ``pair`` is the (surname, post) pair as one
    indexed value, so that a batch finds its pairs' groups with one ``IN`` list."""

    pair = models.CharField(
        max_length=150, help_text="Post id and surname: the merge rule's unit (12:cellucci)"
    )
    surname = models.CharField(max_length=120, help_text="Folded, as Person.surname")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The cables' year; 0: undated")
    role = models.CharField(max_length=12, choices=Role.choices)
    written = models.CharField(max_length=200)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="groups")
    mentions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["surname", "post", "year", "role", "written"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "year", "role", "written"], name="unique_mention_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.written} ({self.role}, {self.post_id}, {self.year}): {self.mentions}"

    @staticmethod
    def pair_key(surname: str, post_id: int) -> str:
        return f"{post_id}:{surname}"


class PersonForm(models.Model):
    """How many mentions write a person one way (``display``: ``CELLUCCI, Paul``) in
    one year (0: undated). The person's name is the commonest form, and the first and
    last years those with a mention: kept by deltas, so a batch reads a few rows per
    person it touches (forms times years), never the person's mentions or groups."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="forms", db_index=False
    )
    display = models.CharField(max_length=250)
    year = models.PositiveSmallIntegerField(help_text="0: undated")
    mentions = models.PositiveIntegerField()

    class Meta:
        ordering = ["person", "display", "year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "display", "year"], name="unique_person_form")
        ]

    def __str__(self) -> str:
        return f"{self.display} ({self.year}): {self.mentions}"


class PersonRole(models.Model):
    """A person on a cable in one role: ``written`` is the name as the cable writes
    it (``CELLUCCI``, ``Brian Flora``, ``GATES, ROBERT M.``)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="person_roles")
    role = models.CharField(max_length=12, choices=Role.choices)
    written = models.CharField(max_length=200)
    group = models.ForeignKey(MentionGroup, on_delete=models.CASCADE, related_name="roles")

    class Meta:
        ordering = ["cable", "role", "written"]
        constraints = [
            models.UniqueConstraint(
                fields=["cable", "role", "written"], name="unique_person_role_mention"
            )
        ]
        indexes = [
            models.Index(fields=["person", "role", "cable"], name="person_role_cables"),
        ]

    def __str__(self) -> str:
        return f"{self.cable_id} {self.role} {self.written}"
