"""Reads for reading lists. Every lookup a view makes for a list goes through the
owner or the ``public`` flag: a private list is found for its owner only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from cables.models import Cable
from cables.parsing import normalize_id
from readinglists.models import ListEntry, ReadingList

MAX_CABLES_PER_ADD = 200
# What can be a stored cable id; anything else (NUL, which PostgreSQL refuses in a
# query, punctuation) is unknown without asking the database.
CABLE_ID_RE = re.compile(r"[0-9A-Za-z]{1,64}")
# Control characters are dropped from an id before it is shown back as unknown.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def lists_for_owner(*, user: AbstractBaseUser) -> QuerySet[ReadingList]:
    return ReadingList.objects.filter(owner=user).annotate(entry_count=Count("entries"))


def list_get(*, pk: int) -> ReadingList | None:
    return ReadingList.objects.filter(pk=pk).first()


def list_get_for_owner(*, user: AbstractBaseUser, pk: int) -> ReadingList | None:
    if not user.is_authenticated:
        return None
    return ReadingList.objects.filter(pk=pk, owner=user).first()


def list_entries(*, reading_list: ReadingList) -> QuerySet[ListEntry]:
    return (
        ListEntry.objects.filter(reading_list=reading_list)
        .select_related("cable", "cable__origin")
        .only(
            "pk",
            "note",
            "position",
            "added",
            "reading_list_id",
            "cable__reference_id",
            "cable__subject",
            "cable__created",
            "cable__date_precision",
            "cable__classification",
            "cable__origin__code",
            "cable__origin__name",
        )
        .order_by("position", "pk")
    )


def entry_get(*, reading_list: ReadingList, pk: int) -> ListEntry | None:
    return ListEntry.objects.filter(reading_list=reading_list, pk=pk).first()


@dataclass(frozen=True)
class Resolved:
    """The cables named in a request: those the archive holds (in the order asked,
    without repeats) and the ids it does not."""

    cables: list[Cable]
    unknown: list[str]


def cables_resolve(*, ids: list[str]) -> Resolved:
    wanted: list[str] = []
    for raw in ids[:MAX_CABLES_PER_ADD]:
        rid = CONTROL_RE.sub("", normalize_id(raw))[:64]
        if rid and rid not in wanted:
            wanted.append(rid)
    found = {
        c.reference_id: c
        for c in Cable.objects.filter(
            reference_id__in=[rid for rid in wanted if CABLE_ID_RE.fullmatch(rid)]
        )
        .select_related("origin")
        .only(
            "pk",
            "reference_id",
            "subject",
            "created",
            "date_precision",
            "origin__code",
            "origin__name",
        )
    }
    return Resolved(
        cables=[found[rid] for rid in wanted if rid in found],
        unknown=[rid for rid in wanted if rid not in found],
    )
