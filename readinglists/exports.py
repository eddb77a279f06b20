"""A reading list as CSV, JSON and BibTeX. Pure functions of the list, its entries
and a function that makes a path absolute; the notes are part of every export."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from django.urls import reverse

from cables.citation import bibtex_escape
from cables.csvcells import csv_text
from cables.models import Cable
from cables.parsing.months import MONTH_ABBREVIATIONS
from cables.serialize import date_fields
from readinglists.models import ListEntry, ReadingList

Absolute = Callable[[str], str]

CSV_COLUMNS = [
    "position",
    "reference_id",
    "subject",
    "created",
    "date_precision",
    "post",
    "post_name",
    "classification",
    "url",
    "note",
    "added",
]

_DEPARTMENT = frozenset({"STATE", "SECSTATE"})


def cable_author(cable: Cable) -> str:
    """``US Embassy Ottawa``, ``US Consulate Toronto``, ``Department of State``."""
    code, name = cable.origin.code, (cable.origin.name or "").strip()
    if code in _DEPARTMENT:
        return "Department of State"
    if name and not name.startswith("US "):
        return f"US {name}"
    return name or f"US Embassy {code.title()}"


def entry_row(entry: ListEntry, absolute: Absolute) -> dict[str, Any]:
    cable = entry.cable
    return {
        "position": entry.position + 1,
        "reference_id": cable.reference_id,
        "subject": cable.subject,
        **date_fields(cable),
        "post": cable.origin.code,
        "post_name": cable.origin.name,
        "classification": cable.classification,
        "url": absolute(cable.get_absolute_url()),
        "note": entry.note,
        "added": entry.added.isoformat(),
    }


def list_json(
    reading_list: ReadingList, entries: Sequence[ListEntry], absolute: Absolute
) -> dict[str, Any]:
    pk = reading_list.pk
    return {
        "id": pk,
        "title": reading_list.title,
        "description": reading_list.description,
        "public": reading_list.public,
        "created": reading_list.created.isoformat(),
        "updated": reading_list.updated.isoformat(),
        "url": absolute(
            reading_list.get_public_url()
            if reading_list.public
            else reading_list.get_absolute_url()
        ),
        "formats": {
            fmt: absolute(reverse(f"readinglists:export_{fmt}", args=[pk]))
            for fmt in ("json", "csv", "bib")
        },
        "count": len(entries),
        "entries": [entry_row(e, absolute) for e in entries],
    }


def list_csv(entries: Sequence[ListEntry], absolute: Absolute) -> str:
    """The list as CSV; no cell a spreadsheet would run as a formula
    (:mod:`cables.csvcells`)."""
    rows = ([entry_row(entry, absolute)[k] for k in CSV_COLUMNS] for entry in entries)
    return csv_text([CSV_COLUMNS, *rows])


def bibtex_key(reference_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9:_-]", "", reference_id) or "cable"


def _braced(value: str) -> str:
    return "{" + bibtex_escape(value) + "}"


def _url(url: str) -> str:
    """A URL safe inside BibTeX braces and ``\\url{}``: braces, backslashes and
    spaces percent-encoded."""
    return re.sub(r"[{}\\\s]", lambda m: f"%{ord(m.group()):02X}", url)


def entry_bibtex(entry: ListEntry, absolute: Absolute) -> str:
    cable = entry.cable
    url = absolute(cable.get_absolute_url())
    fields: list[tuple[str, str]] = [("author", "{" + _braced(cable_author(cable)) + "}")]
    fields.append(("title", _braced(cable.subject or cable.reference_id)))
    if cable.created:
        fields.append(("year", str(cable.created.year)))
        fields.append(("month", MONTH_ABBREVIATIONS[cable.created.month - 1].lower()))
    if cable.classification:
        fields.append(("note", _braced(cable.get_classification_display())))
    fields.append(("howpublished", "{\\url{" + _url(url) + "}}"))
    fields.append(("url", "{" + _url(url) + "}"))
    if entry.note:
        fields.append(("annote", _braced(" ".join(entry.note.split()))))
    lines = [f"  {name:<12} = {value}" for name, value in fields]
    return "@misc{" + bibtex_key(cable.reference_id) + ",\n" + ",\n".join(lines) + "\n}\n"


def list_bibtex(reading_list: ReadingList, entries: Sequence[ListEntry], absolute: Absolute) -> str:
    # Outside an entry BibTeX reads everything but "@" as a comment.
    title = " ".join(reading_list.title.replace("@", " ").split())
    head = f"% Reading list: {title}\n\n"
    return head + "\n".join(entry_bibtex(e, absolute) for e in entries)
