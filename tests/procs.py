"""Processes as ``/proc`` shows them (Linux), for tests of what outlives what."""

from __future__ import annotations

import os
import time


def _stat(pid: int) -> tuple[str, int] | None:
    """``(state, parent pid)`` of a process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read().decode("ascii", "replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    # "pid (command) state ppid ...": the command may hold spaces and parentheses.
    fields = data[data.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def process_alive(pid: int) -> bool:
    """Running or sleeping; a zombie (dead, not yet reaped) counts as gone."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in {"Z", "X", "x"}


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid``: children, grandchildren..."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        stat = _stat(int(name))
        if stat is not None and stat[0] not in {"Z", "X", "x"}:
            children.setdefault(stat[1], []).append(int(name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def depth_below(pid: int) -> dict[int, int]:
    """``{descendant: generation}``: 1 for children, 2 for grandchildren..."""
    result: dict[int, int] = {}
    level = {pid}
    generation = 0
    everyone = descendants(pid)
    parents = {p: (_stat(p) or ("", 0))[1] for p in everyone}
    while level:
        generation += 1
        level = {p for p, parent in parents.items() if parent in level}
        result.update(dict.fromkeys(level, generation))
    return result


def wait_gone(pids: set[int], *, within: float) -> set[int]:
    """Wait up to ``within`` seconds for ``pids`` to end; the ones still alive."""
    deadline = time.monotonic() + within
    alive = {p for p in pids if process_alive(p)}
    while alive and time.monotonic() < deadline:
        time.sleep(0.01)
        alive = {p for p in alive if process_alive(p)}
    return alive
