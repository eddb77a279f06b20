"""How to cite a cable: a plain-text reference and a BibTeX entry, with its permalink."""

from __future__ import annotations

import re

from cables.models import Cable
from cables.parsing.months import MONTH_ABBREVIATIONS

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
_BIBTEX_REPLACE = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def _author(cable: Cable) -> str:
    return cable.origin.name or cable.origin.code


def _classification(cable: Cable) -> str:
    return cable.get_classification_display() if cable.classification else ""


def citation_text(*, cable: Cable, url: str) -> str:
    """``Embassy Ottawa. "SUBJECT." Diplomatic cable 03OTTAWA492, 19 February 2003,
    15:23 UTC. Confidential. Cable Archive. https://.../cable/03OTTAWA492/``"""
    parts = [f"{_author(cable)}."]
    if cable.subject:
        parts.append(f"“{cable.subject.rstrip('.')}.”")
    sent = f"Diplomatic cable {cable.reference_id}"
    if cable.created:
        sent += f", {cable.date.long()}"
    parts.append(f"{sent}.")
    if cable.classification:
        parts.append(f"{_classification(cable)}.")
    parts.append("Cable Archive.")
    parts.append(url)
    return " ".join(parts)


def bibtex_escape(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACE.get(m.group(1), "\\" + m.group(1)), value)


def citation_bibtex(*, cable: Cable, url: str) -> str:
    """A ``@misc`` entry keyed by the cable id."""
    fields = [("author", "{" + bibtex_escape(_author(cable)) + "}")]
    if cable.subject:
        fields.append(("title", "{" + bibtex_escape(cable.subject) + "}"))
    note = f"Diplomatic cable {cable.reference_id}"
    if cable.classification:
        note += f", {_classification(cable)}"
    fields.append(("howpublished", bibtex_escape(note)))
    if cable.created:
        fields.append(("year", str(cable.created.year)))
        fields.append(("month", MONTH_ABBREVIATIONS[cable.created.month - 1].lower()))
    fields.append(("publisher", "Cable Archive"))
    fields.append(("url", url))
    lines = []
    for name, value in fields:
        rendered = value if name == "month" else "{" + value + "}"
        lines.append(f"  {name:<12} = {rendered}")
    key = re.sub(r"[^A-Za-z0-9:_-]", "", cable.reference_id)
    return "@misc{" + key + ",\n" + ",\n".join(lines) + "\n}"
