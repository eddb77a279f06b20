"""What the archive stores: cables and the parts the pages and the index read.

Query logic lives on :class:`CableQuerySet`; writes live in ``cables.services``.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from cables import markings
from cables.dates import known_date


class Classification(models.TextChoices):
    """The marking as the archives write it: the level, then NOFORN or FOUO (the
    values are :mod:`cables.markings`, which the search index reads too)."""

    UNCLASSIFIED = markings.UNCLASSIFIED, "Unclassified"
    UNCLASSIFIED_FOUO = markings.UNCLASSIFIED_FOUO, "Unclassified, for official use only"
    CONFIDENTIAL = markings.CONFIDENTIAL, "Confidential"
    CONFIDENTIAL_NOFORN = markings.CONFIDENTIAL_NOFORN, "Confidential, no foreign nationals"
    SECRET = markings.SECRET, "Secret"
    SECRET_NOFORN = markings.SECRET_NOFORN, "Secret, no foreign nationals"
    TOP_SECRET = markings.TOP_SECRET, "Top secret"
    TOP_SECRET_NOFORN = markings.TOP_SECRET_NOFORN, "Top secret, no foreign nationals"


class Post(models.Model):
    """A station: an embassy, consulate, mission or the Department itself."""

    code = models.CharField(max_length=40, unique=True, help_text="Canonical station: SANJOSE")
    name = models.CharField(max_length=120, blank=True, help_text="Embassy San Jose")
    country = models.CharField(max_length=8, blank=True, help_text="TAGS country code")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code

    def get_absolute_url(self) -> str:
        return reverse("cables:post_detail", args=[self.code])


class Tag(models.Model):
    # A code (PREL), a person (GATES, ROBERT M.) or a free-text tag (HUMAN RIGHTS).
    code = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("cables:tag_detail", args=[self.code])


class KnownCable(models.Model):
    """A cable id known to exist (the Cablegate list), loaded or not."""

    reference_id = models.CharField(max_length=64, unique=True)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["reference_id"]

    def __str__(self) -> str:
        return self.reference_id

    def get_absolute_url(self) -> str:
        return reverse("cables:cable_detail", args=[self.reference_id])


# Newest first, undated last on every database (PostgreSQL puts NULLs first in a
# descending order, SQLite last); ties by ``reference_id``.
NEWEST_FIRST = models.F("created").desc(nulls_last=True)


class CableQuerySet(models.QuerySet):
    def by_tag(self, code: str) -> CableQuerySet:
        return self.filter(tags__code=code.upper())

    def by_post(self, code: str) -> CableQuerySet:
        return self.filter(origin__code=code.upper())

    def cited_by(self, cable: Cable) -> CableQuerySet:
        """The cables ``cable`` cites (its REF items that resolve)."""
        return self.filter(citations__source=cable).distinct()

    def citing(self, reference_id: str) -> CableQuerySet:
        """The cables whose REF names ``reference_id``."""
        return self.filter(references__target_reference_id=reference_id).distinct()

    def index_pending(self) -> CableQuerySet:
        return self.filter(index_pending=True)

    def parsed_before(self, version: str) -> CableQuerySet:
        """Cables whose stored fields an older (or another) parser version read."""
        return self.exclude(parser_version=version)


class Cable(models.Model):
    reference_id = models.CharField(max_length=64, unique=True)
    origin = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="cables")
    serial = models.PositiveIntegerField(null=True, blank=True)
    classification = models.CharField(max_length=32, choices=Classification.choices)
    caveats = models.CharField(max_length=200, blank=True, help_text="Space-separated")
    # The date the archive knows (cables.dates.cable_date_decide): the cable's own,
    # to the minute, or the first instant of the month the Cablegate id list gives.
    created = models.DateTimeField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=8,
        blank=True,
        choices=[("minute", "To the minute"), ("month", "Month only")],
        help_text="How precisely created is known; empty when it is not",
    )
    released = models.DateTimeField(null=True, blank=True)
    precedence = models.CharField(max_length=20, blank=True)
    sender = models.TextField(blank=True)
    eo = models.CharField("executive order", max_length=40, blank=True)
    declassify_on = models.DateField(null=True, blank=True)
    declassify_marking = models.TextField(blank=True)
    subject = models.TextField(blank=True)
    subject_classification = models.CharField(max_length=20, blank=True)
    classified_by_name = models.TextField(blank=True)
    classified_by_title = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    signer = models.TextField(blank=True)
    partial = models.BooleanField(default=False)
    header = models.TextField(blank=True)
    body = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, through="CableTag", related_name="cables")

    source = models.TextField(blank=True, help_text="Where it was ingested from")
    content_hash = models.CharField(
        max_length=64, help_text="The input and what the parser read from it"
    )
    input_hash = models.CharField(max_length=64, blank=True, help_text="The input alone")
    parser_version = models.CharField(
        max_length=16, blank=True, help_text="The parser version that read the stored fields"
    )
    index_pending = models.BooleanField(
        default=True, help_text="Written to the database but not yet to the search index"
    )
    ingested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CableQuerySet.as_manager()

    class Meta:
        ordering = [NEWEST_FIRST, "reference_id"]
        indexes = [
            models.Index(fields=["created"]),
            models.Index(fields=["classification", "created"]),
            models.Index(fields=["origin", "created"]),
            models.Index(fields=["index_pending"]),
        ]

    def __str__(self) -> str:
        return self.reference_id

    def get_absolute_url(self) -> str:
        return reverse("cables:cable_detail", args=[self.reference_id])

    @property
    def date(self):
        """The date known and its precision (:class:`cables.dates.KnownDate`)."""
        return known_date(self.created, self.date_precision)

    @property
    def caveat_list(self) -> list[str]:
        return self.caveats.split()

    @property
    def text(self) -> str:
        return f"{self.header}\n\n{self.body}" if self.header else self.body


class CableTag(models.Model):
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["cable", "position"]
        constraints = [models.UniqueConstraint(fields=["cable", "tag"], name="unique_cable_tag")]
        indexes = [models.Index(fields=["tag", "cable"])]

    def __str__(self) -> str:
        return f"{self.cable_id} {self.tag_id}"


class Paragraph(models.Model):
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(null=True, blank=True)
    classification = models.CharField(max_length=20, blank=True)
    text = models.TextField()
    heading = models.BooleanField(
        default=False, help_text="A section heading line, not a paragraph of text"
    )

    class Meta:
        ordering = ["cable", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cable", "position"], name="unique_paragraph_position")
        ]

    def __str__(self) -> str:
        return f"{self.cable_id} ¶{self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.cable.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"p{self.number}" if self.number is not None else f"t{self.position}"


class Reference(models.Model):
    """One REF item of a cable: its letter, its raw text, the cable id it names (if
    any) and that cable when the archive holds it."""

    source = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField()
    letter = models.CharField(max_length=4, blank=True)
    text = models.TextField()
    target_reference_id = models.CharField(max_length=64, blank=True, db_index=True)
    target_cable = models.ForeignKey(
        Cable, null=True, blank=True, on_delete=models.SET_NULL, related_name="citations"
    )

    class Meta:
        ordering = ["source", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="unique_reference_position")
        ]

    def __str__(self) -> str:
        target = self.target_reference_id or self.text[:40]
        return f"{self.source_id} REF {self.letter or '-'}: {target}"


class Recipient(models.Model):
    class Kind(models.TextChoices):
        TO = "to", "To"
        INFO = "info", "Info"

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="recipients")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=4, choices=Kind.choices)
    name = models.TextField()
    precedence = models.CharField(max_length=20, blank=True)
    routing = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["cable", "position"]

    def __str__(self) -> str:
        return f"{self.kind.upper()} {self.name}"


class ArchiveGeneration(models.Model):
    """One row: the archive's generation, bumped by every write that changes what a
    page shows (ingest, re-parse, index writes, admin and model edits). Every cached
    page and twin is keyed by ``token``; pages send it as their ETag and
    ``changed_at`` as their Last-Modified. Durable here, mirrored in the cache
    (:mod:`cables.services.generation`)."""

    counter = models.PositiveBigIntegerField(default=0)
    token = models.CharField(max_length=40)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"generation {self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
