"""Ratio timing for the scaling tests: CPU time (``time.process_time``), best of three,
compared within one run (never against a wall-clock threshold)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from itertools import pairwise

SIZES = (1_000, 10_000, 100_000)  # 1 KB, 10 KB, 100 KB of the same pathological line
MAX_RATIO = 20  # ten times the input: twice the linear growth allowed for noise, not 100x


def best_time(fn: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def growth(
    run: Callable[[int], object], sizes: Sequence[int] = SIZES, max_ratio: float = MAX_RATIO
) -> list[tuple[int, float]]:
    """``[(size, seconds), ...]`` of ``run(size)``, stopping at the first step whose time
    grew more than ``max_ratio`` times (so a quadratic reader fails at 10 KB in seconds,
    not at 100 KB in minutes). The caller asserts with :func:`linear`."""
    times: list[tuple[int, float]] = []
    for size in sizes:
        seconds = best_time(lambda size=size: run(size))
        times.append((size, seconds))
        if len(times) > 1 and not linear(times[-2:], max_ratio):
            break
    return times


def linear(times: Sequence[tuple[int, float]], max_ratio: float = MAX_RATIO) -> bool:
    """Each step grows the time at most ``max_ratio`` times; a step under 2 ms counts as
    2 ms (below that the clock and the interpreter's noise are the measure)."""
    floor = 0.002
    return all(max(t1, floor) <= max_ratio * max(t0, floor) for (_, t0), (_, t1) in pairwise(times))
