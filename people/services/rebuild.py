"""Every person recomputed from the stored cables, from scratch, in one pass."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import islice

from django.db import connection, transaction

from cables.models import Cable
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
from people.tally import COUNT_FIELDS, cables_tally

INSERT_BATCH = 20_000  # mentions per insert


def _tables_clear() -> None:
    """Every person, form, group and mention gone (table names from the models)."""
    with connection.cursor() as cursor:
        for model in (PersonRole, MentionGroup, PersonForm, Person):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608


@transaction.atomic
def people_rebuild(
    *, batch_size: int = 1000, on_progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute every person from the stored cables, from scratch, in one
    transaction: read the cables ``batch_size`` at a time, decide every group at once
    in memory, then write people, forms, groups and mentions. Linear in the archive;
    memory: two integers per mention and one tuple per group. Idempotent. Returns the
    cables read."""
    ids = list(Cable.objects.order_by("pk").values_list("pk", flat=True))
    index: dict[GroupKey, int] = {}  # group -> its position
    mention_cable, mention_group = array("q"), array("q")
    done = 0
    for chunk in chunks(ids, batch_size):
        for cable_id, key in cable_mentions(chunk):
            mention_cable.append(cable_id)
            mention_group.append(index.setdefault(key, len(index)))
        done += len(chunk)
        if on_progress:
            on_progress(done, len(ids))
    keys = list(index)
    sizes = Counter(mention_group)
    slugs = groups_assign(keys)
    group_slug = [slugs[key] for key in keys]

    forms: dict[str, Counter] = defaultdict(Counter)  # slug -> (display, year) -> mentions
    for position, key in enumerate(keys):
        forms[group_slug[position]][(group_display(key), key[2])] += sizes[position]
    person_slugs = sorted(forms)
    person_at = {slug: i for i, slug in enumerate(person_slugs)}
    tallies = cables_tally(
        (cable_id, person_at[group_slug[g]], keys[g][3])
        for cable_id, g in zip(mention_cable, mention_group, strict=True)
    )

    _tables_clear()
    people = []
    for slug in person_slugs:
        name, first, last = person_summary((d, y, n) for (d, y), n in forms[slug].items())
        people.append(
            Person(
                slug=slug,
                name=name,
                surname=surname_of(slug),
                first_year=first,
                last_year=last,
                **dict(zip(COUNT_FIELDS, tallies[person_at[slug]], strict=True)),
            )
        )
    Person.objects.bulk_create(people, batch_size=CHUNK)
    person_ids = dict(Person.objects.order_by().values_list("slug", "pk"))
    bulk.rows_insert(
        model=PersonForm,
        fields=FORM_FIELDS,
        rows=[
            (person_ids[slug], display, year, n)
            for slug in person_slugs
            for (display, year), n in forms[slug].items()
        ],
    )
    bulk.rows_insert(
        model=MentionGroup,
        fields=GROUP_FIELDS,
        rows=(
            (
                MentionGroup.pair_key(*key[:2]),
                *key,
                person_ids[group_slug[position]],
                sizes[position],
            )
            for position, key in enumerate(keys)
        ),
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
