"""The archive generation: ONE place that says "what the pages show has changed".

Every cached page, fragment and JSON/CSV twin is keyed by the generation's token
(:mod:`cables.pagecache`), and pages send it as their ETag, so bumping it makes every
cached copy unreachable at once: nothing is ever deleted key by key, nothing can be
forgotten. Who bumps: ingest and re-parse after each committed batch, the known-id
loader, the search index after each commit (update, repair, rebuild), and any
save/delete of a Cable, Post, Tag or known id through the model (signals) or the
admin (every ModelAdmin). The token lives in the database (one row,
:class:`cables.models.ArchiveGeneration`), so a cache flush or a Redis restart can
only cost a refill, never bring back an older token; the cache holds a copy so a
warm page needs no query at all.

Tokens are the bump's time in milliseconds and random bits: a database restored from
an older backup never repeats a token the cache may still hold pages under.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from cables.models import ArchiveGeneration
from cables.selectors import GENERATION_KEY, GENERATION_TIMEOUT


def _publish() -> tuple[str, object]:
    """Copy the committed row into the cache (read back, so the latest bump wins)."""
    row = ArchiveGeneration.objects.filter(pk=1).values_list("token", "changed_at").first()
    if row is None:
        return "", None
    cache.set(GENERATION_KEY, row, GENERATION_TIMEOUT)
    return row


def _new_token(now) -> str:
    """Milliseconds since the epoch, then randomness: ordered, and never repeated."""
    return f"{int(now.timestamp() * 1000):x}-{secrets.token_hex(4)}"


def archive_generation_bump() -> str:
    """A new generation: the database row first, then its copy in the cache.

    Call it after the write's transaction has committed (the services do). Inside a
    transaction (a model signal, an admin view) the cache sees the new token at once
    (so this connection reads its own writes), and the bump is made again once the
    transaction commits, so a page rendered from the not-yet-committed state under
    the first token is never served again. Two queries."""
    now = timezone.now()
    values = {"counter": F("counter") + 1, "token": _new_token(now), "changed_at": now}
    if not ArchiveGeneration.objects.filter(pk=1).update(**values):
        try:
            with transaction.atomic():
                ArchiveGeneration.objects.create(
                    pk=1, counter=1, token=values["token"], changed_at=now
                )
        except IntegrityError:  # another process made the row meanwhile
            ArchiveGeneration.objects.filter(pk=1).update(**values)
    token, _changed = _publish()
    if connection.in_atomic_block and not _after_commit_pending():
        transaction.on_commit(_bump_after_commit)
    return token


def _bump_after_commit() -> None:
    archive_generation_bump()


def _after_commit_pending() -> bool:
    return any(func is _bump_after_commit for _sids, func, _robust in connection.run_on_commit)


def archive_generation_forget() -> None:
    """Drop the cached copy (the next request reads the row again)."""
    cache.delete(GENERATION_KEY)
