"""Parser throughput on one core: cables per second over the shared corpus.

    python bench/parser_speed.py [--corpus DIR] [--runs 5]

Reads every ``cablegate/txt/*.txt`` into memory first, loads the known-id list, then
parses them all ``--runs`` times and prints the median rate.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cables.parsing import KnownIds, parse_cable  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def measure(corpus: Path = DEFAULT_CORPUS, runs: int = 5) -> float:
    """Median cables/s over ``runs`` passes."""
    texts = [
        p.read_text(encoding="utf-8") for p in sorted((corpus / "cablegate" / "txt").glob("*.txt"))
    ]
    known = KnownIds.from_file(corpus / "cablegate-ids" / "cable2month.csv.gz")
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for text in texts:
            parse_cable(text, known_ids=known)
        rates.append(len(texts) / (time.perf_counter() - start))
    return statistics.median(rates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="the shared corpus directory (holds cablegate/)",
    )
    parser.add_argument("--runs", type=int, default=5, help="passes over the corpus")
    args = parser.parse_args(argv)
    rate = measure(args.corpus, args.runs)
    print(f"{rate:,.0f} cables/s (median of {args.runs} runs, one core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
