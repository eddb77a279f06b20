"""The background index follower: a second process that indexes the cables an ingest
commits, a segment at a time, so parsing and database writes (one core) overlap with
index writing (the other core). Used through
:func:`search.services.indexing_during_ingest`."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import math
import multiprocessing
import os
import signal
import time
from collections.abc import Callable

from django.db import connections

from cables.models import Cable
from search.engine.api import caches_clear

logger = logging.getLogger(__name__)

# ``update(pending=True, limit=..., procs=..., segment_docs=...) -> report``
# (search.services.index_cables_update)
Update = Callable[..., object]

# Below this many cables per worker, a second worker costs more than it saves.
MIN_PARALLEL_SEGMENT = 1000


def tail_plan(waiting: int, *, segment: int, procs: int) -> tuple[int, int]:
    """How to index the ``waiting`` cables left when ingest is done: ``(processes,
    segment size)``. Segments of equal size (at most ``segment``) so that every round
    keeps all ``procs`` workers busy: 25,000 left with 10,000-cable segments and two
    workers is two rounds of 2 x 6,250, not 2 x 10,000 and then 5,000 on one core."""
    if procs <= 1 or waiting < procs * MIN_PARALLEL_SEGMENT:
        return 1, min(max(waiting, 1), segment)
    rounds = math.ceil(waiting / (segment * procs))
    return procs, math.ceil(waiting / (rounds * procs))


def follow_plan(waiting: int, *, segment: int, procs: int, done: bool) -> tuple[int, int]:
    """How to index the ``waiting`` cables now: ``(processes, segment size)``. Once
    ingest is done, :func:`tail_plan`. While it runs, whole segments only (so a bulk
    load ends with as few segments as one writer would make), and ``procs`` of them at
    once when that many are waiting: ingest and PostgreSQL wait on each other and
    leave about a fifth of two cores idle, which a second writer fills (251,287
    cables: 121,287 were still waiting when ingest ended with one writer)."""
    if done:
        return tail_plan(waiting, segment=segment, procs=procs)
    if procs > 1 and waiting >= procs * segment:
        return procs, segment
    return 1, segment


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:  # pragma: no cover - runs in child processes
    """Ask the kernel to kill this process when its parent (pid ``parent``, read by
    the parent before it forked) dies: PR_SET_PDEATHSIG. A parent that died between
    the fork and the ``prctl`` would never signal: then this process is already an
    orphan (its parent pid is no longer ``parent``), and it exits at once."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def index_follow(
    *,
    finished: Callable[[], bool],
    update: Update,
    segment: int,
    poll: float = 1.0,
    tail_procs: int = 2,
):
    """Index pending cables while another process ingests them: whenever a whole
    segment's worth is pending (committed by ingest), index it; once ``finished()``
    says ingest is done, index the rest and return the summed report. The pending
    marks are the only channel, so a crash of either side leaves the cables pending
    for the next run. While ingest runs, whole segments are written, ``tail_procs`` at
    once when that many are waiting; once ingest is done, the rest is written
    ``tail_procs`` segments at a time, in segments of equal size
    (:func:`follow_plan`)."""
    total = None
    while True:
        done = finished()  # read before counting: nothing is committed after it is True
        waiting = Cable.objects.index_pending().count()
        if waiting >= segment or (done and waiting):
            procs, size = follow_plan(waiting, segment=segment, procs=tail_procs, done=done)
            report = update(pending=True, limit=size * procs, procs=procs, segment_docs=size)
            if total is None:
                total = report
            else:
                total.indexed += report.indexed
                total.cleared += report.cleared
            logger.info("background index: %d cables indexed", total.indexed)
            continue
        if done:
            return total if total is not None else update(pending=False)
        time.sleep(poll)


class IndexFollower:
    """A background process running :func:`index_follow` beside an ingest.

    ``finish()`` tells it the ingest is over and waits for it to index the rest. If the
    ingest process dies, the follower dies with it; the cables it had not committed
    stay ``index_pending`` and the next ingest or ``update_index`` indexes them."""

    def __init__(self, *, update: Update, segment: int) -> None:
        ctx = multiprocessing.get_context("fork")  # fork: ``update`` is inherited, not pickled
        self._done = ctx.Event()
        self._result = ctx.Queue()
        connections.close_all()  # the child opens its own connection
        self._process = ctx.Process(
            target=_follower_main,
            args=(os.getpid(), self._done, self._result, update, segment),
            name="index-follower",
        )
        self._process.start()

    def finish(self):
        self._done.set()
        result = self._result.get()
        self._process.join()
        if isinstance(result, BaseException):
            raise result
        return result

    def abort(self) -> None:
        self._process.terminate()
        self._process.join()


def _follower_main(parent: int, done, result, update, segment: int) -> None:  # pragma: no cover
    die_with_parent(parent)
    connections.close_all()
    try:
        report = index_follow(finished=done.is_set, update=update, segment=segment)
    except Exception as exc:
        logger.exception("background indexing failed; cables stay pending")
        result.put(RuntimeError(f"background indexing failed: {exc}"))
        return
    finally:
        connections.close_all()
    caches_clear()
    result.put(report)
