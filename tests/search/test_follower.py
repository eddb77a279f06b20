"""The background indexer: its plan for the cables left when ingest is done, and its
processes, which never outlive their parent nor keep the index's write lock."""

from __future__ import annotations

import math
import os
import signal
import time
from pathlib import Path

import pytest

from search.follower import die_with_parent, follow_plan, tail_plan
from search.index import write_lock
from search.services import _lock_fds_close
from tests.procs import process_alive, wait_gone


@pytest.mark.parametrize(
    ("waiting", "procs", "expected"),
    [
        (1, 2, (1, 1)),
        (1_999, 2, (1, 1_999)),  # too few for a second worker
        (2_000, 2, (2, 1_000)),
        (9_000, 2, (2, 4_500)),  # was: one process, one 9,000-cable segment
        (20_000, 2, (2, 10_000)),
        (25_000, 2, (2, 6_250)),  # was: 2 x 10,000, then 5,000 on one core
        (25_000, 1, (1, 10_000)),  # while ingest runs: whole segments, one process
        (40_001, 2, (2, 6_667)),
    ],
)
def test_tail_plan(waiting, procs, expected):
    assert tail_plan(waiting, segment=10_000, procs=procs) == expected


@pytest.mark.parametrize("waiting", [2_000, 9_999, 10_001, 33_333, 109_000])
def test_tail_plan_rounds_are_full_and_segments_bounded(waiting):
    """No segment exceeds the limit, no more rounds than whole segments would need,
    and the last round still keeps every worker busy."""
    procs, size = tail_plan(waiting, segment=10_000, procs=2)
    assert size <= 10_000
    rounds = math.ceil(waiting / (procs * size))
    assert rounds == math.ceil(waiting / (procs * 10_000))
    last_round = waiting - (rounds - 1) * procs * size
    assert (procs - 1) * size < last_round <= procs * size


@pytest.mark.parametrize(
    ("waiting", "done", "expected"),
    [
        (9_999, False, (1, 10_000)),  # while ingest runs: whole segments only
        (10_000, False, (1, 10_000)),
        (19_999, False, (1, 10_000)),
        (20_000, False, (2, 10_000)),  # two whole segments waiting: two writers
        (55_000, False, (2, 10_000)),
        (25_000, True, (2, 6_250)),  # ingest done: the tail plan
        (1_999, True, (1, 1_999)),
    ],
)
def test_follow_plan(waiting, done, expected):
    assert follow_plan(waiting, segment=10_000, procs=2, done=done) == expected


def test_follow_plan_with_one_process_never_forks():
    assert follow_plan(90_000, segment=10_000, procs=1, done=False) == (1, 10_000)
    assert follow_plan(90_000, segment=10_000, procs=1, done=True) == (1, 10_000)


# -- processes that must not outlive their parent -------------------------------------


def _fork(child) -> int:
    """Fork; the child runs ``child()`` and exits with its return value (0 if None),
    never returning into pytest."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            code = child() or 0
        finally:
            os._exit(code)
    return pid


def _exit_code(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_die_with_parent_exits_when_the_parent_is_already_gone():
    """The race: the parent died between the fork and the prctl. The child sees
    another parent than the one it was forked from, and exits at once."""
    me = os.getpid()
    assert _exit_code(_fork(lambda: die_with_parent(me))) == 0  # its parent: stays
    assert _exit_code(_fork(lambda: die_with_parent(me + 1_000_000))) == 1  # orphan: exits


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_child_dies_with_its_parent():
    """A parent forks a child that calls ``die_with_parent`` and is SIGKILLed: the
    child is gone within a second."""
    read, write = os.pipe()

    def parent():
        os.close(read)

        def child():
            die_with_parent(os.getppid())
            os.write(write, str(os.getpid()).encode())  # armed
            time.sleep(30)

        _fork(child)
        time.sleep(30)

    middle = _fork(parent)
    os.close(write)
    child_pid = int(os.read(read, 64))
    os.close(read)
    assert process_alive(child_pid)
    os.kill(middle, signal.SIGKILL)
    os.waitpid(middle, 0)
    assert not wait_gone({child_pid}, within=1.0)


def test_a_worker_lets_go_of_the_write_lock(settings, tmp_path):
    """``flock`` lives as long as any copy of its file descriptor: a worker forked
    while the lock is held, outliving its parent, would keep every later writer out
    unless it closes its copy (as the segment workers do)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    read, write = os.pipe()

    def holder():
        os.close(read)
        with write_lock():

            def worker():
                _lock_fds_close()
                os.write(write, str(os.getpid()).encode())  # its copy is closed
                time.sleep(30)

            _fork(worker)
            os._exit(0)  # die holding the lock: no unlock, as under kill -9

    holder_pid = _fork(holder)
    os.close(write)
    worker_pid = int(os.read(read, 64))
    os.close(read)
    try:
        assert _exit_code(holder_pid) == 0
        assert process_alive(worker_pid)
        with write_lock(timeout=2):  # raises IndexBusy while the worker holds a copy
            pass
    finally:
        os.kill(worker_pid, signal.SIGKILL)
