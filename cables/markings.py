"""The classification markings of a cable, as plain constants (no Django).

The model's choices (:class:`cables.models.Classification`) and the search index's
query field (``classification:secret-noforn``) are both built from this one list.
"""

from __future__ import annotations

UNCLASSIFIED = "UNCLASSIFIED"
UNCLASSIFIED_FOUO = "UNCLASSIFIED//FOUO"
CONFIDENTIAL = "CONFIDENTIAL"
CONFIDENTIAL_NOFORN = "CONFIDENTIAL//NOFORN"
SECRET = "SECRET"  # noqa: S105 - a marking, not a password
SECRET_NOFORN = "SECRET//NOFORN"  # noqa: S105
TOP_SECRET = "TOP SECRET"  # noqa: S105
TOP_SECRET_NOFORN = "TOP SECRET//NOFORN"  # noqa: S105

# Every marking, lowest level first: the level, then ``//`` and a dissemination control.
MARKINGS: tuple[str, ...] = (
    UNCLASSIFIED,
    UNCLASSIFIED_FOUO,
    CONFIDENTIAL,
    CONFIDENTIAL_NOFORN,
    SECRET,
    SECRET_NOFORN,
    TOP_SECRET,
    TOP_SECRET_NOFORN,
)


def marking_level(marking: str) -> str:
    """``SECRET//NOFORN`` -> ``SECRET``: the classification level of a marking."""
    return marking.split("//", 1)[0].strip()
