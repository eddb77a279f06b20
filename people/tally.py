"""A person's counts from mentions: pure Python, no Django.

A person's ``cable_count`` is the number of cables that name them at all, and each
role count the number of cables that name them in that role: a cable that one
ambassador signed and classified counts once for ``cable_count``, once for signed
and once for classified, and two person tags of one person on a cable count once.
These counts split over cables, so a change to the mentions of some cables changes
them by the tally of those cables after, minus the tally before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter

from people.names import CLASSIFIED, SIGNED, TAGGED

#: Position of each count in a tally: cables, then one per role.
COUNT_FIELDS = ("cable_count", "signed_count", "classified_count", "tagged_count")
_ROLE_SLOT = {SIGNED: 1, CLASSIFIED: 2, TAGGED: 3}

Row = tuple[int, int, str]  # (cable, person, role)


def cables_tally(rows: Iterable[Row]) -> dict[int, list[int]]:
    """Per person, ``[cables, signed, classified, tagged]`` over ``rows`` of
    (cable, person, role). The rows of one cable must come together (sorted by
    cable, or as read cable by cable)."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for _cable, mentions in groupby(rows, key=itemgetter(0)):
        people: set[int] = set()
        roles: set[tuple[int, str]] = set()
        for _, person, role in mentions:
            if person not in people:
                people.add(person)
                totals[person][0] += 1
            if (person, role) not in roles:
                roles.add((person, role))
                totals[person][_ROLE_SLOT[role]] += 1
    return dict(totals)


def tally_change(*, before: Iterable[Row], after: Iterable[Row]) -> dict[int, list[int]]:
    """Per person, what the counts gain (or lose) when the mentions of some cables
    go from ``before`` to ``after`` (both of the same cables, in any order)."""
    change: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for sign, rows in ((-1, before), (1, after)):
        for person, counts in cables_tally(sorted(rows, key=itemgetter(0))).items():
            slot = change[person]
            for i, n in enumerate(counts):
                slot[i] += sign * n
    return dict(change)
