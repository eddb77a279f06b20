"""What the numbers were measured on."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path


def _mem_total_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(cmd: list[str]) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text else None


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def describe(python: str) -> dict:
    """Cores, RAM, CPU model, kernel, Python and library versions of the venv."""
    versions = _version(
        [
            python,
            "-c",
            "import django, whoosh, sys; print(sys.version.split()[0], django.get_version(), "
            "'.'.join(map(str, whoosh.__version__)))",
        ]
    )
    py, dj, wh = (versions or "? ? ?").split()[:3]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_gib": round(_mem_total_gib() or 0, 1),
        "kernel": platform.release(),
        "machine": platform.machine(),
        "python": py,
        "django": dj,
        "whoosh": wh,
        "wrk": _version(["wrk", "--version"]),
    }
