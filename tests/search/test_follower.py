"""The background indexer's plan for the cables left when ingest is done."""

from __future__ import annotations

import math

import pytest

from search.follower import tail_plan


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
