"""Writes: the people of the archive, kept in step with its cables.

:func:`people_update` runs once per committed ingest or re-parse batch, inside the
batch's transaction (so the batch and its people are all-or-nothing, and a rerun
after ``kill -9`` carries on). Its cost follows the batch, not the archive:

* The merge rule (:func:`people.names.assign`) decides a partial name from the
  full names of the same surname at the same post, so only the (surname, post)
  pairs the batch names (now or before) can change. Within a pair, every mention
  with the same year, role and written form is the same person: one
  :class:`~people.models.MentionGroup` row, with its number of mentions. The batch
  reads and re-decides the groups of its pairs (a few per year and form, however
  many cables they hold), never the mentions.
* A group whose person changes moves with one ``UPDATE`` of its mentions, found by
  the group's index.
* A person's counts change by the tally of the cables whose mentions changed (the
  batch's, and those of a moved group), after minus before (:mod:`people.tally`); the
  display name and first and last years come from the person's groups.

The result is exactly what :func:`people_rebuild` computes from scratch, whatever
the order and the batches the cables came in (the tests check both ways).
"""

from __future__ import annotations

import operator
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import islice

from django.db import connection, transaction
from django.db.models import Max, Min, Q, Sum

from cables.models import Cable, CableTag
from cables.services import bulk
from people import names
from people.models import MentionGroup, Person, PersonRole
from people.tally import COUNT_FIELDS, Row, cables_tally, tally_change

CHUNK = 500  # ids per IN (...) list
PAIRS_PER_QUERY = 100  # (surname, post) pairs OR-ed into one query
MAX_WRITTEN = 200  # PersonRole.written, MentionGroup.written, Person.slug
MAX_SURNAME = 120
INSERT_BATCH = 20_000  # mentions per insert when rebuilding

#: A group of mentions: (surname key, post id, year or 0 when undated, role, written).
GroupKey = tuple[str, int, int, str, str]
ROLE_FIELDS = ("cable_id", "role", "written", "person_id", "group_id")


def _chunks(values: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _cable_mentions(cable_ids: Sequence[int]) -> list[tuple[int, GroupKey]]:
    """The people these cables name, each with its group, cable by cable."""
    tags: dict[int, list[str]] = defaultdict(list)
    rows = (
        CableTag.objects.filter(cable_id__in=cable_ids)
        .order_by("cable_id", "position")
        .values_list("cable_id", "tag__code")
    )
    for cable_id, code in rows:
        tags[cable_id].append(code)
    found = []
    cables = (
        Cable.objects.filter(pk__in=cable_ids)
        .order_by("pk")
        .values_list("pk", "signer", "classified_by_name", "origin_id", "created")
    )
    for pk, signer, classified_by, origin_id, when in cables:
        year = when.year if when else 0
        for mention in names.cable_mentions(
            signer=signer, classified_by=classified_by, tags=tags.get(pk, ())
        ):
            surname = mention.name.surname_key
            if len(mention.written) > MAX_WRITTEN or len(mention.name.key) > MAX_WRITTEN:
                continue  # no name is that long: a run-on line the parser kept
            if len(surname) > MAX_SURNAME:
                continue
            found.append((pk, (surname, origin_id, year, mention.role, mention.written)))
    return found


def groups_assign(keys: Iterable[GroupKey]) -> dict[GroupKey, str]:
    """The person key (slug) of each group: :func:`people.names.assign` per (surname,
    post) pair, over one occurrence per group (the rule looks at which full names
    occur where and when, never how often). A group whose written form no longer
    reads as a name (the rules changed since) gets none."""
    by_pair: dict[tuple[str, int], list[GroupKey]] = defaultdict(list)
    for key in keys:
        by_pair[key[:2]].append(key)
    slugs: dict[GroupKey, str] = {}
    for pair in by_pair.values():
        named = [(key, names.mention_name(key[3], key[4])) for key in pair]
        named = [(key, name) for key, name in named if name is not None]
        occurrences = [names.Occurrence(name, key[1], key[2] or None) for key, name in named]
        found = names.assign(occurrences)
        slugs.update(zip((key for key, _ in named), found, strict=True))
    return slugs


def _surname_of(slug: str) -> str:
    return slug.split("_", 1)[0]


@dataclass(slots=True)
class _Group:
    """A group as stored (``pk`` None: new) and what the batch does to it."""

    pk: int | None
    mentions: int
    person_id: int | None
    slug: str | None
    change: int = 0  # mentions the batch adds, less those it takes away
    new_slug: str | None = None

    @property
    def live(self) -> bool:
        return self.mentions + self.change > 0

    @property
    def changed(self) -> bool:
        return bool(self.change) or self.new_slug != self.slug


@transaction.atomic
def people_update(*, cable_ids: Iterable[int]) -> None:
    """Bring the people of these cables (primary keys) up to date: their mentions,
    the groups of the (surname, post) pairs they name, and the people whose
    mentions changed. Run it after the cables are written, in the same transaction."""
    cable_ids = sorted(set(cable_ids))
    if not cable_ids:
        return
    old: list[tuple[int, int, str, int]] = []  # (cable, person, role, group)
    old_pairs: set[tuple[str, int]] = set()
    fresh: list[tuple[int, GroupKey]] = []
    for chunk in _chunks(cable_ids):
        roles = PersonRole.objects.filter(cable_id__in=chunk).order_by()
        for cable_id, person_id, role, group_id, surname, post_id in roles.values_list(
            "cable_id", "person_id", "role", "group_id", "group__surname", "group__post_id"
        ):
            old.append((cable_id, person_id, role, group_id))
            old_pairs.add((surname, post_id))
        roles.delete()
        fresh += _cable_mentions(chunk)

    groups = _groups_load(sorted(old_pairs | {key[:2] for _, key in fresh}))
    by_pk = {group.pk: group for group in groups.values()}
    for _, _, _, group_id in old:
        by_pk[group_id].change -= 1
    for _, key in fresh:
        if key not in groups:
            groups[key] = _Group(pk=None, mentions=0, person_id=None, slug=None)
        groups[key].change += 1
    live = {key: group for key, group in groups.items() if group.live}
    slugs = groups_assign(live)
    for key, group in live.items():
        group.new_slug = slugs.get(key, group.slug)

    person_ids = _people_ensure(groups.values())
    before, after = _groups_move(groups.values(), person_ids)
    _groups_write(groups, person_ids)
    bulk.rows_insert(
        model=PersonRole,
        fields=ROLE_FIELDS,
        rows=[
            (cable_id, key[3], key[4], person_ids[groups[key].new_slug], groups[key].pk)
            for cable_id, key in fresh
        ],
    )
    before += [(cable_id, person_id, role) for cable_id, person_id, role, _ in old]
    after += [(cable_id, person_ids[groups[key].new_slug], key[3]) for cable_id, key in fresh]
    change = tally_change(before=before, after=after)
    touched = set(change)
    for group in groups.values():
        if group.changed:
            touched.add(group.person_id)
            touched.add(person_ids.get(group.new_slug))
    touched.discard(None)
    _people_refresh(sorted(touched), change)


def _groups_load(pairs: list[tuple[str, int]]) -> dict[GroupKey, _Group]:
    """Every stored group of these (surname, post) pairs."""
    groups: dict[GroupKey, _Group] = {}
    for chunk in _chunks(pairs, PAIRS_PER_QUERY):
        where = reduce(operator.or_, (Q(surname=s, post_id=p) for s, p in chunk))
        rows = (
            MentionGroup.objects.filter(where)
            .order_by()
            .values_list(
                "pk",
                "surname",
                "post_id",
                "year",
                "role",
                "written",
                "mentions",
                "person_id",
                "person__slug",
            )
        )
        for pk, surname, post_id, year, role, written, mentions, person_id, slug in rows:
            groups[(surname, post_id, year, role, written)] = _Group(pk, mentions, person_id, slug)
    return groups


def _people_ensure(groups: Iterable[_Group]) -> dict[str, int]:
    """The primary key of each person the groups have or get, created as needed
    (named by their slug until :func:`_people_refresh` names them)."""
    groups = list(groups)
    person_ids = {g.slug: g.person_id for g in groups if g.slug is not None}
    wanted = sorted({g.new_slug for g in groups if g.live} - person_ids.keys())
    for chunk in _chunks(wanted):
        person_ids.update(
            Person.objects.filter(slug__in=chunk).order_by().values_list("slug", "pk")
        )
    missing = [slug for slug in wanted if slug not in person_ids]
    if missing:
        created = Person.objects.bulk_create(
            [Person(slug=slug, name=slug, surname=_surname_of(slug)) for slug in missing],
            batch_size=CHUNK,
        )
        person_ids.update((p.slug, p.pk) for p in created if p.pk is not None)
        for chunk in _chunks([slug for slug in missing if slug not in person_ids]):
            person_ids.update(
                Person.objects.filter(slug__in=chunk).order_by().values_list("slug", "pk")
            )
    return person_ids


def _groups_move(groups: Iterable[_Group], person_ids: dict[str, int]) -> tuple[list, list]:
    """Give the stored mentions of every group whose person changed their new person.
    Returns (before, after): the mentions of the cables concerned, as tally rows."""
    moved = {
        g.pk: person_ids[g.new_slug]
        for g in groups
        if g.pk is not None and g.live and g.new_slug != g.slug
    }
    if not moved:
        return [], []
    ids = sorted(moved)
    rows: dict[int, tuple[int, int, str, int]] = {}  # every mention of the cables concerned
    for chunk in _chunks(ids):
        cables = PersonRole.objects.filter(group_id__in=chunk).order_by().values("cable_id")
        rows.update(
            (pk, rest)
            for pk, *rest in PersonRole.objects.filter(cable_id__in=cables)
            .order_by()
            .values_list("pk", "cable_id", "person_id", "role", "group_id")
        )
    by_person: dict[int, list[int]] = defaultdict(list)
    for group_id, person_id in moved.items():
        by_person[person_id].append(group_id)
    for person_id, group_ids in sorted(by_person.items()):
        for chunk in _chunks(sorted(group_ids)):
            PersonRole.objects.filter(group_id__in=chunk).update(person_id=person_id)
    before: list[Row] = [(c, p, r) for c, p, r, _ in rows.values()]
    after: list[Row] = [(c, moved.get(g, p), r) for c, p, r, g in rows.values()]
    return before, after


def _groups_write(groups: dict[GroupKey, _Group], person_ids: dict[str, int]) -> None:
    """Store the groups as the batch leaves them; new ones get their primary key."""
    created = [(key, g) for key, g in groups.items() if g.pk is None and g.live]
    rows = MentionGroup.objects.bulk_create(
        [
            MentionGroup(
                surname=key[0],
                post_id=key[1],
                year=key[2],
                role=key[3],
                written=key[4],
                person_id=person_ids[g.new_slug],
                mentions=g.change,
            )
            for key, g in created
        ],
        batch_size=CHUNK,
    )
    for (_, group), row in zip(created, rows, strict=True):
        group.pk = row.pk
    if any(group.pk is None for _, group in created):  # a backend without RETURNING
        found = _groups_load(sorted({key[:2] for key, _ in created}))
        for key, group in created:
            group.pk = found[key].pk
    updated = [
        MentionGroup(pk=g.pk, mentions=g.mentions + g.change, person_id=person_ids[g.new_slug])
        for g in groups.values()
        if g.pk is not None and g.live and g.changed
    ]
    MentionGroup.objects.bulk_update(updated, ["mentions", "person"], batch_size=CHUNK)
    emptied = sorted(g.pk for g in groups.values() if g.pk is not None and not g.live)
    for chunk in _chunks(emptied):  # their mentions were the batch's, deleted already
        MentionGroup.objects.filter(pk__in=chunk).delete()


def _people_refresh(person_ids: list[int], change: dict[int, list[int]]) -> None:
    """Counts (by ``change``), display names and first and last years of these
    people, from their groups; drop those left without any."""
    found: dict[int, tuple[Counter, list[int]]] = {}
    for chunk in _chunks(person_ids):
        rows = (
            MentionGroup.objects.filter(person_id__in=chunk)
            .values("person_id", "role", "written")
            .annotate(
                n=Sum("mentions"),
                first=Min("year", filter=Q(year__gt=0)),
                last=Max("year", filter=Q(year__gt=0)),
            )
            .order_by()
            .values_list("person_id", "role", "written", "n", "first", "last")
        )
        for person_id, role, written, n, first, last in rows:
            displays, years = found.setdefault(person_id, (Counter(), []))
            name = names.mention_name(role, written)
            displays[name.display if name is not None else written] += n
            years += [y for y in (first, last) if y]
    people, gone = [], []
    for chunk in _chunks(person_ids):
        for person in Person.objects.filter(pk__in=chunk).order_by():
            if person.pk not in found:
                gone.append(person.pk)
                continue
            displays, years = found[person.pk]
            person.name = names.display_choose(displays)[:MAX_WRITTEN]
            person.first_year = min(years) if years else None
            person.last_year = max(years) if years else None
            for field, n in zip(COUNT_FIELDS, change.get(person.pk, (0, 0, 0, 0)), strict=True):
                setattr(person, field, getattr(person, field) + n)
            people.append(person)
    fields = ["name", "first_year", "last_year", *COUNT_FIELDS]
    Person.objects.bulk_update(people, fields, batch_size=CHUNK)
    for chunk in _chunks(gone):
        Person.objects.filter(pk__in=chunk).delete()


# -- from scratch --------------------------------------------------------------------


def _tables_clear() -> None:
    """Every person, group and mention gone (table names from the models, no input)."""
    with connection.cursor() as cursor:
        for model in (PersonRole, MentionGroup, Person):
            cursor.execute("DELETE FROM " + connection.ops.quote_name(model._meta.db_table))  # noqa: S608


@transaction.atomic
def people_rebuild(
    *, batch_size: int = 1000, on_progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute every person from the stored cables, from scratch, in one
    transaction: read the cables ``batch_size`` at a time, decide every group at
    once in memory, then write people, groups and mentions. Linear in the archive.
    Idempotent. Returns the cables read."""
    ids = list(Cable.objects.order_by("pk").values_list("pk", flat=True))
    index: dict[GroupKey, int] = {}  # group -> its position
    mention_cable, mention_group = array("q"), array("q")
    done = 0
    for chunk in _chunks(ids, batch_size):
        for cable_id, key in _cable_mentions(chunk):
            mention_cable.append(cable_id)
            mention_group.append(index.setdefault(key, len(index)))
        done += len(chunk)
        if on_progress:
            on_progress(done, len(ids))
    keys = list(index)
    sizes = Counter(mention_group)
    slugs = groups_assign(keys)
    group_slug = [slugs[key] for key in keys]

    displays: dict[str, Counter] = defaultdict(Counter)
    years: dict[str, list[int]] = defaultdict(list)
    for position, key in enumerate(keys):
        slug = group_slug[position]
        displays[slug][names.mention_name(key[3], key[4]).display] += sizes[position]
        if key[2]:
            years[slug].append(key[2])
    person_slugs = sorted(displays)
    person_at = {slug: i for i, slug in enumerate(person_slugs)}
    tallies = cables_tally(
        (cable_id, person_at[group_slug[g]], keys[g][3])
        for cable_id, g in zip(mention_cable, mention_group, strict=True)
    )

    _tables_clear()
    people = []
    for slug in person_slugs:
        counts = tallies[person_at[slug]]
        span = years.get(slug)
        people.append(
            Person(
                slug=slug,
                name=names.display_choose(displays[slug])[:MAX_WRITTEN],
                surname=_surname_of(slug),
                first_year=min(span) if span else None,
                last_year=max(span) if span else None,
                **dict(zip(COUNT_FIELDS, counts, strict=True)),
            )
        )
    Person.objects.bulk_create(people, batch_size=CHUNK)
    person_ids = dict(Person.objects.order_by().values_list("slug", "pk"))
    MentionGroup.objects.bulk_create(
        [
            MentionGroup(
                surname=key[0],
                post_id=key[1],
                year=key[2],
                role=key[3],
                written=key[4],
                person_id=person_ids[group_slug[position]],
                mentions=sizes[position],
            )
            for position, key in enumerate(keys)
        ],
        batch_size=CHUNK,
    )
    group_ids = {
        (s, p, y, r, w): pk
        for pk, s, p, y, r, w in MentionGroup.objects.order_by()
        .values_list("pk", "surname", "post_id", "year", "role", "written")
        .iterator(chunk_size=5000)
    }
    group_pk = [group_ids[key] for key in keys]
    group_person = [person_ids[slug] for slug in group_slug]
    rows = (
        (cable_id, keys[g][3], keys[g][4], group_person[g], group_pk[g])
        for cable_id, g in zip(mention_cable, mention_group, strict=True)
    )
    while batch := list(islice(rows, INSERT_BATCH)):
        bulk.rows_insert(model=PersonRole, fields=ROLE_FIELDS, rows=batch)
    return done
