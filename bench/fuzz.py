"""Parser fuzzing at scale (issue 13): mutated real cables, crashes and slow inputs.

    python bench/fuzz.py [--count 100000] [--seed 1] [--workers 2] [--corpus DIR]
                         [--max-size 200000] [--top 15] [--json FILE]

Input ``i`` of a run is ``make_case(seeds, seed, i)`` of ``tests/parsing/mutate.py`` (the
mutations the CI fuzzer uses): one to three mutations of a real cable from
``<corpus>/cablegate/txt`` (the hand-written fixtures when the corpus is absent). Each
is parsed with ``parse_cable`` and timed in CPU time (``time.process_time``); the rule
is the test suite's: nothing but ``CableParseError`` may be raised, and no input may take
more than 20 ms per KB (20 ms at least), an input over that being timed once more
before it counts. A run is reproducible whatever ``--workers``.

The report: inputs, crashes (with the mutation and the error), inputs over budget, the
slowest inputs (ms, size, ms/KB, mutation), the worst ms/KB per mutation kind, and the
issue's recipient-line case at 40,000 and 1,000,000 blanks.
"""

from __future__ import annotations

import argparse
import heapq
import json
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cables.parsing import CableParseError, parse_cable  # noqa: E402
from tests.parsing.mutate import (  # noqa: E402
    budget,
    check,
    corpus_seeds,
    fixture_seeds,
    make_case,
    size_of,
)

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
_SEEDS: list[str] = []


def _load(corpus: str) -> None:
    global _SEEDS
    txt = Path(corpus) / "cablegate" / "txt"
    _SEEDS = corpus_seeds(txt) if txt.is_dir() else fixture_seeds()


def _run_chunk(args: tuple[int, int, int, int, int]) -> dict:
    """Cases ``start`` to ``stop`` (excluded): counts, failures, the slowest."""
    seed, start, stop, max_size, top = args
    slowest: list[tuple[float, int, str, int]] = []  # (ms, index, kind, size): a min-heap
    worst_rate: list[tuple[float, int, str, int, float]] = []  # (ms/KB, index, ...)
    kinds: dict[str, list[float]] = {}  # kind -> [count, max ms/KB, total ms]
    crashes, over, sizes = [], [], 0
    for index in range(start, stop):
        case = make_case(_SEEDS, seed, index, max_size)
        outcome = check(case.text)
        size = size_of(case.text)
        sizes += size
        ms = outcome.seconds * 1000
        rate = ms / max(size / 1024, 1e-9) if size else 0.0
        kind = case.kind.split("[")[0].split("+")[0]
        stats = kinds.setdefault(kind, [0, 0.0, 0.0])
        stats[0] += 1
        stats[1] = max(stats[1], rate if size >= 1024 else 0.0)
        stats[2] += ms
        row = {"index": index, "kind": case.kind, "size": size, "ms": round(ms, 2)}
        if outcome.error:
            crashes.append({**row, "error": outcome.error})
        elif outcome.over_budget:
            over.append({**row, "budget_ms": round(budget(case.text) * 1000, 1)})
        item = (ms, index, case.kind, size)
        if len(slowest) < top:
            heapq.heappush(slowest, item)
        else:
            heapq.heappushpop(slowest, item)
        if size >= 1024:
            rated = (rate, index, case.kind, size, ms)
            if len(worst_rate) < top:
                heapq.heappush(worst_rate, rated)
            else:
                heapq.heappushpop(worst_rate, rated)
    return {
        "count": stop - start,
        "chars": sizes,
        "crashes": crashes,
        "over_budget": over,
        "slowest": slowest,
        "worst_rate": worst_rate,
        "kinds": kinds,
    }


def _merge(parts: list[dict], top: int) -> dict:
    kinds: dict[str, list[float]] = {}
    for part in parts:
        for kind, (count, worst, total) in part["kinds"].items():
            stats = kinds.setdefault(kind, [0, 0.0, 0.0])
            stats[0] += count
            stats[1] = max(stats[1], worst)
            stats[2] += total
    slowest = heapq.nlargest(top, (s for p in parts for s in p["slowest"]))
    worst = heapq.nlargest(top, (w for p in parts for w in p["worst_rate"]))
    return {
        "inputs": sum(p["count"] for p in parts),
        "chars": sum(p["chars"] for p in parts),
        "crashes": [c for p in parts for c in p["crashes"]],
        "over_budget": [o for p in parts for o in p["over_budget"]],
        "slowest": [
            {"ms": round(ms, 1), "index": i, "kind": k, "size": n, "ms_per_kb": _rate(ms, n)}
            for ms, i, k, n in slowest
        ],
        "worst_ms_per_kb": [
            {"ms_per_kb": round(r, 2), "ms": round(ms, 1), "index": i, "kind": k, "size": n}
            for r, i, k, n, ms in worst
        ],
        "kinds": {
            kind: {"inputs": int(c), "max_ms_per_kb": round(w, 2), "mean_ms": round(t / c, 2)}
            for kind, (c, w, t) in sorted(kinds.items())
        },
    }


def _rate(ms: float, size: int) -> float | None:
    return round(ms / (size / 1024), 2) if size else None


def reported_case() -> list[dict]:
    """The issue's recipient line: CPU and wall time of one parse at 40,000 and 1,000,000
    blanks (42 s at 40,000 before the fix)."""
    rows = []
    for n in (40_000, 1_000_000):
        text = (
            "FM AMEMBASSY OTTAWA\nTO SECSTATE WASHDC"
            + " " * n
            + "X\n\nCONFIDENTIAL OTTAWA 000492\n\nSUBJECT: TEST\n"
        )
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            cable = parse_cable(text)
            result = f"{cable.station} {cable.serial}, subject {cable.subject!r}"
        except CableParseError as exc:
            result = f"CableParseError: {exc}"
        rows.append(
            {
                "blanks": n,
                "cpu_ms": round((time.process_time() - cpu) * 1000, 1),
                "wall_ms": round((time.perf_counter() - wall) * 1000, 1),
                "result": result,
            }
        )
    return rows


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def run(args: argparse.Namespace) -> dict:
    chunk = max(50, min(1000, args.count // (args.workers * 20) or 1))
    jobs = [
        (args.seed, start, min(start + chunk, args.count), args.max_size, args.top)
        for start in range(0, args.count, chunk)
    ]
    started = time.perf_counter()
    parts = []
    if args.workers > 1:
        context = multiprocessing.get_context("fork")
        with context.Pool(args.workers, initializer=_load, initargs=(str(args.corpus),)) as pool:
            for part in pool.imap_unordered(_run_chunk, jobs):
                parts.append(part)
                _progress(parts, args.count, started)
    else:
        _load(str(args.corpus))
        for job in jobs:
            parts.append(_run_chunk(job))
            _progress(parts, args.count, started)
    report = _merge(parts, args.top)
    report["seed"] = args.seed
    report["workers"] = args.workers
    report["max_size"] = args.max_size
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["seeds"] = "corpus" if (args.corpus / "cablegate" / "txt").is_dir() else "fixtures"
    report["reported_case"] = reported_case()
    report["machine"] = machine()
    return report


def _progress(parts: list[dict], total: int, started: float) -> None:
    done = sum(p["count"] for p in parts)
    if sys.stderr.isatty() or done == total or len(parts) % 10 == 0:
        crashes = sum(len(p["crashes"]) for p in parts)
        over = sum(len(p["over_budget"]) for p in parts)
        print(
            f"\r{done:,}/{total:,} inputs, {crashes} crashes, {over} over budget, "
            f"{time.perf_counter() - started:,.0f} s",
            end="\n" if done == total else "",
            file=sys.stderr,
            flush=True,
        )


def print_report(report: dict) -> None:
    print(
        f"{report['inputs']:,} inputs ({report['chars'] / 1e6:,.1f} M characters, seeds: "
        f"{report['seeds']}, seed {report['seed']}, {report['workers']} workers, "
        f"{report['seconds']:,} s)"
    )
    print(f"crashes: {len(report['crashes'])}")
    for row in report["crashes"][:20]:
        print(f"  case {row['index']} ({row['kind']}, {row['size']:,} chars): {row['error']}")
    print(f"over budget (20 ms/KB, 20 ms at least; timed twice): {len(report['over_budget'])}")
    for row in report["over_budget"][:20]:
        print(f"  case {row['index']} ({row['kind']}, {row['size']:,} chars): {row['ms']} ms")
    print("slowest inputs:")
    print("  | ms | size (chars) | ms/KB | mutation |")
    for row in report["slowest"]:
        print(f"  | {row['ms']} | {row['size']:,} | {row['ms_per_kb']} | {row['kind']} |")
    print("highest ms/KB (inputs of 1 KB or more):")
    for row in report["worst_ms_per_kb"]:
        print(f"  | {row['ms_per_kb']} | {row['ms']} ms | {row['size']:,} | {row['kind']} |")
    print("per mutation kind: inputs, max ms/KB, mean ms")
    for kind, stats in report["kinds"].items():
        print(f"  {kind}: {stats['inputs']:,}, {stats['max_ms_per_kb']}, {stats['mean_ms']}")
    print("the issue's recipient line:")
    for row in report["reported_case"]:
        print(
            f"  {row['blanks']:,} blanks: {row['cpu_ms']} ms CPU, {row['wall_ms']} ms wall"
            f" ({row['result']})"
        )
    print(f"machine: {report['machine']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="inputs to parse")
    parser.add_argument("--seed", type=int, default=1, help="the run's seed")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="the shared corpus directory (its cablegate/txt are the seeds)",
    )
    parser.add_argument(
        "--max-size", type=int, default=200_000, help="characters one mutation adds, at most"
    )
    parser.add_argument("--top", type=int, default=15, help="slowest inputs listed")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    report = run(args)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if report["crashes"] or report["over_budget"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
