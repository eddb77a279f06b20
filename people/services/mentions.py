"""What both ways of computing people share: the mentions of some cables, each with
its group, and the merge rule decided per group."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from cables.models import Cable, CableTag
from people import names

CHUNK = 500  # ids per IN (...) list, rows per statement
MAX_WRITTEN = 200  # PersonRole.written, MentionGroup.written, Person.slug and name
MAX_SURNAME = 120
MAX_DISPLAY = 250  # PersonForm.display

#: A group of mentions: (surname key, post id, year or 0 when undated, role, written).
GroupKey = tuple[str, int, int, str, str]
#: The columns of a PersonRole row as services write them.
ROLE_FIELDS = ("cable_id", "role", "written", "person_id", "group_id")
FORM_FIELDS = ("person_id", "display", "year", "mentions")
GROUP_FIELDS = ("pair", "surname", "post_id", "year", "role", "written", "person_id", "mentions")


def chunks(values: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def cable_mentions(cable_ids: Sequence[int]) -> list[tuple[int, GroupKey]]:
    """The people these cables name, each with its group, cable by cable (by pk)."""
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
        slugs.update(zip((key for key, _ in named), names.assign(occurrences), strict=True))
    return slugs


def group_display(key: GroupKey) -> str:
    """How a group writes its person: ``CELLUCCI, Paul`` (the written form itself when
    it no longer reads as a name)."""
    name = names.mention_name(key[3], key[4])
    return (name.display if name is not None else key[4])[:MAX_DISPLAY]


def surname_of(slug: str) -> str:
    return slug.split("_", 1)[0]


def person_summary(forms: Iterable[tuple[str, int, int]]) -> tuple[str, int | None, int | None]:
    """(name, first year, last year) of a person from its forms: (display, year or 0,
    mentions)."""
    displays: dict[str, int] = defaultdict(int)
    years = []
    for display, year, mentions in forms:
        if mentions > 0:
            displays[display] += mentions
            if year:
                years.append(year)
    name = names.display_choose(displays)[:MAX_WRITTEN]
    return name, (min(years) if years else None), (max(years) if years else None)
