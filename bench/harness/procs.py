"""A subprocess, timed end to end, with its own peak RSS.

``os.wait4`` returns the finished child's ``rusage``: ``ru_maxrss`` is that child's
peak resident set (kB on Linux, the maximum over it and any children it waited for),
so each step gets its own figure instead of the running maximum of
``RUSAGE_CHILDREN``.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import asdict, dataclass, field


@dataclass
class Step:
    name: str
    argv: list[str]
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    user_s: float = 0.0
    system_s: float = 0.0
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["stdout"] = data["stdout"][-4000:]
        data["stderr"] = data["stderr"][-4000:]
        return data


def run(name: str, argv: list[str], *, env: dict | None = None, cwd=None) -> Step:
    """Run ``argv`` to completion; stdout/stderr go to temp files (no pipe deadlock)."""
    import tempfile

    step = Step(name=name, argv=[str(a) for a in argv])
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(step.argv, env=env, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        step.seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        step.returncode = proc.returncode
        step.peak_rss_mb = usage.ru_maxrss / 1024
        step.user_s, step.system_s = usage.ru_utime, usage.ru_stime
        out.seek(0)
        err.seek(0)
        step.stdout = out.read().decode("utf-8", "replace")
        step.stderr = err.read().decode("utf-8", "replace")
    return step
