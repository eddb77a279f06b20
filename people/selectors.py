"""Reads: the people list, one person's page, the people of one cable."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from cables.models import NEWEST_FIRST, Cable, CableTag
from cables.selectors import cable_list_queryset
from cables.tag_info import tag_describe
from people import names
from people.models import Person, PersonRole, Role
from search.filters import SearchParams
from search.links import name_search_url, search_url

#: ``?sort=`` of the people list -> its ordering (``count`` is the default).
SORTS: dict[str, tuple[str, ...]] = {
    "count": ("-cable_count", "slug"),
    "name": ("slug",),
    "signed": ("-signed_count", "slug"),
    "classified": ("-classified_count", "slug"),
    "tagged": ("-tagged_count", "slug"),
}
ROLE_FIELDS = {names.SIGNED: "signer", names.CLASSIFIED: "by"}
MAX_SEARCH_FORMS = 8  # written forms OR-ed into one person: search


def people_list(*, q: str = "", sort: str = "count") -> QuerySet[Person]:
    """People with at least one cable, ordered by ``sort`` (a key of SORTS); ``q``
    keeps those whose key holds every word of it (case and accents ignored:
    ``cellucci``, ``Paul Cellucci``, ``muñoz``)."""
    people = Person.objects.filter(cable_count__gt=0)
    for word in q.replace(",", " ").split():
        key = names.name_key_word(word)
        if len(key) > 1:
            people = people.filter(slug__contains=key)
    return people.order_by(*SORTS[sort])


def person_get(*, slug: str) -> Person | None:
    return Person.objects.filter(slug=slug, cable_count__gt=0).first()


@dataclass(frozen=True)
class RoleBlock:
    role: str
    label: str
    count: int
    cables: list[Cable]


@dataclass(frozen=True)
class WrittenForm:
    """One way the cables write this person, in one role, with its search link."""

    role: str
    written: str
    count: int
    search_url: str | None


@dataclass(frozen=True)
class PostRow:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class PersonPage:
    person: Person
    roles: list[RoleBlock]
    years: list[tuple[int, int]]
    posts: list[PostRow]
    top_tags: list
    written: list[WrittenForm]
    search_url: str | None
    search_params: SearchParams | None


def _form_search_url(role: str, written: str) -> str | None:
    if role == names.TAGGED:
        return search_url(tags=(written,))
    return name_search_url(ROLE_FIELDS[role], written)


def person_search_query(forms: list[str]) -> str:
    """``person:"CELLUCCI" OR person:"Paul Cellucci"``: every cable naming one of
    these forms as signer, classifier or person tag ("" when there are none)."""
    phrases = []
    for form in forms:
        words = " ".join(form.replace('"', " ").split())
        if words and words not in phrases:
            phrases.append(words)
    return " OR ".join(f'person:"{words}"' for words in phrases[:MAX_SEARCH_FORMS])


def person_page(*, person: Person, latest: int = 20) -> PersonPage:
    """What a person's page shows: the latest cables in each role, cables per year,
    top posts and tags, and how the cables write the name. Seven queries."""
    mentions = PersonRole.objects.filter(person=person)
    cable_ids = mentions.values("cable_id")
    cables = Cable.objects.filter(pk__in=cable_ids)
    counts = {
        names.SIGNED: person.signed_count,
        names.CLASSIFIED: person.classified_count,
        names.TAGGED: person.tagged_count,
    }
    roles = []
    for role, label in Role.choices:
        if not counts[role]:
            continue
        rows = (
            cable_list_queryset()
            .filter(pk__in=mentions.filter(role=role).values("cable_id"))
            .order_by(NEWEST_FIRST, "reference_id")[:latest]
        )
        roles.append(RoleBlock(role, label, counts[role], list(rows)))
    years = list(
        cables.exclude(created__isnull=True)
        .annotate(year=ExtractYear("created"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
        .values_list("year", "n")
    )
    posts = [
        PostRow(code, name or code, n)
        for code, name, n in cables.values("origin__code", "origin__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "origin__code")
        .values_list("origin__code", "origin__name", "n")[:10]
    ]
    written = [
        WrittenForm(role, text, n, _form_search_url(role, text))
        for role, text, n in mentions.values("role", "written")
        .annotate(n=Count("cable_id", distinct=True))
        .order_by("role", "-n", "written")
        .values_list("role", "written", "n")
    ]
    own_tags = [w.written for w in written if w.role == names.TAGGED]
    tag_rows = (
        CableTag.objects.filter(cable_id__in=cable_ids)
        .filter(~Q(tag__code__in=own_tags))
        .values("tag__code")
        .annotate(n=Count("cable_id", distinct=True))
        .order_by("-n", "tag__code")[:15]
    )
    top_tags = [tag_describe(row["tag__code"], row["n"]) for row in tag_rows]
    query = person_search_query([w.written for w in sorted(written, key=lambda w: -w.count)])
    return PersonPage(
        person=person,
        roles=roles,
        years=years,
        posts=posts,
        top_tags=top_tags,
        written=written,
        search_url=search_url(q=query) if query else None,
        search_params=SearchParams(q=query) if query else None,
    )


def cable_people(*, cable: Cable) -> dict[str, list[PersonRole]]:
    """The signer(s) and classifier(s) of a cable with their people: one query."""
    found: dict[str, list[PersonRole]] = {names.SIGNED: [], names.CLASSIFIED: []}
    rows = (
        PersonRole.objects.filter(cable=cable, role__in=list(found))
        .select_related("person")
        .only("role", "written", "person__slug", "person__name")
        .order_by("role", "pk")
    )
    for row in rows:
        found[row.role].append(row)
    return found
