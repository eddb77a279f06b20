"""The reading pages over HTTP: the production gunicorn command under ``wrk`` from a
second process on loopback, a reader's first views after a bump of the archive
generation, and the workers' memory afterwards.

* **warm** (``warm_pass=True``, the page cache on): one sequential pass requests every
  URL of the list once (so each page is rendered and stored), then ``wrk`` spreads its
  load over the same list: it measures the cached pages, not their first rendering.
  With the cache off there is nothing to warm; a short ``wrk`` run warms the workers.
* **cold** (``cold=[paths]``): the archive generation is bumped (as an ingest batch
  does), then each path is requested once, sequentially from one client: a reader's
  first view of each page after an ingest, timed from the request to the last byte.

gunicorn runs exactly as in production (``gunicorn -c gunicorn.conf.py config.wsgi``,
DEBUG=0, default worker count) behind a pretend TLS proxy: every request carries
``X-Forwarded-Proto: https``, as the documented proxy sets it, so there is no redirect.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .bulkload import MANAGE, ROOT
from .stats import latency_summary

LUA = Path(__file__).resolve().parent / "report.lua"
WRK_MISSING = "wrk is not installed: apt-get install -y wrk (Debian/Ubuntu), then run again"


def wrk_path() -> str | None:
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(env: dict) -> dict:
    """The environment of a production deployment (DEBUG off, a secret key, hosts)."""
    prod = {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    prod.pop("GUNICORN_WORKERS", None)  # the default count, as shipped
    return prod


def collectstatic(python: str, env: dict) -> None:
    """The deploy step before gunicorn: hashed static files and their manifest."""
    subprocess.run(
        [python, str(MANAGE), "collectstatic", "--noinput"],
        env=production_env(env),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            kids += [int(x) for x in (task / "children").read_text().split()]
    return kids


def proc_memory(pid: int) -> dict:
    """VmRSS and VmHWM (peak) of a process, in MB."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return found


class Gunicorn:
    """The production command on a free loopback port; a context manager."""

    def __init__(self, env: dict, log_dir: Path, python: str):
        self.port = free_port()
        self.env = {
            **production_env(env),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": str(log_dir / "gunicorn-access.log"),
            "GUNICORN_ERROR_LOG": str(log_dir / "gunicorn-error.log"),
        }
        self.proc: subprocess.Popen | None = None
        self.output = log_dir / "gunicorn-output.log"  # Django's own log (stderr)
        self.python = python
        self.gunicorn = str(Path(python).parent / "gunicorn")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        cmd = [self.gunicorn, "-c", "gunicorn.conf.py", "config.wsgi"]
        with self.output.open("ab") as log:
            self.proc = subprocess.Popen(
                cmd, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        expected = self.expected_workers()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see its log")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200 and len(self.workers()) >= expected:
                        return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def expected_workers(self) -> int:
        probe = subprocess.run(
            [
                self.python,
                "-c",
                "import runpy; print(runpy.run_path('gunicorn.conf.py')['workers'])",
            ],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return int(probe.stdout.strip() or 1)

    def workers(self) -> list[int]:
        return _children(self.proc.pid) if self.proc else []

    def memory(self) -> dict:
        return {
            "master": proc_memory(self.proc.pid),
            "workers": {pid: proc_memory(pid) for pid in self.workers()},
        }


def wrk(url: str, paths_file: Path, *, duration: int, connections: int, threads: int) -> dict:
    cmd = [
        wrk_path() or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-H",
        "X-Forwarded-Proto: https",
        "-s",
        str(LUA),
        url,
        "--",
        str(paths_file),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    data = json.loads(line[len("WRKJSON ") :])
    seconds = data["duration_us"] / 1e6
    lat = {k: v / 1000 for k, v in data["latency_us"].items()}
    return {
        "requests": data["requests"],
        "seconds": seconds,
        "rps": data["requests"] / seconds if seconds else 0.0,
        "latency_ms": lat,
        "errors": data["errors"],
        "connections": connections,
        "threads": threads,
        "paths": sum(1 for _ in paths_file.open()),
    }


def _get(base: str, path: str) -> int:
    """One GET, the body read to the end; the status."""
    request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310
            r.read()
            return r.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code


def sequential(base: str, paths: list[str]) -> dict:
    """Each path once, one after the other from one client: per-request milliseconds
    (request to last byte), and the statuses met."""
    samples: list[float] = []
    statuses: dict[str, int] = {}
    started = time.perf_counter()
    for path in paths:
        t0 = time.perf_counter()
        status = _get(base, path)
        samples.append((time.perf_counter() - t0) * 1000)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "requests": len(paths),
        "seconds": time.perf_counter() - started,
        "statuses": statuses,
        "samples_ms": samples,
        "latency_ms": latency_summary(samples),
    }


BUMP = "from cables.services.generation import archive_generation_bump; archive_generation_bump()"


def generation_bump(python: str, env: dict) -> None:
    """A new archive generation, as every committed ingest batch makes: every cached
    page is unreachable from now on."""
    subprocess.run(
        [python, str(MANAGE), "shell", "-c", BUMP],
        env=production_env(env),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def status_check(base: str, path: str) -> int:
    request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def measure(
    env: dict,
    out: Path,
    python: str,
    pages: dict[str, list[str]],
    *,
    duration: int,
    connections: int,
    threads: int = 2,
    warmup: int = 3,
    warm_pass: bool = False,
    cold: list[str] | None = None,
) -> dict:
    """For each page kind (``{"cable page": [paths], ...}``): the warm-up (one
    sequential pass over its URLs when ``warm_pass``, else a ``warmup``-second wrk
    run), then the measured wrk run; then, with ``cold`` paths, the generation bumped
    and each of them requested once in turn; worker memory before and after."""
    results: dict = {"pages": {}, "warm_pass": warm_pass}
    with Gunicorn(env, out, python) as server:
        results["workers"] = len(server.workers())
        results["memory_idle"] = server.memory()
        for name, paths in pages.items():
            paths_file = out / f"wrk-{name.replace(' ', '-').replace('/', '')}.txt"
            paths_file.write_text("\n".join(paths) + "\n")
            first = status_check(server.base, paths[0])
            warmed = None
            if warm_pass:
                warmed = sequential(server.base, paths)
                warmed.pop("samples_ms")
            elif warmup:
                wrk(
                    server.base,
                    paths_file,
                    duration=warmup,
                    connections=connections,
                    threads=threads,
                )
            run = wrk(
                server.base, paths_file, duration=duration, connections=connections, threads=threads
            )
            run["first_status"] = first
            if warmed is not None:
                run["warm_pass"] = warmed
            results["pages"][name] = run
        if cold:
            generation_bump(python, server.env)
            results["cold"] = sequential(server.base, cold)
        results["memory_after"] = server.memory()
    return results
