"""Ingest of the shared corpus into the database only (no index), timed.

    .venv/bin/python bench/ingest_db.py [--runs 3] [--database-url postgres://...]

Each run uses a fresh throwaway PostgreSQL database (created and dropped here) or a fresh
SQLite file, runs ``manage.py migrate`` and then times ``manage.py ingest --no-index`` on
the 5,811 shared cables with their metadata.csv. Prints the median and every run.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("CABLES_CORPUS_DIR", BASE_DIR.parent / "shared" / "corpus"))


def _fresh_database(url: str, tmp: Path):
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / f'{uuid.uuid4().hex}.sqlite3'}", lambda: None
    import psycopg

    name = f"cable_bench_{uuid.uuid4().hex[:8]}"
    admin = re.sub(r"/[^/]*$", "/postgres", url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return re.sub(r"/[^/]*$", f"/{name}", url), drop


def run_once(url: str, source: Path, tmp: Path) -> tuple[float, str]:
    db_url, drop = _fresh_database(url, tmp)
    env = {**os.environ, "DATABASE_URL": db_url, "CABLES_VAR_DIR": str(tmp)}
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    try:
        subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
        subprocess.run(
            [*manage, "load_cable_ids", str(CORPUS / "cablegate-ids" / "cable2month.csv.gz")],
            env=env,
            check=True,
            capture_output=True,
        )
        started = time.perf_counter()
        result = subprocess.run(
            [*manage, "ingest", str(source), "--no-index"], env=env, capture_output=True, text=True
        )
        elapsed = time.perf_counter() - started
        summary = next(
            (line for line in result.stdout.splitlines() if line.startswith("Ingested")), ""
        )
        return elapsed, summary
    finally:
        drop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--source", default=str(CORPUS / "cablegate" / "txt"))
    args = parser.parse_args()
    source = Path(args.source)
    if not source.exists():
        sys.exit(f"corpus not found: {source}")
    with tempfile.TemporaryDirectory() as tmp:
        times = []
        for i in range(args.runs):
            elapsed, summary = run_once(args.database_url, source, Path(tmp))
            times.append(elapsed)
            print(f"run {i + 1}: {elapsed:.1f} s  {summary}")
    count = sum(1 for _ in source.glob("*.txt"))
    median = statistics.median(times)
    backend = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(
        f"\ningest --no-index, {count:,} cables into {backend}: median {median:.1f} s "
        f"({count / median:,.0f} cables/s) over {args.runs} runs; "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()
