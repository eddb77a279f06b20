"""Writes: the people of the archive, kept in step with its cables.

:func:`people_update` (per ingest or re-parse batch, cost following the batch) and
:func:`people_rebuild` (from scratch, linear in the archive) give exactly the same
people, mentions and groups, whatever the order and the batches the cables came in.
"""

from people.services.rebuild import people_rebuild
from people.services.update import people_update

__all__ = ["people_rebuild", "people_update"]
