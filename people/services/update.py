"""People kept in step with each ingest or re-parse batch, at a cost that follows the
batch, not the archive.

:func:`people_update` runs inside the batch's transaction (so the batch and its people
are all-or-nothing, and a rerun after ``kill -9`` carries on):

* The merge rule (:func:`people.names.assign`) decides a partial name from the full
  names of the same surname at the same post, so only the (surname, post) pairs the
  batch names (now or before) can change. Within a pair, every mention with the same
  year, role and written form is the same person: one
  :class:`~people.models.MentionGroup`, with its number of mentions. The batch reads
  and re-decides the groups of its pairs (a few per year and form, however many
  cables they hold), never the mentions.
* A group whose person changes moves with one ``UPDATE`` of its mentions, found by the
  group's index (the only work that follows something other than the batch: the
  mentions that really change person).
* A person's counts change by the tally of the cables whose mentions changed (the
  batch's, and those of a moved group), after minus before (:mod:`people.tally`); the
  name and the first and last years by the changes to its forms
  (:class:`~people.models.PersonForm`: mentions per written form and year).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from cables.services import bulk
from people.models import MentionGroup, Person, PersonForm, PersonRole
from people.services.mentions import (
    CHUNK,
    FORM_FIELDS,
    GROUP_FIELDS,
    ROLE_FIELDS,
    GroupKey,
    cable_mentions,
    chunks,
    group_display,
    groups_assign,
    person_summary,
    surname_of,
)
from people.tally import COUNT_FIELDS, Row, tally_change

FormKey = tuple[int, str, int]  # (person, display, year)


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
    for chunk in chunks(cable_ids):
        roles = PersonRole.objects.filter(cable_id__in=chunk).order_by()
        for cable_id, person_id, role, group_id, surname, post_id in roles.values_list(
            "cable_id", "person_id", "role", "group_id", "group__surname", "group__post_id"
        ):
            old.append((cable_id, person_id, role, group_id))
            old_pairs.add((surname, post_id))
        roles.delete()
        fresh += cable_mentions(chunk)

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
    forms = _forms_change(groups, person_ids)
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
    counts = tally_change(before=before, after=after)
    _people_refresh(sorted(set(counts) | {key[0] for key in forms}), counts, forms)


def _groups_load(pairs: list[tuple[str, int]]) -> dict[GroupKey, _Group]:
    """Every stored group of these (surname, post) pairs."""
    groups: dict[GroupKey, _Group] = {}
    keys = [MentionGroup.pair_key(surname, post_id) for surname, post_id in pairs]
    for chunk in chunks(keys):
        rows = (
            MentionGroup.objects.filter(pair__in=chunk)
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
    for chunk in chunks(wanted):
        person_ids.update(
            Person.objects.filter(slug__in=chunk).order_by().values_list("slug", "pk")
        )
    missing = [slug for slug in wanted if slug not in person_ids]
    if missing:
        created = Person.objects.bulk_create(
            [Person(slug=slug, name=slug, surname=surname_of(slug)) for slug in missing],
            batch_size=CHUNK,
        )
        person_ids.update((p.slug, p.pk) for p in created if p.pk is not None)
        for chunk in chunks([slug for slug in missing if slug not in person_ids]):
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
    for chunk in chunks(ids):
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
        for chunk in chunks(sorted(group_ids)):
            PersonRole.objects.filter(group_id__in=chunk).update(person_id=person_id)
    before: list[Row] = [(c, p, r) for c, p, r, _ in rows.values()]
    after: list[Row] = [(c, moved.get(g, p), r) for c, p, r, g in rows.values()]
    return before, after


def _forms_change(groups: dict[GroupKey, _Group], person_ids: dict[str, int]) -> dict:
    """What the batch does to the forms: mentions per (person, display, year)."""
    change: dict[FormKey, int] = defaultdict(int)
    for key, group in groups.items():
        if not group.changed:
            continue
        display = group_display(key)
        if group.pk is not None:  # its stored mentions leave their person ...
            change[(group.person_id, display, key[2])] -= group.mentions
        if group.live:  # ... and all of them, the batch's too, join the new one
            change[(person_ids[group.new_slug], display, key[2])] += group.mentions + group.change
    return {key: n for key, n in change.items() if n}


def _groups_write(groups: dict[GroupKey, _Group], person_ids: dict[str, int]) -> None:
    """Store the groups as the batch leaves them; new ones get their primary key."""
    created = [(key, g) for key, g in groups.items() if g.pk is None and g.live]
    if created:
        bulk.rows_insert(
            model=MentionGroup,
            fields=GROUP_FIELDS,
            rows=[
                (MentionGroup.pair_key(*key[:2]), *key, person_ids[g.new_slug], g.change)
                for key, g in created
            ],
        )
        found = _groups_load(sorted({key[:2] for key, _ in created}))
        for key, group in created:
            group.pk = found[key].pk
    bulk.rows_update(
        model=MentionGroup,
        fields=("mentions", "person_id"),
        rows=[
            (g.pk, g.mentions + g.change, person_ids[g.new_slug])
            for g in groups.values()
            if g.pk is not None and g.live and g.changed
        ],
    )
    emptied = sorted(g.pk for g in groups.values() if g.pk is not None and not g.live)
    for chunk in chunks(emptied):  # their mentions were the batch's, deleted already
        MentionGroup.objects.filter(pk__in=chunk).delete()


def _people_refresh(
    person_ids: list[int], counts: dict[int, list[int]], change: dict[FormKey, int]
) -> None:
    """Apply the changes to these people's counts and forms; rename them and date
    them from their forms; drop those left without any."""
    forms: dict[int, dict[tuple[str, int], list]] = defaultdict(dict)  # [pk, mentions]
    for chunk in chunks(person_ids):
        rows = (
            PersonForm.objects.filter(person_id__in=chunk)
            .order_by()
            .values_list("pk", "person_id", "display", "year", "mentions")
        )
        for pk, person_id, display, year, mentions in rows:
            forms[person_id][(display, year)] = [pk, mentions]
    created, updated, emptied = [], [], []
    for (person_id, display, year), n in change.items():
        form = forms[person_id].get((display, year))
        if form is None:
            forms[person_id][(display, year)] = [None, n]
            created.append((person_id, display, year, n))
            continue
        form[1] += n
        (updated if form[1] > 0 else emptied).append((form[0], form[1]))
    if created:
        bulk.rows_insert(model=PersonForm, fields=FORM_FIELDS, rows=created)
    bulk.rows_update(model=PersonForm, fields=("mentions",), rows=updated)
    for chunk in chunks([pk for pk, _ in emptied]):
        PersonForm.objects.filter(pk__in=chunk).delete()

    people, gone = [], []
    for chunk in chunks(person_ids):
        for pk, *stored in (
            Person.objects.filter(pk__in=chunk).order_by().values_list("pk", *COUNT_FIELDS)
        ):
            mine = [(d, y, n) for (d, y), (_, n) in forms[pk].items() if n > 0]
            if not mine:
                gone.append(pk)
                continue
            delta = counts.get(pk, (0, 0, 0, 0))
            people.append(
                (
                    pk,
                    *person_summary(mine),
                    *(n + d for n, d in zip(stored, delta, strict=True)),
                )
            )
    bulk.rows_update(
        model=Person, fields=("name", "first_year", "last_year", *COUNT_FIELDS), rows=people
    )
    for chunk in chunks(gone):
        Person.objects.filter(pk__in=chunk).delete()
