"""Parser throughput on one core (the logic of ``bench/parser_speed.py``).

A sample of the corpus's texts is read into memory first, with the corpus's own ids as
the known-id list (as ingest has them after ``load_cable_ids``); then every text is
parsed ``runs`` times and the median rate is reported.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

from . import corpus
from .stats import median


def measure(dump: Path, *, sample: int = 20_000, runs: int = 3) -> dict:
    from cables.parsing import KnownIds, parse_cable

    texts = [corpus.dump_text(row) for row in itertools.islice(corpus.dump_rows(dump), sample)]
    known = KnownIds.from_pairs(corpus.id_months(dump))
    rates, failures = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        for text in texts:
            try:
                parse_cable(text, known_ids=known)
            except Exception:
                failures += 1
        rates.append(len(texts) / (time.perf_counter() - started))
    return {
        "texts": len(texts),
        "mean_kb": sum(map(len, texts)) / max(1, len(texts)) / 1024,
        "runs": runs,
        "rates": rates,
        "cables_per_s": median(rates),
        "failures_per_run": failures // max(1, runs),
    }
