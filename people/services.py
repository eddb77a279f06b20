"""Writes: the people of the archive, kept in step with its cables.

:func:`people_update` runs once per committed ingest or re-parse batch, inside the
batch's transaction (so the batch and its people are all-or-nothing). It rewrites the
mentions of the batch's cables, then recomputes every surname those cables name (now
or before): who each mention of that surname is (the merge rule in
:mod:`people.names` depends only on the mentions sharing the surname), each person's
display name and counts, and drops people left without a mention. So the result is
the same whatever order the cables came in, and a re-run changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction
from django.db.models import Count, Max, Min, Q

from cables.models import Cable, CableTag
from people import names
from people.models import Person, PersonRole

CHUNK = 500  # ids per IN (...) list


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _cable_mentions(
    cable_ids: Sequence[int], where: dict[int, tuple[int, object]]
) -> list[tuple[int, names.Mention]]:
    """The people these cables name; ``where`` gets each cable's post and date."""
    tags: dict[int, list[str]] = defaultdict(list)
    rows = (
        CableTag.objects.filter(cable_id__in=cable_ids)
        .order_by("cable_id", "position")
        .values_list("cable_id", "tag__code")
    )
    for cable_id, code in rows:
        tags[cable_id].append(code)
    found = []
    cables = Cable.objects.filter(pk__in=cable_ids).values_list(
        "pk", "signer", "classified_by_name", "origin_id", "created"
    )
    for pk, signer, classified_by, origin_id, when in cables:
        where[pk] = (origin_id, when)
        for mention in names.cable_mentions(
            signer=signer, classified_by=classified_by, tags=tags.get(pk, ())
        ):
            found.append((pk, mention))
    return found


@transaction.atomic
def people_update(*, cable_ids: Iterable[int]) -> None:
    """Bring the people of these cables (primary keys) up to date: their mentions,
    and everyone who shares a surname with them. Run it after the cables are
    written, in the same transaction."""
    cable_ids = sorted(set(cable_ids))
    if not cable_ids:
        return
    surnames: set[str] = set()
    fresh: list[tuple[int, names.Mention]] = []
    where: dict[int, tuple[int, object]] = {}
    for chunk in _chunks(cable_ids):
        roles = PersonRole.objects.filter(cable_id__in=chunk)
        surnames.update(roles.values_list("surname", flat=True).distinct())
        roles.delete()
        fresh += _cable_mentions(chunk, where)
    surnames.update(m.name.surname_key for _, m in fresh)
    _surnames_recompute(sorted(surnames), fresh, where)


def _surnames_recompute(
    surnames: list[str],
    fresh: list[tuple[int, names.Mention]],
    where: dict[int, tuple[int, object]],
) -> None:
    """Assign every mention of these surnames (the stored ones and ``fresh``, not
    stored yet) to its person; create, rename, recount and drop people to match."""
    stored: list[tuple[int | None, int, str, str, int | None, object, int | None]] = []
    for chunk in _chunks(surnames):
        stored += PersonRole.objects.filter(surname__in=chunk).values_list(
            "pk", "cable_id", "role", "written", "person_id", "cable__origin_id", "cable__created"
        )
    mentions: list[tuple[int | None, int, names.Mention, int | None]] = []  # (role pk, ...)
    occurrences: list[names.Occurrence] = []
    dropped = []
    for pk, cable_id, role, written, person_id, origin_id, when in stored:
        name = names.mention_name(role, written)
        if name is None:  # no longer read as a name (the rules changed): drop it
            dropped.append(pk)
            continue
        mentions.append((pk, cable_id, names.Mention(role, written, name), person_id))
        occurrences.append(names.Occurrence(name, origin_id, when.year if when else None))
    for chunk in _chunks(dropped):
        PersonRole.objects.filter(pk__in=chunk).delete()
    for cable_id, mention in fresh:
        origin_id, when = where[cable_id]
        mentions.append((None, cable_id, mention, None))
        occurrences.append(names.Occurrence(mention.name, origin_id, when.year if when else None))
    keys = names.assign(occurrences)

    by_key: dict[str, list[names.Name]] = defaultdict(list)
    for key, occurrence in zip(keys, occurrences, strict=True):
        by_key[key].append(occurrence.name)
    people = _people_ensure(by_key)

    moved, new = [], []
    for key, (pk, cable_id, mention, person_id) in zip(keys, mentions, strict=True):
        person = people[key]
        if pk is None:
            new.append(
                PersonRole(
                    person=person,
                    cable_id=cable_id,
                    role=mention.role,
                    written=mention.written[:200],
                    surname=mention.name.surname_key[:120],
                )
            )
        elif person_id != person.pk:
            moved.append(PersonRole(pk=pk, person=person))
    PersonRole.objects.bulk_update(moved, ["person"], batch_size=CHUNK)
    PersonRole.objects.bulk_create(new, batch_size=CHUNK, ignore_conflicts=True)
    for chunk in _chunks(surnames):
        Person.objects.filter(surname__in=chunk).exclude(slug__in=list(by_key)).delete()
    _people_recount(list(people.values()))


def _people_ensure(by_key: dict[str, list[names.Name]]) -> dict[str, Person]:
    """The Person of each key, created or renamed as needed."""
    people: dict[str, Person] = {}
    slugs = list(by_key)
    for chunk in _chunks(slugs):
        people.update((p.slug, p) for p in Person.objects.filter(slug__in=chunk))
    missing = [
        Person(slug=key, name=names.display_for(by_key[key])[:200], surname=_surname(by_key[key]))
        for key in slugs
        if key not in people
    ]
    if missing:
        Person.objects.bulk_create(missing, batch_size=CHUNK, ignore_conflicts=True)
        for chunk in _chunks([p.slug for p in missing]):
            people.update((p.slug, p) for p in Person.objects.filter(slug__in=chunk))
    renamed = []
    for key, person in people.items():
        name = names.display_for(by_key[key])[:200]
        if person.name != name:
            person.name = name
            renamed.append(person)
    Person.objects.bulk_update(renamed, ["name"], batch_size=CHUNK)
    return people


def _surname(found: list[names.Name]) -> str:
    return found[0].surname_key[:120]


def _people_recount(people: list[Person]) -> None:
    """Counts and first and last years of these people, from their mentions."""
    by_pk = {p.pk: p for p in people}
    distinct = {"distinct": True}
    for chunk in _chunks(list(by_pk)):
        rows = (
            PersonRole.objects.filter(person_id__in=chunk)
            .values("person_id")
            .annotate(
                cables=Count("cable_id", **distinct),
                signed=Count("cable_id", filter=Q(role=names.SIGNED), **distinct),
                classified=Count("cable_id", filter=Q(role=names.CLASSIFIED), **distinct),
                tagged=Count("cable_id", filter=Q(role=names.TAGGED), **distinct),
                first=Min("cable__created"),
                last=Max("cable__created"),
            )
        )
        for row in rows:
            person = by_pk[row["person_id"]]
            person.cable_count = row["cables"]
            person.signed_count = row["signed"]
            person.classified_count = row["classified"]
            person.tagged_count = row["tagged"]
            person.first_year = row["first"].year if row["first"] else None
            person.last_year = row["last"].year if row["last"] else None
    Person.objects.bulk_update(
        people,
        [
            "cable_count",
            "signed_count",
            "classified_count",
            "tagged_count",
            "first_year",
            "last_year",
        ],
        batch_size=CHUNK,
    )


def people_rebuild(
    *, batch_size: int = 1000, on_progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute the people of every cable, batch by batch (one transaction each),
    then drop anyone left without a mention. Idempotent. Returns the cables read."""
    ids = list(Cable.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for chunk in _chunks(ids, batch_size):
        people_update(cable_ids=chunk)
        done += len(chunk)
        if on_progress:
            on_progress(done, len(ids))
    Person.objects.filter(roles__isnull=True).delete()
    return done
