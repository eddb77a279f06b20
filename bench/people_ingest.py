"""People maintenance during ingest, in CPU seconds per batch (issue 11).

    .venv/bin/python bench/people_ingest.py --corpus-dir DIR [--runs 2]
        [--batch-size 1000] [--database-url postgres://...] [--out results.json]

DIR holds a ``cables.csv`` (``bench/generate --count 20000 --format csv --out DIR``).
Each run ingests it twice, each time into a fresh throwaway PostgreSQL database
(created and dropped here; ``manage.py migrate`` first), as
``manage.py ingest DIR/cables.csv --batch-size N --no-index`` does (the same command,
called in a child process): once as it is, and once with ``people_update`` replaced
by a no-op (the baseline). The machine may be shared, so the figures are CPU seconds,
not wall time: the ingest command's user+sys CPU in its process (as ``/usr/bin/time``
reports, less the interpreter's start) plus its PostgreSQL backend's (from
``/proc/<pid>/stat``: the server runs on this machine).
With people on, each ``people_update`` call is timed the same way (client and
backend CPU, and wall), so the report shows the people step of the first and the
last batches: if it grew with the archive, the last would cost more.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
EDGE = 5  # batches at each end of the load that the report compares


def backend_cpu(pid: int) -> float:
    """User+sys CPU seconds of a process of this machine (the PostgreSQL backend)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def child(args: argparse.Namespace) -> None:
    """In the ingest process: run the command, timing every people step."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    import cables.services.ingest as ingest

    def pid() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    steps = []
    real = ingest.people_update

    def timed(*, cable_ids):
        cable_ids = list(cable_ids)
        backend = pid()
        started = (time.process_time(), backend_cpu(backend), time.perf_counter())
        real(cable_ids=cable_ids)
        ended = (time.process_time(), backend_cpu(backend), time.perf_counter())
        client, server, wall = (b - a for a, b in zip(started, ended, strict=True))
        steps.append({"cables": len(cable_ids), "client": client, "backend": server, "wall": wall})

    ingest.people_update = timed if args.mode == "with" else (lambda *, cable_ids: None)
    backend = pid()
    backend_start = backend_cpu(backend)
    out = StringIO()
    client_start = time.process_time()
    call_command(
        "ingest",
        str(Path(args.corpus_dir) / "cables.csv"),
        "--batch-size",
        str(args.batch_size),
        "--no-index",
        stdout=out,
        stderr=out,
    )
    client_total = time.process_time() - client_start
    backend_total = backend_cpu(backend) - backend_start
    if args.mode == "with":  # the incremental people against a rebuild from scratch
        from people.services import people_rebuild

        kept = people_digest()
        started = (time.process_time(), backend_cpu(pid()))
        people_rebuild()
        rebuild_cpu = time.process_time() - started[0] + backend_cpu(pid()) - started[1]
        rebuilt = people_digest()
    result = {
        "backend_cpu": backend_total,
        "client_cpu": client_total,
        "same_backend": pid() == backend,
        "steps": steps,
        "summary": out.getvalue().strip().splitlines()[-1:],
    }
    if args.mode == "with":
        result.update(rebuild_cpu=rebuild_cpu, rebuild_equal=kept == rebuilt, digest=kept)
    Path(args.child_out).write_text(json.dumps(result))


def people_digest() -> str:
    """A digest of every person, form, group and mention, without primary keys."""
    import hashlib

    from people.models import MentionGroup, Person, PersonForm, PersonRole

    digest = hashlib.sha256()
    for query in (
        Person.objects.values_list(
            "slug",
            "name",
            "surname",
            "cable_count",
            "signed_count",
            "classified_count",
            "tagged_count",
            "first_year",
            "last_year",
        ),
        PersonForm.objects.values_list("person__slug", "display", "year", "mentions"),
        MentionGroup.objects.values_list(
            "pair", "surname", "post_id", "year", "role", "written", "mentions", "person__slug"
        ),
        PersonRole.objects.values_list(
            "cable_id", "role", "written", "person__slug", "group__pair", "group__year"
        ),
    ):
        for row in sorted(query.order_by().iterator(chunk_size=10_000)):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def fresh_database(url: str):
    import psycopg

    name = f"cable_people_{uuid.uuid4().hex[:8]}"
    admin = re.sub(r"/[^/]*$", "/postgres", url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return re.sub(r"/[^/]*$", f"/{name}", url), drop


def run_once(args: argparse.Namespace, mode: str, tmp: Path) -> dict:
    url, drop = fresh_database(args.database_url)
    env = {**os.environ, "DATABASE_URL": url, "CABLES_VAR_DIR": str(tmp)}
    env.pop("CACHE_URL", None)
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    child_out = tmp / f"child-{uuid.uuid4().hex[:8]}.json"
    try:
        subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--mode",
                mode,
                "--corpus-dir",
                str(args.corpus_dir),
                "--batch-size",
                str(args.batch_size),
                "--child-out",
                str(child_out),
            ],
            env=env,
            check=True,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        drop()
    result = json.loads(child_out.read_text())
    result["process_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["wall"] = wall
    result["mode"] = mode
    return result


def cpu(step: dict) -> float:
    return step["client"] + step["backend"]


def report(runs: list[dict], args: argparse.Namespace) -> str:
    lines = [
        f"machine: {platform.node()} ({os.cpu_count()} cores), Python {platform.python_version()}",
        f"corpus: {args.corpus_dir}/cables.csv, --batch-size {args.batch_size}",
        "",
        "| run | people | ingest CPU s (client + backend) | wall s | people steps CPU s |",
        "|---|---|---|---|---|",
    ]
    for i, run in enumerate(runs):
        total = run["client_cpu"] + run["backend_cpu"]
        people = sum(cpu(s) for s in run["steps"]) if run["steps"] else 0.0
        label = "on" if run["mode"] == "with" else "off (no-op)"
        lines.append(
            f"| {i // 2 + 1} | {label} | {total:.1f} ({run['client_cpu']:.1f} + "
            f"{run['backend_cpu']:.1f}) | {run['wall']:.0f} | {people:.1f} |"
        )
    lines.append("")
    for run in runs:
        if "rebuild_equal" in run:
            same = "equal to" if run["rebuild_equal"] else "DIFFERENT FROM"
            lines.append(
                f"people after the load {same} people_rebuild from scratch "
                f"(rebuild: {run['rebuild_cpu']:.1f} CPU s)"
            )
    for run in runs:
        steps = run["steps"]
        if len(steps) < 2 * EDGE:
            continue
        first = [cpu(s) * 1000 for s in steps[:EDGE]]
        last = [cpu(s) * 1000 for s in steps[-EDGE:]]
        lines.append(
            f"people step per batch of {args.batch_size}: first {EDGE} batches median "
            f"{statistics.median(first):.0f} ms CPU, last {EDGE} median "
            f"{statistics.median(last):.0f} ms CPU ({len(steps)} batches; wall "
            f"{statistics.median(s['wall'] for s in steps[:EDGE]) * 1000:.0f} -> "
            f"{statistics.median(s['wall'] for s in steps[-EDGE:]) * 1000:.0f} ms)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus-dir", required=True, help="A directory with cables.csv")
    parser.add_argument("--runs", type=int, default=2, help="Pairs of runs (on, off)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="A PostgreSQL server (a throwaway database is created on it per run)",
    )
    parser.add_argument("--out", help="Write every figure as JSON here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=("with", "without"), help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")
    import tempfile

    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            for mode in ("with", "without"):
                runs.append(run_once(args, mode, Path(tmp)))
                print(f"{mode}: done", file=sys.stderr)
    if args.out:
        Path(args.out).write_text(json.dumps(runs, indent=1))
    print(report(runs, args))


if __name__ == "__main__":
    main()
