"""The cable page and the search page over HTTP: the production gunicorn command under
``wrk`` from a second process on loopback, and the workers' memory afterwards.

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
import urllib.request
from pathlib import Path

from .bulkload import MANAGE, ROOT

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
) -> dict:
    """For each page kind (``{"cable page": [paths], ...}``): a short warm-up run, then
    the measured run; worker memory before and after."""
    results: dict = {"pages": {}}
    with Gunicorn(env, out, python) as server:
        results["workers"] = len(server.workers())
        results["memory_idle"] = server.memory()
        for name, paths in pages.items():
            paths_file = out / f"wrk-{name.replace(' ', '-')}.txt"
            paths_file.write_text("\n".join(paths) + "\n")
            first = status_check(server.base, paths[0])
            if warmup:
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
            results["pages"][name] = run
        results["memory_after"] = server.memory()
    return results
