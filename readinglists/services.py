"""Writes for reading lists: keyword-only, each in one transaction. Every change to a
list or its entries moves the list's ``updated`` time (the public view's validator)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cables.models import Cable
from readinglists.models import ListEntry, ReadingList


def _touch(reading_list: ReadingList) -> None:
    reading_list.updated = timezone.now()
    ReadingList.objects.filter(pk=reading_list.pk).update(updated=reading_list.updated)


@transaction.atomic
def reading_list_create(
    *, owner: AbstractBaseUser, title: str, description: str = "", public: bool = False
) -> ReadingList:
    return ReadingList.objects.create(
        owner=owner, title=title.strip(), description=description.strip(), public=public
    )


@transaction.atomic
def reading_list_update(
    *, reading_list: ReadingList, title: str, description: str, public: bool
) -> ReadingList:
    reading_list.title = title.strip()
    reading_list.description = description.strip()
    reading_list.public = public
    reading_list.save()
    return reading_list


@transaction.atomic
def reading_list_delete(*, reading_list: ReadingList) -> None:
    reading_list.delete()


@dataclass(frozen=True)
class Added:
    added: list[str]
    already: list[str]


@transaction.atomic
def list_entries_add(
    *, reading_list: ReadingList, cables: Iterable[Cable], note: str = ""
) -> Added:
    """Append the cables not yet in the list, in order; the others are left as they
    are (their notes too)."""
    ReadingList.objects.select_for_update().filter(pk=reading_list.pk).first()
    present = set(
        ListEntry.objects.filter(reading_list=reading_list).values_list("cable_id", flat=True)
    )
    last = ListEntry.objects.filter(reading_list=reading_list).aggregate(m=Max("position"))["m"]
    position = 0 if last is None else last + 1
    added, already, rows = [], [], []
    for cable in cables:
        if cable.pk in present:
            already.append(cable.reference_id)
            continue
        present.add(cable.pk)
        rows.append(
            ListEntry(reading_list=reading_list, cable=cable, note=note.strip(), position=position)
        )
        added.append(cable.reference_id)
        position += 1
    ListEntry.objects.bulk_create(rows)
    if rows:
        _touch(reading_list)
    return Added(added=added, already=already)


@transaction.atomic
def list_entry_note_set(*, entry: ListEntry, note: str) -> ListEntry:
    entry.note = note.strip()
    entry.save(update_fields=["note"])
    _touch(entry.reading_list)
    return entry


@transaction.atomic
def list_entry_remove(*, entry: ListEntry) -> None:
    reading_list = entry.reading_list
    entry.delete()
    _touch(reading_list)


@transaction.atomic
def list_entry_move(*, entry: ListEntry, direction: str) -> bool:
    """Swap the entry with its neighbour above (``up``) or below (``down``) and
    number the list 0..n-1; False when it is already first or last."""
    if direction not in {"up", "down"}:
        raise ValueError(f"direction must be up or down, not {direction!r}")
    order = list(
        ListEntry.objects.select_for_update()
        .filter(reading_list_id=entry.reading_list_id)
        .order_by("position", "pk")
    )
    i = next(k for k, row in enumerate(order) if row.pk == entry.pk)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(order):
        return False
    order[i], order[j] = order[j], order[i]
    for position, row in enumerate(order):
        row.position = position
    ListEntry.objects.bulk_update(order, ["position"])
    _touch(entry.reading_list)
    return True
