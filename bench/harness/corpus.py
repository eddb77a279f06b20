"""The corpus a run measures: generated here by ``bench/generate`` or reused.

Also the cheap reader of the ``cables.csv`` dump (8 columns, no header, backslash
escapes) that the parse benchmark and the raw-Whoosh baseline use: it is the csv
module and nothing of the application.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
GENERATE = BENCH / "generate"
DUMP = "cables.csv"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class CorpusMissing(RuntimeError):
    """The shared real corpus that ``bench/generate`` needs is not there."""


def generate(count: int, out: Path, python: str, corpus: Path | None = None) -> dict:
    """Run ``bench/generate --count N --format csv`` into ``out``; returns its timing."""
    cmd = [python, str(GENERATE), "--count", str(count), "--out", str(out), "--format", "csv"]
    cmd += ["--quiet"]
    if corpus is not None:
        cmd += ["--corpus", str(corpus)]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip()
        if "no real corpus" in message:
            raise CorpusMissing(message.splitlines()[-1])
        raise RuntimeError(f"bench/generate failed ({done.returncode}): {message[-2000:]}")
    return {"seconds": time.perf_counter() - started, "stdout": done.stdout.strip()}


def dump_rows(path: Path) -> Iterator[list[str]]:
    """The dump's 8-column rows: number, created, id, origin, classification, refs,
    header, body. Malformed rows are skipped."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle, escapechar="\\", doublequote=False, strict=False)
        for row in reader:
            if len(row) == 8:
                yield row


def dump_text(row: list[str]) -> str:
    """The cable text the application builds from a dump row (header, blank line, body)."""
    return f"{row[6].rstrip()}\n\n{row[7]}"


def count_rows(path: Path) -> int:
    return sum(1 for _ in dump_rows(path))


def id_months(path: Path) -> list[tuple[str, int]]:
    """``(reference_id, month)`` of every cable in the dump (created is m/d/Y H:M)."""
    pairs = []
    for row in dump_rows(path):
        month = row[1].split("/", 1)[0]
        if month.isdigit():
            pairs.append((row[2], int(month)))
    return pairs


def id_list_of(corpus_dir: Path) -> Path | None:
    """A known-id list the generator wrote beside the corpus, if it writes one."""
    for name in ("cable2month.csv.gz", "cable2month.csv", "cable-ids.csv.gz", "cable-ids.csv"):
        if (corpus_dir / name).is_file():
            return corpus_dir / name
    return None
