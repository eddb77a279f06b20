"""What a TAGS code means, for the reading pages: one door to ``cables.glossary``.

The glossary owns the meanings and the kinds' labels (``cables.glossary.kind_label``);
this keeps the code as the archive spells it (the glossary normalises, the URLs must
not) and orders the kinds for the tag list.
"""

from __future__ import annotations

from dataclasses import dataclass

from cables.glossary import KINDS, classify


@dataclass(frozen=True)
class TagRow:
    code: str  # as stored (and in URLs)
    kind: str
    meaning: str
    count: int | None = None


def tag_describe(code: str, count: int | None = None) -> TagRow:
    info = classify(code)
    return TagRow(code=code, kind=info.kind, meaning=info.meaning, count=count)


def kind_order() -> list[str]:
    """The glossary's kinds in its order, ``unknown`` last."""
    return [*(k for k in KINDS if k != "unknown"), "unknown"]


__all__ = ["TagRow", "kind_order", "tag_describe"]
