"""``bench/run``: the whole benchmark of issue 5 in one command.

    bench/run [--count 251287] [--corpus-dir DIR] [--runs 3] [--skip-http] [--skip-peer]
              [--skip-tantivy] [--skip-raw] [--keep] [--smoke] [--out bench/out/run-<stamp>]

Steps, in order, all on this machine and in this one run: corpus (generate or reuse),
parse throughput, bulk load into a throwaway PostgreSQL database (per step, with peak
RSS), the raw-Whoosh baseline, sizes on disk, our search latency (server side), the
PostgreSQL full-text peer (build and the same query mix), the tantivy peer (the same
documents indexed by a compiled engine, the same mix), the cable and search pages
over HTTP under gunicorn, then the report (``<out>/RESULTS.md`` and
``<out>/results.json``). A section that fails is reported as failed; the rest runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import psycopg

from . import bulkload, corpus, http, machine, parse, pg, procs, report
from .mix import http_search_urls, query_mix

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
CABLEGATE_SIZE = 251_287
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/postgres"
CABLE_PAGES = 2000  # distinct cable ids the cable-page load test spreads over
BROWSE_PAGES = 200  # at most this many tags, posts, months for their load tests


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench/run",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--count", type=int, default=None, help=f"cables to generate ({CABLEGATE_SIZE})")
    p.add_argument(
        "--corpus-dir",
        type=Path,
        help="reuse the corpus here (its cables.csv); generated into it when absent",
    )
    p.add_argument("--runs", type=int, default=None, help="passes of short measurements (3)")
    p.add_argument("--out", type=Path, help="output directory (bench/out/run-<stamp>)")
    p.add_argument("--skip-http", action="store_true", help="no gunicorn/wrk section")
    p.add_argument("--skip-peer", action="store_true", help="no PostgreSQL full-text peer")
    p.add_argument(
        "--skip-tantivy",
        "--no-tantivy",
        action="store_true",
        help="no tantivy (compiled-engine) peer",
    )
    p.add_argument(
        "--tantivy-threads",
        type=int,
        default=None,
        help="tantivy indexing threads (as --raw-procs)",
    )
    p.add_argument("--skip-raw", action="store_true", help="no raw-Whoosh baseline")
    p.add_argument("--keep", action="store_true", help="keep the throwaway database")
    p.add_argument(
        "--smoke",
        action="store_true",
        help="CI scale: 1,500 cables, 2 runs, 5 searches per query, 3 s of wrk per page, "
        "300 cable pages warm, 100 cold",
    )
    p.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server to create the throwaway database on "
        "($DATABASE_URL when it is PostgreSQL, else " + DEFAULT_DB + ")",
    )
    p.add_argument(
        "--reuse-database",
        metavar="NAME",
        help="measure an archive already loaded in database NAME (with --reuse-index): "
        "no bulk load; the raw-Whoosh baseline still runs on --corpus-dir",
    )
    p.add_argument("--reuse-index", type=Path, help="the search index directory of that archive")
    p.add_argument("--real-corpus", type=Path, help="bench/generate --corpus (shared corpus)")
    p.add_argument("--parse-sample", type=int, default=None, help="texts parsed (20000)")
    p.add_argument("--search-reps", type=int, default=None, help="timed searches per query (30)")
    p.add_argument(
        "--search-budget", type=float, default=60.0, help="seconds per query and side, at most"
    )
    p.add_argument("--http-duration", type=int, default=None, help="seconds of wrk per page (30)")
    p.add_argument("--http-connections", type=int, default=8, help="wrk connections")
    p.add_argument(
        "--http-cache-url",
        default=os.environ.get("CACHE_URL") or "redis://127.0.0.1:6379/3",
        help="the page cache gunicorn uses ($CACHE_URL, else Redis database 3 on loopback)",
    )
    p.add_argument(
        "--http-cables",
        type=int,
        default=None,
        help=f"distinct cable ids the warm cable-page load test spreads over ({CABLE_PAGES})",
    )
    p.add_argument(
        "--http-cold",
        type=int,
        default=None,
        help="cable pages requested once each after a generation bump (500)",
    )
    p.add_argument(
        "--skip-cache-off",
        action="store_true",
        help="no second HTTP pass with the cache off (the baseline)",
    )
    p.add_argument(
        "--raw-procs",
        type=int,
        default=bulkload.INDEX_PROCS,
        help="raw-Whoosh writer processes (as rebuild_index)",
    )
    args = p.parse_args(argv)
    smoke = {
        "count": 1500,
        "runs": 2,
        "parse_sample": 1500,
        "search_reps": 5,
        "http_duration": 3,
        "http_cables": 300,
        "http_cold": 100,
    }
    full = {
        "count": CABLEGATE_SIZE,
        "runs": 3,
        "parse_sample": 20_000,
        "search_reps": 30,
        "http_duration": 30,
        "http_cables": CABLE_PAGES,
        "http_cold": 500,
    }
    for name, value in (smoke if args.smoke else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.tantivy_threads is None:
        args.tantivy_threads = args.raw_procs
    if args.database_url is None:
        env_url = os.environ.get("DATABASE_URL", "")
        args.database_url = env_url if pg.is_postgres(env_url) else DEFAULT_DB
    if not pg.is_postgres(args.database_url):
        p.error("--database-url must be a PostgreSQL URL")
    if bool(args.reuse_database) != bool(args.reuse_index):
        p.error("--reuse-database and --reuse-index go together")
    return args


class Run:
    """One benchmark run: its settings, output directory and collected results."""

    def __init__(self, args: argparse.Namespace, argv: list[str]):
        self.args = args
        self.stamp = datetime.now().strftime("%Y%m%d%H%M%S")
        self.out = (args.out or BENCH / "out" / f"run-{self.stamp}").resolve()
        self.out.mkdir(parents=True, exist_ok=True)
        self.python = sys.executable
        self.db_name = f"cable_bench_{self.stamp}"
        self.db_url = ""
        self.env: dict[str, str] = {}
        self.results: dict = {
            "meta": {
                "command": "bench/run " + " ".join(shlex.quote(a) for a in argv),
                "started": datetime.now().isoformat(timespec="seconds"),
                "settings": {k: str(v) for k, v in vars(args).items()},
            },
            "errors": {},
        }

    def say(self, message: str) -> None:
        print(f"[bench/run {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def section(self, name: str, func) -> None:
        """Run one section; a failure is recorded and the run goes on."""
        self.say(f"{name} ...")
        started = time.perf_counter()
        try:
            func()
        except Exception as exc:
            self.results["errors"][name] = f"{type(exc).__name__}: {exc}"
            (self.out / f"error-{name}.txt").write_text(traceback.format_exc())
            self.say(f"{name} FAILED: {exc}")
        else:
            self.say(f"{name} done in {time.perf_counter() - started:.1f} s")

    def _worker(self, label: str, module: str, args: list[str], **env: str) -> dict:
        """Run ``python -m module args`` in the run's environment (plus ``env``); its
        last stdout line is a JSON result, completed with the process's time and peak
        RSS."""
        step = procs.run(
            label,
            [self.python, "-m", module, *args],
            env={**self.env, "PYTHONPATH": f"{BENCH}:{ROOT}", **env},
            cwd=ROOT,
        )
        if step.returncode != 0:
            raise RuntimeError(step.stderr[-1500:])
        result = json.loads(step.stdout.strip().splitlines()[-1])
        result.update(process_seconds=step.seconds, peak_rss_mb=step.peak_rss_mb)
        return result

    # -- sections ------------------------------------------------------------------

    def do_machine(self) -> None:
        meta = self.results["meta"]
        meta["machine"] = machine.describe(self.python)
        meta["postgres"] = pg.server_version(self.args.database_url)
        meta["loadavg_before"] = machine.loadavg()

    def do_corpus(self) -> None:
        args = self.args
        target = (args.corpus_dir or self.out / "corpus").resolve()
        info = {"dir": str(target), "generated": False}
        if not (target / corpus.DUMP).is_file():
            info.update(corpus.generate(args.count, target, self.python, args.real_corpus))
            info["generated"] = True
        self.corpus_dir = target
        self.dump = target / corpus.DUMP
        info["csv_bytes"] = self.dump.stat().st_size
        self.results["corpus"] = info

    def do_parse(self) -> None:
        result = parse.measure(self.dump, sample=self.args.parse_sample, runs=self.args.runs)
        self.results["parse"] = result

    def do_bulk_load(self) -> None:
        self.db_url = pg.create(self.args.database_url, self.db_name)
        self.index_dir = self.out / "index"
        var_dir = self.out / "var"
        var_dir.mkdir(exist_ok=True)
        self.env = bulkload.environment(self.db_url, self.index_dir, var_dir)
        steps = bulkload.run(self.corpus_dir, self.env, self.python)
        for step in steps:
            (self.out / f"step-{step.name.split()[0]}.log").write_text(
                step.stdout + "\n--- stderr ---\n" + step.stderr
            )
        with psycopg.connect(self.db_url) as conn:
            cables = conn.execute("SELECT count(*) FROM cables_cable").fetchone()[0]
        ingest = [s for s in steps if s.name not in bulkload.INDEX_STEPS]
        index = [s for s in steps if s.name in bulkload.INDEX_STEPS]
        self.results["bulk_load"] = {
            "database": self.db_name,
            "steps": [s.as_dict() for s in steps],
            "cables": cables,
            "total_seconds": sum(s.seconds for s in steps),
            "ingest_seconds": sum(s.seconds for s in ingest),
            "index_seconds": sum(s.seconds for s in index),
        }
        failed = [s for s in steps if s.returncode != 0]
        expected = len(bulkload.bulk_load_steps(self.corpus_dir))
        if len(steps) < expected or any(s.name in bulkload.INDEX_STEPS for s in failed):
            last = failed[-1] if failed else steps[-1]
            raise RuntimeError(f"bulk load stopped at {last.name}: {last.stderr[-500:]}")

    def do_reuse(self) -> None:
        """Point the run at an archive loaded earlier (its own bulk load was timed when
        it was made); nothing is created, nothing is dropped."""
        self.db_url = pg.with_database(self.args.database_url, self.args.reuse_database)
        self.index_dir = self.args.reuse_index.resolve()
        var_dir = self.out / "var"
        var_dir.mkdir(exist_ok=True)
        self.env = bulkload.environment(self.db_url, self.index_dir, var_dir)
        # An archive loaded by older code gets this code's tables (a no-op when current).
        subprocess.run(
            [self.python, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )
        with psycopg.connect(self.db_url) as conn:
            cables = conn.execute("SELECT count(*) FROM cables_cable").fetchone()[0]
        self.results["bulk_load"] = {
            "database": self.args.reuse_database,
            "reused": True,
            "cables": cables,
            "steps": [],
        }

    def do_raw_whoosh(self) -> None:
        raw_dir = self.out / "raw-whoosh-index"
        shutil.rmtree(raw_dir, ignore_errors=True)
        self.results["raw_whoosh"] = self._worker(
            "raw whoosh",
            "harness.rawwhoosh",
            [str(self.dump), str(raw_dir), "--procs", str(self.args.raw_procs)],
        )
        shutil.rmtree(raw_dir, ignore_errors=True)

    def do_sizes(self) -> None:
        current = (self.index_dir / "current").resolve()
        self.results["sizes"] = {
            "database_bytes": pg.database_bytes(self.db_url),
            "tables": pg.relation_bytes(
                self.db_url,
                ["cables_cable", "cables_paragraph", "cables_reference", "cables_cabletag"],
            ),
            "index_bytes": _du(current) if current.is_dir() else None,
            "index_dir_bytes": _du(self.index_dir),
        }

    def do_mix(self) -> None:
        with psycopg.connect(self.db_url) as conn:
            row = conn.execute(
                "SELECT p.code FROM cables_cable c JOIN cables_post p ON p.id = c.origin_id "
                "GROUP BY p.code ORDER BY count(*) DESC, p.code LIMIT 1"
            ).fetchone()
            # The warm load test's cable ids, then the two cold passes' (other cables,
            # and different ones for each pass: a pass must not find its rows already
            # in PostgreSQL's buffers or the page cache because the other read them).
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT reference_id FROM cables_cable ORDER BY md5(reference_id) LIMIT %s",
                    (self.args.http_cables + 2 * self.args.http_cold,),
                )
            ]
            self.browse = browse_paths(conn)
        self.cable_ids = ids[: self.args.http_cables]
        # Fewer cables than both lists: the cold pass takes the tail of the warm one
        # (after the bump every page is cold again anyway).
        self.cold_ids = ids[self.args.http_cables :] or ids[-self.args.http_cold :]
        self.top_post = row[0] if row else "BAGHDAD"
        self.mix = query_mix(self.top_post)
        (self.out / "mix.json").write_text(json.dumps(self.mix, indent=1))
        self.results["mix"] = self.mix

    def do_search(self) -> None:
        self.results["search"] = self._worker(
            "search worker",
            "harness.searchworker",
            [
                str(self.out / "mix.json"),
                "--reps",
                str(self.args.search_reps),
                "--budget",
                str(self.args.search_budget),
            ],
            # The engine, cold: no page or result cache (the HTTP section measures it).
            CACHE_URL="dummy://",
        )

    def do_peer(self) -> None:
        from pgpeer.build import build
        from pgpeer.measure import measure

        built = build(self.db_url)
        self.results["peer"] = {"build": built}
        self.results["peer"]["queries"] = measure(
            self.db_url, self.mix, reps=self.args.search_reps, budget=self.args.search_budget
        )
        self.results["sizes_peer"] = {"database_bytes_with_peer": pg.database_bytes(self.db_url)}

    def do_tantivy(self) -> None:
        index_dir = self.out / "tantivy-index"
        args = [str(index_dir), str(self.out / "mix.json")]
        args += ["--reps", str(self.args.search_reps), "--budget", str(self.args.search_budget)]
        args += ["--threads", str(self.args.tantivy_threads)]
        try:
            self.results["tantivy"] = self._worker("tantivy peer", "tantivypeer.worker", args)
        finally:
            shutil.rmtree(index_dir, ignore_errors=True)

    def do_http(self) -> None:
        if http.wrk_path() is None:
            self.results["http"] = {"skipped": http.WRK_MISSING}
            self.say(http.WRK_MISSING)
            return
        http.collectstatic(self.python, self.env)
        pages = {
            "cable page": [f"/cable/{rid}/" for rid in self.cable_ids],
            # What the cable page's script fetches: its "Similar cables" section.
            "similar cables page": [f"/cable/{rid}/similar/" for rid in self.cable_ids[:200]],
            "search page": http_search_urls(self.top_post),
            **self.browse,
        }
        cold = [f"/cable/{rid}/" for rid in self.cold_ids]
        cold_on, cold_off = cold[0::2], cold[1::2]
        # The product's configuration (the shared page cache on; each URL list visited
        # once before wrk, so wrk measures warm pages), then the baseline in the same
        # run: the same pages with no cache at all (Django's DummyCache). Each ends with
        # a reader's first views of other cables after a generation bump.
        on = {**self.env, "CACHE_URL": self.args.http_cache_url}
        off = {**self.env, "CACHE_URL": "dummy://"}
        common = {
            "duration": self.args.http_duration,
            "connections": self.args.http_connections,
            "warmup": min(3, self.args.http_duration),
        }
        self.results["http"] = http.measure(
            on, self.out, self.python, pages, warm_pass=True, cold=cold_on, **common
        )
        self.results["http"]["cache"] = on["CACHE_URL"]
        if not self.args.skip_cache_off:
            off_dir = self.out / "http-cache-off"
            off_dir.mkdir(exist_ok=True)
            self.results["http_cache_off"] = http.measure(
                off, off_dir, self.python, pages, cold=cold_off or cold_on, **common
            )

    def cleanup(self) -> None:
        if self.args.reuse_database:
            return  # not ours to drop
        if self.db_url and not self.args.keep:
            try:
                pg.drop(self.args.database_url, self.db_name)
                self.results["meta"]["database_dropped"] = True
            except Exception as exc:
                self.results["errors"]["cleanup"] = str(exc)
        if not self.args.keep:
            shutil.rmtree(self.out / "index", ignore_errors=True)
            shutil.rmtree(self.out / "var", ignore_errors=True)

    def execute(self) -> int:
        started = time.perf_counter()
        self.section("machine", self.do_machine)
        self.section("corpus", self.do_corpus)
        if "corpus" in self.results["errors"]:
            self.finish(started)
            return 2
        self.section("parse", self.do_parse)
        if self.args.reuse_database:
            self.section("bulk_load", self.do_reuse)
        else:
            self.section("bulk_load", self.do_bulk_load)
        if "bulk_load" not in self.results["errors"]:
            if not self.args.skip_raw:
                self.section("raw_whoosh", self.do_raw_whoosh)
            self.section("sizes", self.do_sizes)
            self.section("mix", self.do_mix)
            self.section("search", self.do_search)
            if not self.args.skip_peer:
                self.section("peer", self.do_peer)
            if not self.args.skip_tantivy:
                self.section("tantivy", self.do_tantivy)
            if not self.args.skip_http:
                self.section("http", self.do_http)
        self.finish(started)
        return 1 if self.results["errors"] else 0

    def finish(self, started: float) -> None:
        meta = self.results["meta"]
        meta["loadavg_after"] = machine.loadavg()
        meta["seconds"] = time.perf_counter() - started
        self.cleanup()
        (self.out / "results.json").write_text(json.dumps(self.results, indent=1, default=str))
        text = report.render(self.results)
        (self.out / "RESULTS.md").write_text(text)
        print(text)
        self.say(f"report: {self.out / 'RESULTS.md'}; raw: {self.out / 'results.json'}")


def browse_paths(conn: psycopg.Connection) -> dict[str, list[str]]:
    """The browsing pages' URL lists: the busiest tags, posts and months (at most
    ``BROWSE_PAGES`` each), every year, and the glossary and index pages."""
    tags = conn.execute(
        "SELECT t.code FROM cables_tag t JOIN cables_cabletag ct ON ct.tag_id = t.id "
        "GROUP BY t.code ORDER BY count(*) DESC, t.code LIMIT %s",
        (BROWSE_PAGES,),
    ).fetchall()
    posts = conn.execute(
        "SELECT p.code FROM cables_post p JOIN cables_cable c ON c.origin_id = p.id "
        "GROUP BY p.code ORDER BY count(*) DESC, p.code LIMIT %s",
        (BROWSE_PAGES,),
    ).fetchall()
    months = conn.execute(
        "SELECT extract(year FROM created)::int, extract(month FROM created)::int "
        "FROM cables_cable WHERE created IS NOT NULL GROUP BY 1, 2 "
        "ORDER BY count(*) DESC, 1, 2 LIMIT %s",
        (BROWSE_PAGES,),
    ).fetchall()
    years = conn.execute(
        "SELECT DISTINCT extract(year FROM created)::int FROM cables_cable "
        "WHERE created IS NOT NULL ORDER BY 1"
    ).fetchall()
    return {
        "tag page": [f"/tag/{quote(code, safe='/')}/" for (code,) in tags],
        "post page": [f"/post/{code}/" for (code,) in posts if code.isalnum()],
        "date page, year": [f"/date/{y:04d}/" for (y,) in years],
        "date page, month": [f"/date/{y:04d}/{m:02d}/" for y, m in months],
        "glossary and index pages": ["/tags/", "/posts/", "/date/"],
    }


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    run = Run(args, argv)
    try:
        return run.execute()
    except KeyboardInterrupt:
        run.say("interrupted: dropping the throwaway database")
        run.cleanup()
        return 130
